"""Which cosine makes a question one the policies address, for each kind of model.

The tuned model's bars are exercised on real answers in test_tuning.py; here the
decision itself, at the cosines either side of each bar.
"""

from __future__ import annotations

import pytest

from bot.app import Runtime
from bot.core.answer import (
    MAX_CITATIONS,
    PACKAGED_COVERAGE,
    TUNED_COVERAGE,
    Coverage,
    PolicyAnswerer,
)
from bot.core.retrieval import Hit

ON_TOPIC = "Can I post a photo of my caseload on Instagram?"
TOPIC_FREE = "If the state rules and the agency's rules disagree, which one applies?"
HOW_TO = "How do we change the banner image on our Facebook page?"
CITES_POLICY = "How do we ask for an exception to TD 12-06?"


def _answerer(runtime: Runtime, coverage: Coverage = TUNED_COVERAGE) -> PolicyAnswerer:
    return PolicyAnswerer(runtime.retriever, runtime.manifest.agencies(), coverage=coverage)


def _covered(
    runtime: Runtime,
    coverage: Coverage,
    question: str,
    dense: float,
    cites: bool = False,
    message: float | None = None,
) -> bool:
    """The decision for one clause at this cosine (and the whole message's, if given)."""
    clause = runtime.store.clauses()[0]
    hit = Hit(clause, dense, dense, 0.0, frozenset(), message=message)
    return _answerer(runtime, coverage).covered(question, [hit], cites)


@pytest.mark.parametrize(
    ("question", "dense", "packaged", "tuned"),
    [
        (ON_TOPIC, 0.25, True, True),
        (ON_TOPIC, 0.15, False, False),
        # Without a topic word the packaged model needs a very close match; a tuned one
        # keeps off-topic questions far enough away that a good one is enough.
        (TOPIC_FREE, 0.55, True, True),
        (TOPIC_FREE, 0.40, False, True),
        (TOPIC_FREE, 0.30, False, False),
        # A how-to question's topic word does not lower a tuned model's bar: the
        # policies are rules, not manuals.
        (HOW_TO, 0.40, True, True),
        (HOW_TO, 0.30, True, False),
        (HOW_TO, 0.15, False, False),
        ("Where can we see who unfollowed the agency page?", 0.30, True, False),
        ("I'm new here, how can I get Facebook unblocked at work?", 0.30, True, False),
        # Asking what conduct is right, or "how" that asks for no steps, is not one.
        ("I'm new here, how should I handle a friend request from a parent?", 0.30, True, True),
        ("Can I post how my shift went on Facebook?", 0.30, True, True),
        # Putting games and software on work equipment is a topic of the policies
        # ("shall not download games, advertisements or applications"), with or
        # without a platform's name.
        ("Am I allowed to put a puzzle game on my state tablet?", 0.25, True, True),
        ("Can I install a scheduling tool on my work PC?", 0.25, True, True),
        ("Can I download my W-2 at home?", 0.15, False, False),
        # So is the equipment itself, in the policies' own words, without a platform's
        # name ("electronic devices", "state equipment", "personal text messages").
        ("Does a work tablet count as a device under the DYS rules?", 0.30, True, True),
        ("Do I need sign-off before using state equipment for outreach?", 0.25, True, True),
        ("At DYS, does the code of conduct stretch to texting?", 0.30, True, True),
        ("Can any caseworker reply on the agency's official presence?", 0.30, True, True),
        ("My computer restarts overnight for updates. Can that change?", 0.10, False, False),
        # "like" is a topic word when a post is liked, not when a person would like something.
        ("Can I like a youth's status update?", 0.25, True, True),
        ("I feel like my caseload is too high. Who do I talk to?", 0.25, False, False),
        ("I’d like to stay on past May. Can my supervisor extend my hours?", 0.25, False, False),
    ],
)
def test_a_question_counts_as_covered_from_its_models_bar(
    runtime: Runtime, question: str, dense: float, packaged: bool, tuned: bool
) -> None:
    assert _covered(runtime, PACKAGED_COVERAGE, question, dense) is packaged
    assert _covered(runtime, TUNED_COVERAGE, question, dense) is tuned


def test_a_how_to_question_citing_a_policy_keeps_the_topic_bar(runtime: Runtime) -> None:
    assert _covered(runtime, TUNED_COVERAGE, CITES_POLICY, 0.30, cites=True)
    assert not _covered(runtime, TUNED_COVERAGE, CITES_POLICY, 0.15, cites=True)


def test_a_sentence_asking_about_that_is_judged_by_the_whole_message(runtime: Runtime) -> None:
    """Alone, "Who do I report that to?" is near the clauses that say whom to contact,
    whatever "that" is; only the message says what is asked about."""
    answerer = _answerer(runtime)
    fridge = "The break room fridge smells terrible. Who do I report that to?"
    hits = runtime.retriever.retrieve(fridge, k=12)
    # Its asking sentence alone clears the bar for a question without a topic word...
    assert max(h.dense for h in hits[:MAX_CITATIONS]) >= TUNED_COVERAGE.alone
    # ...but the message does not, so the policies are silent on it.
    assert not answerer.covered(fridge, hits)
    leak = "A coworker shared a youth's court report in a group chat. Who do I report that to?"
    assert answerer.covered(leak, runtime.retriever.retrieve(leak, k=12))


@pytest.mark.parametrize(
    ("question", "covered"),
    [
        ("The vending machine ate my dollar. Who do I report that to?", False),
        ("Is there any rule for the vending machine? Who do I report it to?", False),
        # The asking sentence names its own matter: its closeness counts.
        ("The unit is quiet tonight. Can I install a word game on the state laptop?", True),
        # One sentence: nothing before it to refer back to.
        ("Who do I report that to?", True),
    ],
)
def test_which_cosine_decides_when_the_asking_sentence_refers_back(
    runtime: Runtime, question: str, covered: bool
) -> None:
    assert _covered(runtime, TUNED_COVERAGE, question, 0.55, message=0.20) is covered


def test_no_match_at_all_is_silence(runtime: Runtime) -> None:
    answerer = _answerer(runtime)
    assert not answerer.covered(ON_TOPIC, [])


def test_the_closest_quoted_clause_decides_not_the_first(runtime: Runtime) -> None:
    """Lexical matches can rank a looser clause first; a close one further down the
    quoted clauses still means the policies address the question. One past them does not."""
    answerer = _answerer(runtime)
    clauses = runtime.store.clauses()

    def hits(*dense: float) -> list[Hit]:
        return [Hit(c, d, d, 0.0, frozenset()) for c, d in zip(clauses, dense, strict=False)]

    assert answerer.covered(ON_TOPIC, hits(0.15, 0.10, 0.25))
    assert not answerer.covered(ON_TOPIC, hits(*[0.15] * MAX_CITATIONS, 0.60))
