"""The project's golden questions, scored like the shared scorer, on the real index.

questions.jsonl (written with the retrieval work, labels audited against the
policy texts) and questions_2.jsonl and the holdout files, written
from the policies alone by people who never saw the system's answers
(docs/retrieval.md). The questions*.jsonl files are what `make tune` teaches the
model; the holdout files are never trained on. These floors hold the packaged
(untuned) model; tests/test_tuning.py measures the tuned one on the held-out
files, and tests/test_golden_files.py checks the files themselves.

Floors, not goals: they hold today's measured quality so a change that makes
answers worse fails. The issue's bars (hit@1 >= 0.85, hit@3 >= 0.95) are the
target; docs and the closing note record where retrieval stands.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.assistant import Assistant
from bot.evaluation import read_jsonl, score_questions

GOLDEN = Path(__file__).resolve().parent / "golden" / "questions.jsonl"
# file -> (hit@1, hit@3, coverage accuracy) floors, a little under today's numbers
FLOORS = {
    GOLDEN.name: (0.60, 0.75, 0.95),
    "questions_2.jsonl": (0.44, 0.72, 0.93),
    "holdout.jsonl": (0.56, 0.72, 0.93),
    # hit@3 0.75 (42 of 56) since the precedents' and topic words' sessions: two under.
    "holdout_2.jsonl": (0.50, 0.71, 0.93),
    "holdout_3.jsonl": (0.44, 0.66, 0.93),
    "holdout_4.jsonl": (0.64, 0.82, 0.92),
    # 14 of its 19 out-of-scope questions are near the topic ("what hashtags should we
    # use?"); the packaged model answers 11 of the 60 wrongly (docs/retrieval.md).
    "holdout_5.jsonl": (0.51, 0.68, 0.78),
    # 18 of its 21 out-of-scope questions are near the topic (15 with a topic word); the
    # packaged model measures 0.735 / 0.824 / 0.727 (session 14): two questions under.
    "holdout_6.jsonl": (0.67, 0.76, 0.69),
    # Two blind writers, asked for the less obvious clauses; 34 of its 102 questions are
    # out of scope. The packaged model measures 0.456 / 0.647 / 0.892 (session 15).
    "holdout_7.jsonl": (0.42, 0.61, 0.87),
    # Three blind writers (session 16); 83 of their 140 questions were near copies of
    # project questions and were dropped. The packaged model measures 0.479 / 0.729 / 0.965.
    "holdout_8.jsonl": (0.43, 0.68, 0.92),
    # Three more blind writers (session 17); 78 of their 135 questions were near copies of
    # project questions or of each other and were dropped. Packaged: 0.49 / 0.725 / 0.947.
    "holdout_9.jsonl": (0.45, 0.68, 0.91),
    # Three more (session 18), and a fourth for questions the policies leave open; 87
    # of their 147 questions were near copies and were dropped, most of the out-of-scope
    # ones among them. Packaged: 0.54 / 0.72 / 0.917.
    "holdout_10.jsonl": (0.50, 0.68, 0.88),
    # Three more (session 19) for new personas, and a fourth for questions left open; 84
    # of their 165 questions were near copies and were dropped, and a fifth reader then
    # audited the gold. Packaged: 0.434 / 0.604 / 0.852, its hardest file yet: 28 of its
    # 81 questions are out of scope, 17 of them near the topic.
    "holdout_11.jsonl": (0.39, 0.56, 0.82),
    # Three more (session 20) and a fourth for questions left open; 86 of their 165 were
    # near copies and were dropped, and a fifth reader audited the gold before any
    # scoring. Packaged: 0.449 / 0.673 / 0.861 (30 of its 79 questions are out of scope);
    # coverage 0.835 since session 20's topic words ("computer", "device"), two under.
    "holdout_12.jsonl": (0.40, 0.63, 0.81),
    # Session 22: one blind writer, every question a scene and then a short sentence asking
    # about "that" or "it"; a second reader audited the gold blind, and 4 near copies of
    # tuning questions were dropped. Packaged: 0.429 / 0.771 / 0.839 (21 of 56 left open).
    "holdout_13.jsonl": (0.37, 0.71, 0.80),
}
# The files written without seeing the system's answers.
HOLDOUT = [GOLDEN.with_name(name) for name in FLOORS if name != GOLDEN.name]


def test_golden_set_is_substantial() -> None:
    items = read_jsonl(GOLDEN)
    assert len(items) >= 50
    assert sum(not i.get("covered", True) for i in items) >= 10
    agencies = {i.get("agency") for i in items if i.get("agency")}
    assert len(agencies) == 5


def test_held_out_sets_are_substantial() -> None:
    for path in HOLDOUT:
        items = read_jsonl(path)
        assert len(items) >= 50
        assert sum(not i.get("covered", True) for i in items) >= 5


@pytest.mark.parametrize("path", [GOLDEN, *HOLDOUT], ids=lambda p: p.stem)
def test_golden_questions_meet_the_floors(assistant: Assistant, path: Path) -> None:
    hit1, hit3, coverage = FLOORS[path.name]
    score = score_questions(assistant, read_jsonl(path))
    report = score.to_json()
    print(report)
    assert score.coverage_accuracy >= coverage, score.misses
    assert score.mean_quote_chars <= 400
    assert score.hit1 >= hit1, report
    assert score.hit3 >= hit3, report


def test_agency_scope_never_mixes_agencies(assistant: Assistant) -> None:
    for agency in ("ct-dcf", "ma-dys", "la-dcfs", "lccs", "la-cio"):
        answer = assistant.ask("Can I post pictures of clients on my personal Facebook?", agency)
        assert answer.citations
        assert {c.clause.agency_id for c in answer.citations} == {agency}
        assert [v.agency_id for v in answer.verdicts] == [agency]


def test_out_of_scope_questions_are_silent_with_no_citations(assistant: Assistant) -> None:
    for q in ("How many vacation days do I get?", "What is the capital of France?"):
        answer = assistant.ask(q)
        assert not answer.covered and not answer.citations and not answer.verdicts
        assert "silent" in answer.answer and "PIO" in answer.answer


def test_each_miss_says_what_kind_it_is(assistant: Assistant) -> None:
    # An agency reading `policybot eval --verbose` fixes a silent answer, a wrong quote
    # and a clause ranked second in different places.
    asked = "May I friend a foster parent on Facebook?"
    second = assistant.ask(asked).citations[1].clause.text
    items = [
        {"question": "How many vacation days do I get after five years?", "gold": ["days"]},
        {"question": asked, "gold": ["no clause of any policy says this"]},
        {"question": asked, "gold": [second]},
        {"question": "What is the capital of France?", "gold": [], "covered": False},
    ]
    assert score_questions(assistant, items).misses == [
        "silent, no clause close enough: How many vacation days do I get after five years?",
        f"answered, but no gold clause quoted: {asked}",
        f"rank 2: {asked}",
    ]
