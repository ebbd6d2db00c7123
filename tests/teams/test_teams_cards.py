"""Card renderers: what a Teams user reads, within Teams' limits."""

from __future__ import annotations

import json
from typing import Any

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
from bot.teams.cards import (
    ACTION_FEEDBACK,
    ACTION_KEY,
    MAX_PAYLOAD_BYTES,
    answer_card,
    check_card,
    payload_bytes,
    welcome_card,
)
from tests.cards import walk

TEAMS_LIMIT = 40 * 1024


def clause(
    n: int, agency_id: str = "ct-dcf", agency: str = "Connecticut DCF", text: str = ""
) -> Clause:
    body = text or f"Employees shall not post images of children in care (clause {n})."
    return Clause(
        id=f"{agency_id}:{n:04d}",
        policy_id=f"{agency_id}-policy",
        agency_id=agency_id,
        agency=agency,
        policy="Social Media Policy",
        section=f"{n}.1",
        context="",
        text=body,
        start=0,
        end=len(body),
        ordinal=n,
    )


def all_text(card: dict[str, Any]) -> str:
    return "\n".join(str(n.get("text", "")) for n in walk(card))


def version_ok(card: dict[str, Any]) -> bool:
    major, minor = (int(p) for p in card["version"].split("."))
    return (major, minor) <= (1, 5)


def test_answer_card_quotes_each_clause_under_its_own_agency() -> None:
    ct, ma = (
        clause(1),
        clause(2, "ma-dys", "Massachusetts DYS", "Staff shall not *display* names_of youth."),
    )
    answer = Answer(
        question="Can I post photos?",
        covered=True,
        answer="Not allowed in either agency.",
        verdicts=[
            AgencyVerdict("ct-dcf", ct.agency, Verdict.PROHIBITED, "No photos.", [ct.id]),
            AgencyVerdict("ma-dys", ma.agency, Verdict.PROHIBITED, "No names.", [ma.id]),
        ],
        citations=[Citation(ct, 0.9), Citation(ma, 0.8)],
    )
    rendered = answer_card(answer, "ct-dcf")
    card = rendered.card
    assert card["type"] == "AdaptiveCard" and version_ok(card)
    text = all_text(card)
    # Verbatim, Markdown characters included (a TextRun is not Markdown).
    runs = [n for n in walk(card) if n.get("type") == "TextRun"]
    assert any(r["text"] == f"“{ma.text}”" for r in runs)
    assert "Connecticut DCF: Not allowed" in text
    assert "Massachusetts DYS — Social Media Policy, section 2.1" in text
    # The MA quote sits after the MA verdict, not under Connecticut's.
    assert text.index("Massachusetts DYS: Not allowed") < text.index(ma.text)
    assert text.index(ct.text) < text.index("Massachusetts DYS: Not allowed")
    votes = [n for n in walk(card) if n.get("type") == "Action.Submit"]
    assert [v["title"] for v in votes] == ["Helpful", "Not helpful", "Ask the PIO"]
    assert votes[2]["data"]["citations"] == [ct.id, ma.id]
    assert votes[0]["data"] == {
        ACTION_KEY: ACTION_FEEDBACK,
        "helpful": True,
        "question": "Can I post photos?",
        "citations": [ct.id, ma.id],
        "agency": "ct-dcf",
    }
    assert ct.text in rendered.fallback and "Connecticut DCF: Not allowed" in rendered.fallback


def test_silent_policies_say_so_with_no_citations_and_name_the_pio() -> None:
    stray = clause(9)
    answer = Answer(
        question="Can I use TikTok filters?",
        covered=False,
        answer="None of the policies address this.",
        citations=[Citation(stray, 0.1)],
    )
    rendered = answer_card(answer)
    text = all_text(rendered.card)
    assert "The policies are silent on this." in text
    assert "Public Information Officer (PIO)" in text
    assert stray.text not in text and stray.text not in rendered.fallback
    assert not any(n.get("italic") for n in walk(rendered.card))
    assert "PIO" in rendered.fallback
    votes = [n for n in walk(rendered.card) if n.get("type") == "Action.Submit"]
    assert all(v["data"]["citations"] == [] for v in votes)
    # Escalation is the main next step when the policies are silent.
    ask_pio = [v for v in votes if v.get("title") == "Ask the PIO"]
    assert len(ask_pio) == 1 and ask_pio[0].get("style") == "positive"


def test_many_long_clauses_are_trimmed_under_the_size_limit_with_a_pointer() -> None:
    long_text = "Staff shall obtain written consent before any image is shared. " * 40
    clauses = [clause(n, text=f"{long_text} ({n})") for n in range(60)]
    answer = Answer(
        question="What are the rules for images?" * 60,
        covered=True,
        answer="Conditions apply.",
        verdicts=[
            AgencyVerdict(
                "ct-dcf",
                "Connecticut DCF",
                Verdict.ALLOWED_WITH_CONDITIONS,
                "Consent first.",
                [c.id for c in clauses],
            )
        ],
        citations=[Citation(c, 0.5) for c in clauses],
    )
    rendered = answer_card(answer)
    size = len(json.dumps(rendered.card, ensure_ascii=False).encode("utf-8"))
    assert size < TEAMS_LIMIT
    assert payload_bytes(rendered) <= MAX_PAYLOAD_BYTES < TEAMS_LIMIT
    assert version_ok(rendered.card)
    shown = [n for n in walk(rendered.card) if n.get("italic")]
    assert 0 < len(shown) < 60
    # Dropped whole: every quote shown is complete.
    assert all(n["text"] == f"“{c.text}”" for n, c in zip(shown, clauses, strict=False))
    assert f"{60 - len(shown)} more quoted clauses did not fit" in all_text(rendered.card)
    vote = next(n for n in walk(rendered.card) if n.get("type") == "Action.Submit")
    assert vote["data"]["citations"] == [c.id for c in clauses[: len(shown)]]


def test_check_card_shows_findings_with_evidence_and_rule_and_stays_small() -> None:
    rule = clause(3)
    finding = Finding(
        "child_name",
        Severity.VIOLATION,
        Evidence(12, 18, "Jaylen"),
        "Names a youth in care.",
        "Remove the name.",
        [Citation(rule, 0.9)],
    )
    rendered = check_card(CheckResult(CheckVerdict.VIOLATION, [finding]), explicit=True)
    text = all_text(rendered.card)
    assert "I checked this as a draft post." in text
    assert "Don't post this as written" in text
    assert "“Jaylen”" in text and rule.text in text and "Remove the name." in text

    many = CheckResult(CheckVerdict.REVIEW, [finding] * 400)
    big = check_card(many, explicit=False)
    assert payload_bytes(big) <= MAX_PAYLOAD_BYTES and version_ok(big.card)
    assert "more findings did not fit" in all_text(big.card)
    assert "looked like a draft post" in all_text(big.card)


def test_welcome_card_offers_example_questions_as_buttons() -> None:
    rendered = welcome_card()
    buttons = [n for n in walk(rendered.card) if n.get("type") == "Action.Submit"]
    onboard, *asks = buttons
    assert onboard["data"] == {ACTION_KEY: "onboard", "do": "start"}
    assert len(asks) == 3
    for button in asks:
        assert button["data"] == {ACTION_KEY: "ask", "question": button["title"]}
    assert version_ok(rendered.card) and payload_bytes(rendered) < TEAMS_LIMIT
    assert "check:" in rendered.fallback
