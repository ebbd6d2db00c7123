"""Pure renderers: core values in, Adaptive Card dicts (plus a plain-text fallback) out.

Quotes and anything the user typed go into RichTextBlock/TextRun elements, which
Teams renders as plain text: a policy clause containing ``*`` or ``_`` stays
verbatim instead of being read as Markdown.

Limits kept here (tested): card schema version 1.5 at most, and card plus
fallback under Teams' 40 KB message limit. When an answer quotes more than
fits, whole clauses (never parts of a quote) are left out from the end and the
card says how many and where to see them all.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.core.models import (
    Answer,
    CheckResult,
    CheckVerdict,
    Citation,
    Finding,
    Severity,
)

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.5"
# Teams refuses messages over 40 KB (the whole activity). The card and the
# fallback text share this budget; the rest is left for the activity envelope.
MAX_PAYLOAD_BYTES = 36 * 1024

ACTION_KEY = "policybot"
ACTION_FEEDBACK = "feedback"
ACTION_ASK = "ask"
ACTION_ONBOARD = "onboard"
ONBOARD_BUTTON = "Start new-hire onboarding"
ACTION_ESCALATE = "escalate"
ACTION_PIO_ANSWER = "pio_answer"
ACTION_SAVE_GUIDANCE = "save_guidance"
ACTION_RETIRE_GUIDANCE = "retire_guidance"
GUIDANCE_LABEL = "PIO guidance (not policy text)"

PIO_SENTENCE = (
    "Ask your agency's Public Information Officer (PIO) before you post anything on this."
)

EXAMPLE_QUESTIONS: tuple[str, ...] = (
    "Can I post a photo of a youth in care?",
    "May I accept a friend request from a client's parent?",
    "Do I need approval before talking to a reporter?",
)


@dataclass(frozen=True)
class Rendered:
    """One message: the Adaptive Card and the text shown where cards cannot be."""

    card: dict[str, Any]
    fallback: str


def payload_bytes(rendered: Rendered) -> int:
    card = json.dumps(rendered.card, ensure_ascii=False, separators=(",", ":"))
    return len(card.encode("utf-8")) + len(rendered.fallback.encode("utf-8"))


def _largest_fitting(total: int, render: Callable[[int], Rendered]) -> Rendered:
    """Render with as many of ``total`` items as fit the size budget (binary search)."""
    rendered = render(total)
    if payload_bytes(rendered) <= MAX_PAYLOAD_BYTES:
        return rendered
    low, high = 0, total - 1  # the answer lies in [low, high]
    while low < high:
        mid = (low + high + 1) // 2
        if payload_bytes(render(mid)) <= MAX_PAYLOAD_BYTES:
            low = mid
        else:
            high = mid - 1
    return render(low)


def _card(
    body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": body,
        # Teams otherwise draws cards at a narrow fixed width; quotes need the room.
        "msteams": {"width": "Full"},
    }
    if actions:
        card["actions"] = actions
    return card


def _text(
    text: str,
    *,
    weight: str | None = None,
    size: str | None = None,
    subtle: bool = False,
    color: str | None = None,
    spacing: str | None = None,
) -> dict[str, Any]:
    """Bot-written text (TextBlock, Markdown allowed)."""
    block: dict[str, Any] = {"type": "TextBlock", "text": text, "wrap": True}
    if weight:
        block["weight"] = weight
    if size:
        block["size"] = size
    if subtle:
        block["isSubtle"] = True
    if color:
        block["color"] = color
    if spacing:
        block["spacing"] = spacing
    return block


def _plain(text: str, *, italic: bool = False, subtle: bool = False) -> dict[str, Any]:
    """Verbatim text (a quote, the user's own words): a TextRun is never read as Markdown."""
    run: dict[str, Any] = {"type": "TextRun", "text": text}
    if italic:
        run["italic"] = True
    if subtle:
        run["isSubtle"] = True
    return {"type": "RichTextBlock", "inlines": [run]}


def _source_line(citation: Citation) -> str:
    c = citation.clause
    section = f", section {c.section}" if c.section else ""
    return f"{c.agency} — {c.policy}{section}"


def _quote_items(citation: Citation) -> list[dict[str, Any]]:
    c = citation.clause
    items: list[dict[str, Any]] = []
    if c.context:
        items.append(_plain(f"({c.context})", subtle=True))
    items.append(_plain(f"“{c.text}”", italic=True))
    items.append(_text(_source_line(citation), size="Small", subtle=True, spacing="None"))
    return items


def _quote_text(citation: Citation) -> str:
    c = citation.clause
    context = f"({c.context}) " if c.context else ""
    return f"  {context}“{c.text}” — {_source_line(citation)}"


# Free text echoed into a card is bounded so the card always fits MAX_PAYLOAD_BYTES
# (quotes are never cut: only how many are shown changes).
MAX_QUESTION_ECHO = 500
MAX_FEEDBACK_QUESTION = 2000
MAX_PROSE = 4000


def _clamp(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _feedback_actions(
    answer: Answer, citation_ids: list[str], agency_id: str | None
) -> list[dict[str, Any]]:
    # Everything needed to record the vote travels in the action data, so no
    # server-side state is kept between the answer and the click.
    def data(helpful: bool) -> dict[str, Any]:
        return {
            ACTION_KEY: ACTION_FEEDBACK,
            "helpful": helpful,
            "question": answer.question[:MAX_FEEDBACK_QUESTION],
            "citations": list(citation_ids),
            "agency": agency_id,
        }

    escalate = {
        ACTION_KEY: ACTION_ESCALATE,
        "question": answer.question,
        "citations": list(citation_ids),
        "agency": agency_id,
    }
    ask_pio: dict[str, Any] = {"type": "Action.Submit", "title": "Ask the PIO", "data": escalate}
    if not answer.covered:
        ask_pio["style"] = "positive"  # the main next step when the policies are silent
    return [
        {"type": "Action.Submit", "title": "Helpful", "data": data(True)},
        {"type": "Action.Submit", "title": "Not helpful", "data": data(False)},
        ask_pio,
    ]


def _guidance(answer: Answer, body: list[dict[str, Any]], lines: list[str]) -> None:
    """Earlier PIO answers, under the quotes: labelled, with who and when, never as policy."""
    for g in answer.guidance:
        label = f"{GUIDANCE_LABEL} — {g.author}, {g.created}"
        body.append(
            {
                "type": "Container",
                "separator": True,
                "style": "emphasis",
                "items": [_text(label, weight="Bolder", size="Small"), _plain(g.text)],
            }
        )
        lines.append(f"{label}: {g.text}")


def _render_answer(answer: Answer, agency_id: str | None, shown: int) -> Rendered:
    question = _clamp(answer.question, MAX_QUESTION_ECHO)
    prose = _clamp(answer.answer, MAX_PROSE)
    notice = _clamp(answer.notice, MAX_PROSE)
    body: list[dict[str, Any]] = [
        _text("I read this as a question.", size="Small", subtle=True),
        _plain(question, subtle=True),
    ]
    lines: list[str] = [f"Question: {question}"]
    if notice:
        body.append(_text(notice, size="Small", color="Warning"))
        lines.append(f"Note: {notice}")

    if not answer.covered:
        # Silent policies: say so plainly, cite nothing, point to the PIO in words.
        body.append(_text("The policies are silent on this.", weight="Bolder", size="Medium"))
        if prose:
            body.append(_text(prose))
        body.append(_text(PIO_SENTENCE))
        lines += ["The policies are silent on this.", prose, PIO_SENTENCE]
        _guidance(answer, body, lines)
        fallback = "\n".join(line for line in lines if line)
        return Rendered(_card(body, _feedback_actions(answer, [], agency_id)), fallback)

    if prose:
        body.append(_text(prose, weight="Bolder"))
        lines.append(prose)

    visible = answer.citations[:shown]
    visible_ids = {c.id for c in visible}
    placed: set[str] = set()
    for verdict in answer.verdicts:
        body.append(
            {
                "type": "Container",
                "separator": True,
                "items": [
                    _text(f"{verdict.agency}: {verdict.label}", weight="Bolder", size="Medium"),
                    _text(verdict.summary) if verdict.summary else _text(verdict.label),
                ],
            }
        )
        lines.append(f"{verdict.agency}: {verdict.label}. {verdict.summary}".rstrip())
        for cid in verdict.citation_ids:
            citation = answer.citation(cid)
            if citation is None or cid not in visible_ids or cid in placed:
                continue
            placed.add(cid)
            body.append({"type": "Container", "items": _quote_items(citation)})
            lines.append(_quote_text(citation))
    rest = [c for c in visible if c.id not in placed]
    if rest:
        body.append(_text("Other quoted clauses", weight="Bolder", spacing="Medium"))
        for citation in rest:
            body.append({"type": "Container", "items": _quote_items(citation)})
            lines.append(_quote_text(citation))
    hidden = len(answer.citations) - len(visible)
    if hidden > 0:
        pointer = (
            f"{hidden} more quoted clause{'s' if hidden != 1 else ''} did not fit in this "
            "message. Ask a narrower question, or run `policybot ask` in a terminal to see all."
        )
        body.append(_text(pointer, size="Small", color="Warning"))
        lines.append(pointer)
    _guidance(answer, body, lines)
    actions = _feedback_actions(answer, [c.id for c in visible], agency_id)
    return Rendered(_card(body, actions), "\n".join(lines))


def answer_card(answer: Answer, agency_id: str | None = None) -> Rendered:
    """The answer as a card: verdict per agency, each quote with agency, policy, section."""
    return _largest_fitting(
        len(answer.citations), lambda shown: _render_answer(answer, agency_id, shown)
    )


_CHECK_HEADLINES: dict[CheckVerdict, tuple[str, str]] = {
    CheckVerdict.OK: ("No problems found in this draft.", "Good"),
    CheckVerdict.REVIEW: ("This draft needs a second look before it goes out.", "Warning"),
    CheckVerdict.VIOLATION: ("Don't post this as written: it breaks policy.", "Attention"),
}
_SEVERITY_LABELS: dict[Severity, str] = {
    Severity.VIOLATION: "Breaks policy",
    Severity.REVIEW: "Check this",
}


def _finding_items(finding: Finding) -> tuple[list[dict[str, Any]], list[str]]:
    label = _SEVERITY_LABELS.get(finding.severity, finding.severity.value)
    category = finding.category.replace("_", " ")
    items: list[dict[str, Any]] = [
        _text(f"{label}: {category}", weight="Bolder"),
        _plain(f"“{finding.evidence.text}”", italic=True),
        _text(finding.explanation),
    ]
    lines = [f"{label}: {category} — “{finding.evidence.text}”", f"  {finding.explanation}"]
    if finding.suggestion:
        items.append(_text(f"Suggestion: {finding.suggestion}", subtle=True))
        lines.append(f"  Suggestion: {finding.suggestion}")
    for citation in finding.citations:
        items.extend(_quote_items(citation))
        lines.append(_quote_text(citation))
    return items, lines


def _render_check(result: CheckResult, explicit: bool, private_note: bool, shown: int) -> Rendered:
    how = (
        "I checked this as a draft post."
        if explicit
        else "This looked like a draft post, so I checked it. "
        "(To ask a question instead, end it with a question mark.)"
    )
    if private_note:
        how += " Only you can see this; your draft is not stored."
    headline, color = _CHECK_HEADLINES[result.verdict]
    body: list[dict[str, Any]] = [
        _text(how, size="Small", subtle=True),
        _text(headline, weight="Bolder", size="Medium", color=color),
    ]
    lines = [how, headline]
    if result.notice:
        body.append(_text(result.notice, size="Small", color="Warning"))
        lines.append(f"Note: {result.notice}")
    for finding in result.findings[:shown]:
        items, finding_lines = _finding_items(finding)
        body.append({"type": "Container", "separator": True, "items": items})
        lines += finding_lines
    hidden = len(result.findings) - shown
    if hidden > 0:
        pointer = (
            f"{hidden} more finding{'s' if hidden != 1 else ''} did not fit in this message. "
            "Run `policybot check` in a terminal to see all."
        )
        body.append(_text(pointer, size="Small", color="Warning"))
        lines.append(pointer)
    return Rendered(_card(body), "\n".join(lines))


def check_card(result: CheckResult, *, explicit: bool, private_note: bool = True) -> Rendered:
    """A draft check: overall verdict, each finding with the words it is about and its rule."""
    return _largest_fitting(
        len(result.findings), lambda shown: _render_check(result, explicit, private_note, shown)
    )


def welcome_card(examples: tuple[str, ...] = EXAMPLE_QUESTIONS) -> Rendered:
    body = [
        _text("Hi, I'm PolicyBot.", weight="Bolder", size="Medium"),
        _text(
            "Ask me what your agency's social-media policy says. I answer with the exact "
            "policy clauses, quoted word for word with agency, policy and section, and a "
            "plain verdict for each agency."
        ),
        _text(
            "To check a post before it goes out, paste it here or start with **check:**. "
            "In a channel, @mention me; draft checks always come back to you in a private chat."
        ),
        _text(
            "New here? **Start new-hire onboarding** (or send me **onboard**) for a short tour "
            "of the rules that matter most, then a quiz."
        ),
        _text("Try one of these:", weight="Bolder"),
    ]
    actions = [
        {
            "type": "Action.Submit",
            "title": ONBOARD_BUTTON,
            "style": "positive",
            "data": {ACTION_KEY: ACTION_ONBOARD, "do": "start"},
        },
        *(
            {"type": "Action.Submit", "title": q, "data": {ACTION_KEY: ACTION_ASK, "question": q}}
            for q in examples
        ),
    ]
    fallback = (
        "Hi, I'm PolicyBot. Ask me what your agency's social-media policy says, or start a "
        "message with 'check:' to check a draft post. New here? Send 'onboard' for a short tour "
        "of the key rules. Try: " + " / ".join(examples)
    )
    return Rendered(_card(body, actions), fallback)
