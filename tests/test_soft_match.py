"""The word-level reranker, on the real MiniLM model and the real index."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from bot.core.models import Clause
from bot.core.ports import WordVectors
from bot.core.retrieval import RERANK_POOL, HybridRetriever
from bot.core.soft_match import SoftMatcher
from bot.embedding import SentenceEmbedder
from tests.fakes.clauses import make_clause


@pytest.fixture(scope="module")
def model() -> SentenceEmbedder:
    return SentenceEmbedder()


def _clause(text: str, n: int = 0) -> Clause:
    return make_clause(text, f"p:{n}", ordinal=n)


class CountingEncoder:
    """The real model, counting the clause texts it is asked to encode."""

    def __init__(self, inner: SentenceEmbedder) -> None:
        self.inner = inner
        self.encoded: list[str] = []

    def word_vectors(self, texts: Sequence[str]) -> list[WordVectors]:
        self.encoded += texts
        return self.inner.word_vectors(texts)

    def query_word_vectors(self, text: str) -> WordVectors:
        return self.inner.query_word_vectors(text)


def test_word_vectors_follow_the_words_and_come_from_the_same_pass(
    model: SentenceEmbedder,
) -> None:
    text = "Can IT see what I'm doing on my work-laptop?"
    words = model.query_word_vectors(text)
    assert "laptop" in words.words and "IT" in words.words
    assert words.vectors.shape == (len(words.words), model.dimension)
    assert np.allclose(np.linalg.norm(words.vectors, axis=1), 1.0, atol=1e-5)
    # The sentence vector of the shared pass is the one search has always used.
    assert np.allclose(model.embed_query(text), model.embed_documents([text])[0], atol=1e-5)


def test_a_rule_in_other_words_outscores_one_that_only_shares_the_topic(
    model: SentenceEmbedder,
) -> None:
    rule = _clause("Violations may result in disciplinary action up to and including dismissal.")
    other = _clause("Employees shall choose strong passwords for their social media accounts.", 1)
    scores = SoftMatcher(model).scores("Could I get fired for this?", [rule, other], lambda _: 1.0)
    assert scores[0] > scores[1]


def test_clause_word_vectors_are_computed_once_and_the_cache_is_bounded(
    model: SentenceEmbedder,
) -> None:
    encoder = CountingEncoder(model)
    matcher = SoftMatcher(encoder, cache_clauses=2)
    a, b, c = (_clause(t, i) for i, t in enumerate(["No profanity.", "No spam.", "No logos."]))
    matcher.scores("May I swear online?", [a, b], lambda _: 1.0)
    matcher.scores("May I swear online?", [a, b], lambda _: 1.0)
    assert len(encoder.encoded) == 2
    matcher.scores("May I swear online?", [c], lambda _: 1.0)  # evicts the oldest
    matcher.scores("May I swear online?", [a], lambda _: 1.0)
    assert len(encoder.encoded) == 4


def test_a_question_without_content_words_leaves_the_order_alone(
    model: SentenceEmbedder,
) -> None:
    scores = SoftMatcher(model).scores("Can I?", [_clause("No spam.")], lambda _: 1.0)
    assert scores == [0.0]


def test_the_real_retriever_reranks_only_its_best_few(retriever: HybridRetriever) -> None:
    hits = retriever.retrieve("Could I get fired for what I post on my day off?", None, 40)
    assert any(h.soft > 0 for h in hits[:RERANK_POOL])
    assert all(h.soft == 0.0 for h in hits[RERANK_POOL:])
    assert [h.score for h in hits[:RERANK_POOL]] == sorted(
        (h.score for h in hits[:RERANK_POOL]), reverse=True
    )


def test_a_question_in_staff_words_finds_the_rule_in_policy_words(
    retriever: HybridRetriever,
) -> None:
    # "keep old posts ... how long" shares no content word with "shall be preserved or
    # disposed of in accordance with ... retention"; the sentence vector alone ranks a
    # monitoring clause first, the word-level rerank puts the records rule on top.
    hits = retriever.retrieve(
        "Do we have to keep old posts from the department page, and for how long?"
    )
    assert "preserved" in hits[0].clause.text
