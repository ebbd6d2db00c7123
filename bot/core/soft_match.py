"""Soft word matching: each question word meets its closest word in the clause.

One sentence vector blurs a question into its topic; on this corpus every
clause is "about social media", so "can IT see what I do on my work laptop"
lands on any clause about laptops. Matching word by word with MiniLM's
contextual word vectors (BERTScore-style recall, weighted by how rare the word
is in the policies) rewards the clause that answers each part of the question
("see" ~ "monitor", "fired" ~ "termination") without needing the same words.
It reranks only the few best candidates, so its cost does not grow with the corpus.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np

from bot.core.models import Clause
from bot.core.ports import WordEncoder, WordVectors
from bot.core.text import tokens

# Clauses whose word vectors stay in memory (float16: ~40 KB a clause).
CACHE_CLAUSES = 4096


class SoftMatcher:
    def __init__(self, encoder: WordEncoder, cache_clauses: int = CACHE_CLAUSES) -> None:
        self._encoder = encoder
        self._cache: OrderedDict[tuple[str, str], WordVectors] = OrderedDict()
        self._size = cache_clauses
        self._lock = threading.Lock()

    def scores(
        self, question: str, clauses: Sequence[Clause], idf: Callable[[str], float]
    ) -> list[float]:
        """Per clause in [-1, 1]: the idf-weighted mean, over the question's content
        words, of each word's best cosine with a word of the clause in context."""
        if not clauses:
            return []
        query = self._encoder.query_word_vectors(question)
        rows, weights = _content_words(query, idf)
        if not rows:
            return [0.0] * len(clauses)
        q = query.vectors[rows].astype(np.float32)
        w = np.asarray(weights, dtype=np.float32)
        out: list[float] = []
        for words in self._clause_words(clauses):
            if not len(words.words):
                out.append(0.0)
                continue
            best = (q @ words.vectors.astype(np.float32).T).max(axis=1)
            out.append(float((best * w).sum() / w.sum()))
        return out

    def _clause_words(self, clauses: Sequence[Clause]) -> list[WordVectors]:
        # Keyed by the text too: a cache must never serve one wording's vectors for another,
        # whatever the id scheme does; the model pass runs outside the lock.
        keys = [(c.id, c.embedding_text()) for c in clauses]
        with self._lock:
            found = {k: self._cache[k] for k in keys if k in self._cache}
            for k in found:
                self._cache.move_to_end(k)
        missing = [k for k in dict.fromkeys(keys) if k not in found]
        if missing:
            computed = self._encoder.word_vectors([text for _, text in missing])
            with self._lock:
                for k, v in zip(missing, computed, strict=True):
                    small = WordVectors(v.words, v.vectors.astype(np.float16))
                    found[k] = small
                    self._cache[k] = small
                while len(self._cache) > self._size:
                    self._cache.popitem(last=False)
        return [found[k] for k in keys]

    def warm_up(self, clauses: Sequence[Clause]) -> None:
        """Compute word vectors ahead of the first questions (small corpora)."""
        for start in range(0, min(len(clauses), self._size), 256):
            self._clause_words(clauses[start : start + 256])


def _content_words(
    query: WordVectors, idf: Callable[[str], float]
) -> tuple[list[int], list[float]]:
    """Rows of the question's content words and their weights.

    A word the policies never use ("fired", "insta") gets the highest weight
    seen: it is the part of the question that needs a soft match most.
    """
    rows: list[int] = []
    stems: list[str] = []
    for i, word in enumerate(query.words):
        found = tokens(word)
        if found:
            rows.append(i)
            stems.append(found[0])
    known = [idf(s) for s in stems]
    top = max(known, default=0.0) or 1.0
    return rows, [k if k > 0 else top for k in known]
