"""Renderers against Slack's Block Kit limits, escaping and the "silent policies" rule."""

from __future__ import annotations

import html
import json

from bot.core.models import (
    AgencyVerdict,
    Answer,
    CheckResult,
    CheckVerdict,
    Citation,
    Clause,
    Evidence,
    Finding,
    Severity,
    Verdict,
)
from bot.slack import blocks
from tests.fakes.slack_api import block_kit_problems


def clause(
    i: int,
    text: str = "Staff shall not accept friend requests from youth.",
    agency: str = "Massachusetts DYS",
    agency_id: str = "ma-dys",
) -> Clause:
    return Clause(
        id=f"{agency_id}/policy/{i:04d}",
        policy_id="ma-dys-01-05-22",
        agency_id=agency_id,
        agency=agency,
        policy="DYS Policy 01.05.22 Social Media",
        section="Personal Use",
        context="Employees shall:" if i % 2 else "",
        text=text,
        start=0,
        end=len(text),
        ordinal=i,
    )


def answer(
    n_citations: int = 2,
    text: str | None = None,
    question: str = "Can I friend a youth?",
    covered: bool = True,
) -> Answer:
    cites = [
        Citation(clause(i, text) if text else clause(i), 0.9 - i / 100) for i in range(n_citations)
    ]
    return Answer(
        question=question,
        covered=covered,
        answer="Not allowed for Massachusetts DYS.",
        verdicts=[
            AgencyVerdict(
                "ma-dys",
                "Massachusetts DYS",
                Verdict.PROHIBITED,
                "staff may not friend youth in care",
                [c.id for c in cites],
            ),
            AgencyVerdict(
                "ct-dcf",
                "Connecticut DCF",
                Verdict.ALLOWED_WITH_CONDITIONS,
                "only for case work",
                [],
            ),
        ]
        if covered
        else [],
        citations=cites,
    )


def all_text(msg: blocks.Message) -> str:
    return msg.text + json.dumps(msg.blocks, ensure_ascii=False)


def visible_text(msg: blocks.Message) -> str:
    """What Slack renders: everything but button values (data for us, never displayed)."""
    shown = json.loads(json.dumps(msg.blocks))
    for b in shown:
        for el in b.get("elements", []):
            el.pop("value", None)
    return msg.text + json.dumps(shown, ensure_ascii=False)


def quote_texts(bs: list[blocks.Block]) -> list[str]:
    return [b["text"]["text"] for b in bs if b["type"] == "section" and "> " in b["text"]["text"]]


def test_answer_has_verdict_lines_quotes_sources_and_vote_buttons() -> None:
    msg = blocks.render_answer(answer(), agency_id="ma-dys")
    assert block_kit_problems(msg.kwargs()) == []
    dump = all_text(msg)
    assert "*Massachusetts DYS* — Not allowed: staff may not friend youth in care" in dump
    assert "*Connecticut DCF* — Only with permission / conditions: only for case work" in dump
    quotes = quote_texts(msg.blocks)
    assert len(quotes) == 2
    assert "> Staff shall not accept friend requests from youth." in quotes[0]
    contexts = [b for b in msg.blocks if b["type"] == "context"]
    assert any(
        "Massachusetts DYS" in e["text"] and "Personal Use" in e["text"] and "01.05.22" in e["text"]
        for c in contexts
        for e in c["elements"]
    )
    actions = [b for b in msg.blocks if b["type"] == "actions"]
    assert [e["text"]["text"] for e in actions[0]["elements"]] == ["Helpful", "Not helpful"]
    ref = blocks.parse_feedback_value(actions[0]["elements"][0]["value"])
    assert ref is not None
    assert ref.citation_ids == ["ma-dys/policy/0000", "ma-dys/policy/0001"]
    assert ref.question == "Can I friend a youth?" and ref.agency_id == "ma-dys"
    assert "Massachusetts DYS" in msg.text


def test_silent_policies_say_so_with_no_citations_and_point_to_the_pio() -> None:
    silent = answer(n_citations=3, covered=False)  # citations present but must not be shown
    msg = blocks.render_answer(silent)
    assert block_kit_problems(msg.kwargs()) == []
    assert quote_texts(msg.blocks) == []
    dump = all_text(msg)
    assert "silent" in dump and "Public Information Officer" in dump
    assert "Staff shall not accept" not in dump
    value = next(b for b in msg.blocks if b["type"] == "actions")["elements"][0]["value"]
    assert blocks.parse_feedback_value(value).citation_ids == []  # type: ignore[union-attr]


