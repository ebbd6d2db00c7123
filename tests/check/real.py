"""Real clauses and the real embedding model for checker tests and bench runs.

Until ``bot.core.retrieval.HybridRetriever`` lands on main this is a dense
search over the ingested clauses (real segmenter, real MiniLM vectors); the
tests take the session ``retriever`` fixture instead when conftest has one.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from bot.core.models import Citation
from bot.embedding import SentenceEmbedder
from bot.stores.memory_store import MemoryClauseStore
from ingest.manifest import load_manifest
from ingest.pipeline import run_ingest
from tests.conftest import KNOWLEDGE


class DenseSearch:
    def __init__(self, store: MemoryClauseStore, embedder: SentenceEmbedder) -> None:
        self._store = store
        self._embedder = embedder

    def search(
        self, query: str, agency_ids: Sequence[str] | None = None, k: int = 5
    ) -> list[Citation]:
        vec = self._embedder.embed_query(query)
        return [Citation(c, s) for c, s in self._store.search(vec, k, agency_ids)]


@lru_cache(maxsize=1)
def real_retriever() -> DenseSearch:
    store = MemoryClauseStore()
    embedder = SentenceEmbedder()
    run_ingest(load_manifest(KNOWLEDGE), store, embedder)
    return DenseSearch(store, embedder)
