"""Adaptive Cards for PIO escalations (pure: values in, cards out)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.core.models import Clause
from bot.core.records import Escalation, GuidanceRecord
from bot.teams.cards import (
    ACTION_KEY,
    ACTION_PIO_ANSWER,
    ACTION_RETIRE_GUIDANCE,
    ACTION_SAVE_GUIDANCE,
    Rendered,
    _card,
    _plain,
    _text,
)

ANSWER_INPUT_ID = "answer"
MAX_CLAUSES_SHOWN = 5


def when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC") if at else ""


def _mention(user_id: str | None, name: str | None) -> tuple[str, list[dict[str, Any]]]:
    """Teams mention markup plus its entity (both are needed for a real @mention)."""
    if not user_id:
        return "(the person who asked)", []
    label = name or "the person who asked"
    text = f"<at>{label}</at>"
    return text, [{"type": "mention", "text": text, "mentioned": {"id": user_id, "name": label}}]


def _question_items(
    escalation: Escalation, agency: str, clauses: Sequence[Clause]
) -> tuple[list[dict[str, Any]], list[str], list[dict[str, Any]]]:
    reply = escalation.reply_to or {}
    asker, entities = _mention(reply.get("user_id"), reply.get("user_name"))
    body: list[dict[str, Any]] = [
        _text(f"From: {asker}    Agency: {agency}", size="Small"),
        _text("Question:", weight="Bolder"),
        _plain(escalation.question),
    ]
    lines = [f"Agency: {agency}", f"Question: {escalation.question}"]
    if clauses:
        body.append(_text("Clauses the bot found:", weight="Bolder", size="Small"))
        for c in clauses[:MAX_CLAUSES_SHOWN]:
            body.append(_text(f"{c.agency} — {c.policy} — {c.section}", size="Small", subtle=True))
            body.append(_plain(f"“{c.text}”", italic=True))
            lines.append(f"“{c.text}” — {c.agency}, {c.section}")
    else:
        body.append(
            _text("The policies are silent on this: the bot quoted no clause.", size="Small")
        )
        lines.append("The policies are silent on this.")
    return body, lines, entities


def _with_entities(card: dict[str, Any], entities: list[dict[str, Any]]) -> dict[str, Any]:
    if entities:
        card["msteams"] = {**card.get("msteams", {}), "entities": entities}
    return card


def escalation_card(
    escalation: Escalation,
    agency: str,
    clauses: Sequence[Clause],
    *,
    reminder: bool = False,
) -> Rendered:
    title = "Reminder: question still waiting for the PIO" if reminder else "Question for the PIO"
    items, lines, entities = _question_items(escalation, agency, clauses)
    body = [_text(title, weight="Bolder", size="Medium"), *items]
    if reminder:
        body.insert(
            1, _text(f"Asked {when(escalation.created_at)}, not answered yet.", size="Small")
        )
    body.append(
        {
            "type": "Input.Text",
            "id": ANSWER_INPUT_ID,
            "isMultiline": True,
            "maxLength": 3000,
            "label": "Your answer (sent to the person who asked)",
            "placeholder": "Type your answer",
        }
    )
    body.append(_text(f"Escalation {escalation.id}", size="Small", subtle=True))
    actions = [
        {
            "type": "Action.Submit",
            "title": "Send answer",
            "style": "positive",
            "data": {ACTION_KEY: ACTION_PIO_ANSWER, "escalation": escalation.id},
        }
    ]
    card = _with_entities(_card(body, actions), entities)
    return Rendered(card, "\n".join([title, *lines]))


def answered_card(
    escalation: Escalation, agency: str, clauses: Sequence[Clause], *, can_save: bool
) -> Rendered:
    items, lines, entities = _question_items(escalation, agency, clauses)
    who = escalation.answered_by or "a PIO"
    done = f"Answered by {who} on {when(escalation.answered_at)}:"
    body = [
        _text("Question for the PIO — answered", weight="Bolder", size="Medium"),
        *items,
        _text(done, weight="Bolder", color="Good"),
        _plain(escalation.answer or ""),
        _text(f"Escalation {escalation.id}", size="Small", subtle=True),
    ]
    actions = (
        [
            {
                "type": "Action.Submit",
                "title": "Save as guidance",
                "data": {ACTION_KEY: ACTION_SAVE_GUIDANCE, "escalation": escalation.id},
            }
        ]
        if can_save
        else None
    )
    card = _with_entities(_card(body, actions), entities)
    return Rendered(card, "\n".join([*lines, done, escalation.answer or ""]))


def delivered_text(escalation: Escalation) -> str:
    return (
        f'Your PIO answered your question "{escalation.question}":\n\n'
        f"{escalation.answer}\n\n"
        f"Answered by {escalation.answered_by or 'a PIO'} on {when(escalation.answered_at)}. "
        "This is guidance from your PIO, not policy text."
    )


def guidance_saved_card(record: GuidanceRecord) -> Rendered:
    scope = record.agency_id or "all agencies"
    head = (
        f"Saved as guidance ({scope}) by {record.author} on {when(record.created_at)}. "
        "Answers to similar questions will show it under the policy quotes, labelled as PIO "
        "guidance."
    )
    body = [
        _text(head, weight="Bolder"),
        _plain(record.text),
        _text(f"Guidance {record.id}", size="Small", subtle=True),
    ]
    actions = [
        {
            "type": "Action.Submit",
            "title": "Retire guidance",
            "style": "destructive",
            "data": {ACTION_KEY: ACTION_RETIRE_GUIDANCE, "guidance": record.id},
        }
    ]
    return Rendered(_card(body, actions), f"{head}\n{record.text}")


def guidance_retired_text(record: GuidanceRecord) -> str:
    return (
        f"Guidance {record.id} retired by {record.retired_by or 'a PIO'} on "
        f"{when(record.retired_at)}. It will not be shown again."
    )