def test_user_text_is_escaped_in_blocks_and_fallback() -> None:
    nasty = "<!channel> <!here> <@U123> & <https://evil.example|click>"
    a = Answer(
        question=nasty,
        covered=True,
        answer=nasty,
        verdicts=[AgencyVerdict("ma-dys", "DYS <!here>", Verdict.ALLOWED, nasty, [])],
        citations=[Citation(clause(1, text=nasty), 0.5)],
        notice=nasty,
    )
    msg = blocks.render_answer(a)
    dump = visible_text(msg)
    for ping in ("<!channel>", "<!here>", "<@U123>", "<https://"):
        assert ping not in dump
    assert "&lt;!channel&gt;" in dump and "&amp;" in dump


def test_huge_answer_is_trimmed_with_a_pointer_and_quotes_stay_verbatim() -> None:
    long_clause = ("Staff & volunteers must not post <images> of youth. " * 120).strip()
    msg = blocks.render_answer(answer(n_citations=60, text=long_clause, question="q" * 12_000))
    assert block_kit_problems(msg.kwargs()) == []
    assert len(msg.blocks) <= 50
    assert "more clauses not shown" in all_text(msg)
    # The first quote, split over sections, reads back as the exact clause.
    first_sections: list[str] = []
    for b in msg.blocks[
        msg.blocks.index(
            next(b for b in msg.blocks if b["type"] == "section" and "> " in b["text"]["text"])
        ) :
    ]:
        if b["type"] != "section":
            break
        first_sections.append(b["text"]["text"])
    assert len(first_sections) > 1
    body = " ".join(
        line[2:] for s in first_sections for line in s.split("\n") if line.startswith("> ")
    )
    assert html.unescape(body).split() == long_clause.split()
    value = next(b for b in msg.blocks if b["type"] == "actions")["elements"][0]["value"]
    assert len(value) <= 2000


def test_feedback_value_fits_2000_chars_and_keeps_citation_ids() -> None:
    ids = [f"la-cio/td-12-06/{i:04d}" for i in range(20)]
    value = blocks.feedback_value('"quoted" \\ question ' * 400, ids, "la-cio")
    assert len(value) <= 2000
    ref = blocks.parse_feedback_value(value)
    assert ref is not None and ref.citation_ids == ids and ref.agency_id == "la-cio"
    assert ref.question.startswith('"quoted"')
    assert blocks.parse_feedback_value("not json") is None


def finding(i: int, marker: str = "Jaylen") -> Finding:
    return Finding(
        category="child_name",
        severity=Severity.VIOLATION if i % 2 else Severity.REVIEW,
        evidence=Evidence(0, len(marker), marker),
        explanation="Names a child in care.",
        suggestion="Remove the name.",
        citations=[Citation(clause(i), 0.8)],
    )


def test_check_result_limits_and_fallback_without_the_draft() -> None:
    result = CheckResult(
        CheckVerdict.VIOLATION, [finding(i, "MARKER-<!channel>") for i in range(40)]
    )
    msg = blocks.render_check(result)
    assert block_kit_problems(msg.kwargs()) == []
    assert "more findings not shown" in all_text(msg)
    assert "MARKER" not in msg.text  # notification previews never carry the draft
    assert "<!channel>" not in all_text(msg)
    view = blocks.result_view(blocks.render_check(result, max_blocks=blocks.MAX_VIEW_BLOCKS))
    assert block_kit_problems(view, "modal") == []
    assert len(view["blocks"]) <= 100
    assert "more findings not shown" in json.dumps(view)


def test_clean_check_says_no_problems() -> None:
    msg = blocks.render_check(CheckResult(CheckVerdict.OK, []))
    assert "No policy problems found" in all_text(msg)
    assert block_kit_problems(msg.kwargs()) == []


def test_views_are_valid() -> None:
    modal = blocks.check_modal()
    assert block_kit_problems(modal, "modal") == []
    assert modal["blocks"][1]["element"]["multiline"] is True
    home = blocks.home_view("Massachusetts DYS <!here>")
    assert block_kit_problems(home, "home") == []
    assert "<!here>" not in json.dumps(home)
    buttons = next(b for b in home["blocks"] if b["type"] == "actions")["elements"]
    assert [b["value"] for b in buttons] == list(blocks.EXAMPLE_QUESTIONS)
    # Advertised now that /policy onboard exists.
    assert "/policy onboard" in json.dumps(home)


def test_vote_acknowledgement_replaces_the_buttons() -> None:
    msg = blocks.render_answer(answer())
    thanked = blocks.feedback_thanks(msg.blocks, helpful=False)
    assert not any(b["type"] == "actions" for b in thanked)
    assert "Thanks — recorded your vote: *Not helpful*" in json.dumps(thanked, ensure_ascii=False)
    assert len(thanked) == len(msg.blocks)
