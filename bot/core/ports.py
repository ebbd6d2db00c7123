"""Interfaces the core depends on. Implementations live outside ``bot.core``
(``bot.stores``, ``bot.embedding``) so the core never imports Chroma or torch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from bot.core.models import Clause

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns text into unit-length vectors (rows)."""

    def embed_documents(self, texts: Sequence[str]) -> Vectors: ...

    def embed_query(self, text: str) -> Vectors: ...

    @property
    def fingerprint(self) -> str:
        """Names the model's weights: vectors of two fingerprints never mix in one index."""
        ...


@dataclass(frozen=True)
class WordVectors:
    """A text's words and one contextual vector per word (unit rows, aligned)."""

    words: tuple[str, ...]
    vectors: npt.NDArray[np.floating]


@runtime_checkable
class WordEncoder(Protocol):
    """Contextual word vectors from the same model as the sentence vectors."""

    def word_vectors(self, texts: Sequence[str]) -> list[WordVectors]: ...

    def query_word_vectors(self, text: str) -> WordVectors: ...


class ClauseStore(Protocol):
    """Where clauses and their vectors live (Chroma embedded, Chroma server, memory)."""

    def replace_document(
        self,
        policy_id: str,
        clauses: Sequence[Clause],
        embeddings: Vectors,
        content_hash: str,
    ) -> None:
        """Make ``clauses`` the document's only clauses and remember its content hash.

        ``embeddings`` rows align with ``clauses``; clauses whose id is already
        stored may be passed with their existing vectors."""
        ...

    def delete_document(self, policy_id: str) -> None: ...

    def collect_garbage(self) -> int:
        """Delete what a killed ingest left behind (never visible to readers); return a count."""
        ...

    def document_hashes(self) -> dict[str, str]:
        """policy_id -> content hash of what is indexed."""
        ...

    def clauses(self, policy_id: str | None = None) -> list[Clause]:
        """Every stored clause (of one document when ``policy_id`` is given)."""
        ...

    def embeddings_for(self, clause_ids: Sequence[str]) -> dict[str, Vectors]:
        """Stored vectors by clause id (missing ids are left out)."""
        ...

    def search(
        self, query: Vectors, k: int, agency_ids: Sequence[str] | None = None
    ) -> list[tuple[Clause, float]]:
        """Nearest clauses by cosine similarity (higher is closer), best first."""
        ...

    def version(self) -> str:
        """Changes whenever the stored clauses change (lets readers refresh caches)."""
        ...

    def ping(self) -> None:
        """Raise ``IndexUnavailable`` when the store cannot be reached."""
        ...
