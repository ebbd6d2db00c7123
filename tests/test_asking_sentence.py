"""A question that sets the scene first: the sentence that asks is matched on its own too.

Mean-pooled, "Our unit gets slow after midnight and the kids are asleep." pulls a
whole message towards small talk the policies leave open; the clause that answers
its question must not lose its cosine to it.
"""

from __future__ import annotations

import pytest

from bot.app import Runtime
from bot.core.retrieval import asking_sentence, refers_back

GAMES = "shall not download games"


@pytest.mark.parametrize(
    ("message", "asked"),
    [
        (
            "Our unit gets slow after midnight. Can I download a word game on the state laptop?",
            "Can I download a word game on the state laptop?",
        ),
        # The last sentence that asks, not a scene set after it.
        (
            "Quick one. Can I friend a youth's aunt? She asked me at the visit.",
            "Can I friend a youth's aunt?",
        ),
        # No question mark: the last sentence is the request.
        (
            "I run our page. Tell me who approves new accounts.",
            "Tell me who approves new accounts.",
        ),
        # One sentence, or a sentence too short to mean anything alone: nothing to add.
        ("Can I friend a foster parent on Facebook?", ""),
        ("A mom sent me a friend request on Instagram. Why?", ""),
        ("", ""),
    ],
)
def test_the_sentence_that_asks(message: str, asked: str) -> None:
    assert asking_sentence(message) == asked


def test_a_scene_set_before_the_question_does_not_hide_its_clause(runtime: Runtime) -> None:
    # Whole, the message is 0.289 from the games clause with the packaged model; its
    # question alone 0.331.
    question = "Can I put a game app on the state laptop?"
    message = f"Our unit gets slow after midnight and the kids are asleep. {question}"

    def games_cosine(text: str) -> float:
        hits = runtime.retriever.retrieve(text, k=5)
        found = [h.dense for h in hits if GAMES in h.clause.text]
        assert found, f"{text!r}: the games clause is not among {[h.clause.text for h in hits]}"
        return found[0]

    assert games_cosine(message) >= games_cosine(question)
    answer = runtime.assistant.ask(message)
    assert answer.covered and any(GAMES in c.clause.text for c in answer.citations[:3])


@pytest.mark.parametrize(
    ("sentence", "back"),
    [
        ("Who do I report that to?", True),
        ("Is it allowed at work?", True),
        ("Can I friend them on Facebook?", True),
        ("Can I download a word game on the state laptop?", False),
        # A word that only contains one ("item", "thistle", "theme") is not one.
        ("Can I post an item about the thistle theme?", False),
    ],
)
def test_a_sentence_that_refers_back(sentence: str, back: bool) -> None:
    assert refers_back(sentence) is back


def test_each_clause_keeps_the_whole_messages_own_cosine(runtime: Runtime) -> None:
    """The message's cosine is kept beside the best of the two views', which coverage
    needs when the sentence that asks takes its matter from the one before."""
    message = "The break room fridge smells terrible. Who do I report that to?"
    hits = runtime.retriever.retrieve(message, k=12)
    assert all(h.message is not None and h.message <= h.dense + 1e-6 for h in hits)
    # The asking sentence alone is what brings the closest clause this near.
    assert max(h.dense for h in hits) - max(h.message or 0.0 for h in hits) > 0.1
    # One sentence: one view, so the two are the same.
    for h in runtime.retriever.retrieve("Who do I report that to?", k=12):
        assert h.message == pytest.approx(h.dense)
