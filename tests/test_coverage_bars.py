"""Which cosine makes a question one the policies address, for each kind of model.

The tuned model's bars are exercised on real answers in test_tuning.py; here the
decision itself, at the cosines either side of each bar.
"""

from __future__ import annotations

import pytest

from bot.app import Runtime
from bot.core.answer import PACKAGED_COVERAGE, TUNED_COVERAGE, Coverage, PolicyAnswerer
from bot.core.retrieval import Hit

ON_TOPIC = "Can I post a photo of my caseload on Instagram?"
TOPIC_FREE = "If the state rules and the agency's rules disagree, which one applies?"


def _covered(runtime: Runtime, coverage: Coverage, question: str, dense: float) -> bool:
    answerer = PolicyAnswerer(runtime.retriever, runtime.manifest.agencies(), coverage=coverage)
    clause = runtime.store.clauses()[0]
    return answerer.covered(question, [Hit(clause, dense, dense, 0.0, frozenset())])


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
    ],
)
def test_a_question_counts_as_covered_from_its_models_bar(
    runtime: Runtime, question: str, dense: float, packaged: bool, tuned: bool
) -> None:
    assert _covered(runtime, PACKAGED_COVERAGE, question, dense) is packaged
    assert _covered(runtime, TUNED_COVERAGE, question, dense) is tuned


def test_no_match_at_all_is_silence(runtime: Runtime) -> None:
    answerer = PolicyAnswerer(
        runtime.retriever, runtime.manifest.agencies(), coverage=TUNED_COVERAGE
    )
    assert not answerer.covered(ON_TOPIC, [])
