"""Okapi BM25 over clause token lists, with weighted query terms."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt


class BM25:
    def __init__(
        self, docs: Sequence[Mapping[str, float]], k1: float = 1.2, b: float = 0.75
    ) -> None:
        """``docs``: per document, term -> (possibly fractional) term frequency."""
        self._n = len(docs)
        self._k1 = k1
        self._b = b
        lengths = np.array([sum(d.values()) for d in docs], dtype=np.float32)
        avg = float(lengths.mean()) if self._n else 1.0
        self._norm = k1 * (1 - b + b * lengths / max(avg, 1.0))
        postings: dict[str, list[tuple[int, float]]] = {}
        for i, doc in enumerate(docs):
            for term, tf in doc.items():
                postings.setdefault(term, []).append((i, tf))
        self._postings = {
            t: (np.array([i for i, _ in p], dtype=np.int64), np.array([f for _, f in p], np.float32))
            for t, p in postings.items()
        }
        self._idf = {
            t: math.log(1 + (self._n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in postings.items()
        }

    def idf(self, term: str) -> float:
        return self._idf.get(term, 0.0)

    def scores(self, query: dict[str, float]) -> npt.NDArray[np.float32]:
        """Scores for every document; ``query`` maps a term to its weight."""
        out = np.zeros(self._n, dtype=np.float32)
        for term, weight in query.items():
            hit = self._postings.get(term)
            if hit is None:
                continue
            idx, tf = hit
            out[idx] += weight * self._idf[term] * tf * (self._k1 + 1) / (tf + self._norm[idx])
        return out
