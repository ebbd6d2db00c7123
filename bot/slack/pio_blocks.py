"""Pure Block Kit renderers for PIO escalations: the PIO channel message, the
answer modal, the asker's delivered answer and saved-guidance messages."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.core.models import Clause
from bot.core.records import Escalation, GuidanceRecord
from bot.slack.blocks import (
    MAX_INPUT_CHARS,
    MAX_VIEW_TITLE,
    Block,
    Message,
    button,
    clamp,
    clamp_escaped,
    context,
    escape,
    header,
    section,
)

ACTION_PIO_ANSWER = "pio_answer"
ACTION_SAVE_GUIDANCE = "pio_save_guidance"
ACTION_RETIRE_GUIDANCE = "guidance_retire"
ANSWER_MODAL_ID = "pio_answer_modal"
ANSWER_BLOCK_ID = "pio_answer_text"
ANSWER_ACTION_ID = "answer_text"
MAX_CLAUSES_SHOWN = 5


def when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC") if at else ""


def _question_blocks(
    escalation: Escalation, asker: str, agency: str, clauses: Sequence[Clause]
) -> list[Block]:
    out: list[Block] = [
        section(
            f"*From:* {asker}   *Agency:* {escape(agency)}\n"
            f"*Question:* {clamp_escaped(escalation.question, 2500)}"
        )
    ]
    if clauses:
        out.append(context("*Clauses the bot found:*"))
        for c in clauses[:MAX_CLAUSES_SHOWN]:
            out.append(context(f"{escape(c.agency)} — {escape(c.policy)} — {escape(c.section)}"))
            out.append(section("> " + clamp_escaped(c.text, 2800).replace("\n", "\n> ")))
    else:
        out.append(context("The policies are silent on this: the bot quoted no clause."))
    return out


def escalation_message(
    escalation: Escalation,
    asker: str,
    agency: str,
    clauses: Sequence[Clause],
    *,
    reminder_hours: float | None = None,
) -> Message:
    """The PIO channel message: the question, who asked, the agency, the clauses, "Answer"."""
    title = (
        "Reminder: question still waiting for the PIO"
        if reminder_hours
        else ("Question for the PIO")
    )
    blocks: list[Block] = [header(title)]
    if reminder_hours:
        blocks.append(context(f"Asked {when(escalation.created_at)}, not answered yet."))
    blocks.extend(_question_blocks(escalation, asker, agency, clauses))
    blocks.append(
        {
            "type": "actions",
            "block_id": "pio_actions",
            "elements": [button("Answer", ACTION_PIO_ANSWER, escalation.id, style="primary")],
        }
    )
    blocks.append(context(f"Escalation `{escalation.id}`"))
    text = f"{title}: {clamp(escape(escalation.question), 200)}"
    return Message(text=text, blocks=blocks)


def answered_message(
    escalation: Escalation,
    asker: str,
    agency: str,
    clauses: Sequence[Clause],
    *,
    can_save: bool,
) -> Message:
    """The same PIO message once answered: everyone in the channel sees who answered and when."""
    blocks: list[Block] = [header("Question for the PIO — answered")]
    blocks.extend(_question_blocks(escalation, asker, agency, clauses))
    blocks.append(
        section(
            f":white_check_mark: *Answered by {escape(escalation.answered_by or 'a PIO')}* "
            f"on {when(escalation.answered_at)}:\n{clamp_escaped(escalation.answer or '', 2500)}"
        )
    )
    if can_save:
        blocks.append(
            {
                "type": "actions",
                "block_id": "pio_guidance",
                "elements": [button("Save as guidance", ACTION_SAVE_GUIDANCE, escalation.id)],
            }
        )
    blocks.append(context(f"Escalation `{escalation.id}`"))
    return Message(
        text=f"Answered by {escape(escalation.answered_by or 'a PIO')}: "
        f"{clamp(escape(escalation.question), 200)}",
        blocks=blocks,
    )


def answer_modal(escalation: Escalation, where: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": ANSWER_MODAL_ID,
        "private_metadata": json.dumps({"e": escalation.id, **where}),
        "title": {"type": "plain_text", "text": clamp("Answer for staff", MAX_VIEW_TITLE)},
        "submit": {"type": "plain_text", "text": "Send answer"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            section(f"*Question:* {clamp_escaped(escalation.question, 2800)}"),
            {
                "type": "input",
                "block_id": ANSWER_BLOCK_ID,
                "label": {
                    "type": "plain_text",
                    "text": "Your answer (sent to the person who asked)",
                },
                "element": {
                    "type": "plain_text_input",
                    "action_id": ANSWER_ACTION_ID,
                    "multiline": True,
                    "max_length": MAX_INPUT_CHARS,
                },
            },
        ],
    }


def parse_modal_metadata(raw: str) -> dict[str, str]:
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def delivered_answer(escalation: Escalation, asker: str) -> Message:
    """What the asker receives: the PIO's words, clearly not policy text."""
    blocks = [
        section(f"{asker} Your PIO answered your question."),
        context(f"*Question:* {clamp_escaped(escalation.question, 1000)}"),
        section(clamp_escaped(escalation.answer or "", 2900)),
        context(
            f"Answered by {escape(escalation.answered_by or 'a PIO')} on "
            f"{when(escalation.answered_at)}. This is guidance from your PIO, not policy text."
        ),
    ]
    return Message(
        text=f"Your PIO answered: {clamp(escape(escalation.answer or ''), 500)}", blocks=blocks
    )


def sent_to_pio() -> Message:
    text = "Sent to the PIO. I will bring their answer back to you here."
    return Message(text=text, blocks=[section(f":outbox_tray: {text}")])


def guidance_saved(record: GuidanceRecord) -> Message:
    scope = escape(record.agency_id or "all agencies")
    text = (
        f":bookmark: *Saved as guidance* ({scope}) by {escape(record.author)} on "
        f"{when(record.created_at)}. Answers to similar questions will show it under the policy "
        "quotes, labelled as PIO guidance."
    )
    return Message(
        text="Saved as guidance",
        blocks=[
            section(text),
            context(f"*Guidance:* {clamp_escaped(record.text, 2500)}"),
            {
                "type": "actions",
                "block_id": "guidance_actions",
                "elements": [
                    button("Retire guidance", ACTION_RETIRE_GUIDANCE, record.id, style="danger")
                ],
            },
            context(f"Guidance `{record.id}`"),
        ],
    )


def guidance_retired(record: GuidanceRecord) -> Message:
    text = (
        f":no_entry_sign: *Guidance retired* by {escape(record.retired_by or 'a PIO')} on "
        f"{when(record.retired_at)}. It will not be shown again."
    )
    return Message(
        text="Guidance retired",
        blocks=[section(text), context(f"*Was:* {clamp_escaped(record.text, 2500)}")],
    )
