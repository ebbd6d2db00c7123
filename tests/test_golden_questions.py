"""The project's golden questions, scored like the shared scorer, on the real index.

Floors, not goals: they hold today's measured quality so a change that makes
answers worse fails. The issue's bars (hit@1 >= 0.85, hit@3 >= 0.95) are the
target; docs and the closing note record where retrieval stands.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.assistant import Assistant
from bot.evaluation import read_jsonl, score_questions

GOLDEN = Path(__file__).resolve().parent / "golden" / "questions.jsonl"


def test_golden_set_is_substantial() -> None:
    items = read_jsonl(GOLDEN)
    assert len(items) >= 50
    assert sum(not i.get("covered", True) for i in items) >= 10
    agencies = {i.get("agency") for i in items if i.get("agency")}
    assert len(agencies) == 5


def test_golden_questions_meet_the_floors(assistant: Assistant) -> None:
    score = score_questions(assistant, read_jsonl(GOLDEN))
    report = score.to_json()
    print(report)
    assert score.coverage_accuracy >= 0.95, score.misses
    assert score.mean_quote_chars <= 400
    assert score.hit1 >= 0.53, report
    assert score.hit3 >= 0.70, report


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
