"""Slack handlers for PIO escalation: "Ask the PIO", the PIO's "Answer" modal,
saving and retiring guidance, reminders and the weekly summary (PioNotifier)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.core.assistant import Assistant
from bot.core.escalation import NOT_SET_UP, EscalationDesk, EscalationError
from bot.core.models import Clause
from bot.core.records import Escalation
from bot.slack import blocks, pio_blocks
from bot.slack.blocks import Message
from bot.slack.web import SlackPoster

log = logging.getLogger(__name__)

AckFn = Callable[..., Awaitable[Any]]
PLATFORM = "slack"


def _actor(body: dict[str, Any]) -> tuple[str, str]:
    """(user id, display name) of whoever clicked."""
    user = body.get("user") or {}
    uid = str(user.get("id", ""))
    name = str(user.get("name") or user.get("username") or uid or "a PIO")
    return uid, name


class SlackEscalations:
    def __init__(
        self,
        assistant: Assistant,
        poster: SlackPoster,
        desk: EscalationDesk,
        pio_channel: str | None,
    ) -> None:
        self.assistant = assistant
        self.poster = poster
        self.desk = desk
        self.pio_channel = pio_channel

    # --- helpers --------------------------------------------------------------------

    async def _clauses(self, escalation: Escalation) -> list[Clause]:
        return await asyncio.to_thread(self.assistant.cited_clauses, escalation.citation_ids)

    @staticmethod
    def _asker(escalation: Escalation) -> str:
        user = (escalation.reply_to or {}).get("user")
        return f"<@{user}>" if user else "(the person who asked)"

    async def _tell(self, rid: str, body: dict[str, Any], message: Message) -> None:
        """Ephemeral to whoever clicked; their DM when there is no response_url."""
        url = body.get("response_url") or next(
            (u.get("response_url") for u in body.get("response_urls") or []), None
        )
        if url and await self.poster.respond(rid, url, message):
            return
        uid, _ = _actor(body)
        if uid:
            await self.poster.dm(rid, uid, message)

    # --- asker: "Ask the PIO" ---------------------------------------------------------

    async def on_escalate(self, ack: AckFn, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        rid = str(body.get("trigger_id") or "escalate")
        uid, _ = _actor(body)
        if not self.pio_channel:
            await self._tell(
                rid,
                body,
                blocks.render_error(NOT_SET_UP.format(setting="POLICYBOT_PIO_SLACK_CHANNEL")),
            )
            return
        ref = blocks.parse_feedback_value(action.get("value", ""))
        if ref is None or not ref.question.strip():
            await self._tell(rid, body, blocks.render_error("I could not read that question."))
            return
        message = body.get("message") or {}
        container = body.get("container") or {}
        channel = (body.get("channel") or {}).get("id", "")
        # An ephemeral answer (slash command) must not become a public thread: use the DM.
        reply_to: dict[str, Any] = {"user": uid}
        if channel and message.get("ts") and not container.get("is_ephemeral"):
            reply_to["channel"] = channel
            reply_to["thread_ts"] = message.get("thread_ts") or message["ts"]
        try:
            escalation = await asyncio.to_thread(
                lambda: self.desk.open(
                    platform=PLATFORM,
                    user_id=uid,
                    question=ref.question,
                    agency_id=ref.agency_id,
                    citation_ids=ref.citation_ids,
                    reply_to=reply_to,
                )
            )
        except EscalationError as err:
            await self._tell(rid, body, blocks.render_error(str(err)))
            return
        except Exception:
            log.exception("storing an escalation failed (request %s)", rid)
            await self._tell(
                rid,
                body,
                blocks.render_error(
                    f"I could not send that to the PIO (reference {rid}). Please try again."
                ),
            )
            return
        clauses = await self._clauses(escalation)
        posted = await self.poster.post_message_ts(
            rid,
            self.pio_channel,
            pio_blocks.escalation_message(
                escalation, f"<@{uid}>", self.assistant.scope_name(escalation.agency_id), clauses
            ),
        )
        if posted is None:
            # Stored, so the reminder task will post it again; the asker is told honestly.
            await self._tell(
                rid,
                body,
                blocks.render_error(
                    "I saved your question for the PIO but could not post it to their channel "
                    "yet; I will keep trying."
                ),
            )
            return
        await asyncio.to_thread(
            self.desk.posted, escalation.id, {"channel": self.pio_channel, "ts": posted}
        )
        await self._tell(rid, body, pio_blocks.sent_to_pio())

    # --- PIO: "Answer" ------------------------------------------------------------------

    async def on_answer_clicked(
        self, ack: AckFn, body: dict[str, Any], action: dict[str, Any]
    ) -> None:
        await ack()
        rid = str(body.get("trigger_id") or "answer")
        try:
            escalation = await asyncio.to_thread(self.desk.get, action.get("value", ""))
        except EscalationError as err:
            await self._tell(rid, body, blocks.render_error(str(err)))
            return
        if not escalation.is_open:
            await self._tell(
                rid,
                body,
                blocks.render_notice(
                    f"Already answered by *{blocks.escape(escalation.answered_by or 'a PIO')}* "
                    f"on {pio_blocks.when(escalation.answered_at)}."
                ),
            )
            return
        where = {
            "c": (body.get("channel") or {}).get("id", ""),
            "ts": (body.get("message") or {}).get("ts", ""),
        }
        if not await self.poster.views_open(
            rid, body.get("trigger_id", ""), pio_blocks.answer_modal(escalation, where)
        ):
            await self._tell(rid, body, blocks.render_error("I could not open the answer form."))

    async def on_answer_submitted(self, ack: AckFn, body: dict[str, Any]) -> None:
        view = body.get("view") or {}
        rid = str(view.get("id") or "answer")
        meta = pio_blocks.parse_modal_metadata(view.get("private_metadata", ""))
        values = view.get("state", {}).get("values", {})
        text = (
            values.get(pio_blocks.ANSWER_BLOCK_ID, {}).get(pio_blocks.ANSWER_ACTION_ID) or {}
        ).get("value") or ""
        _, name = _actor(body)
        try:
            done = await asyncio.to_thread(self.desk.answer, meta.get("e", ""), text, name)
        except EscalationError as err:
            # The PIO sees why in the form itself (including "already answered by …").
            await ack(response_action="errors", errors={pio_blocks.ANSWER_BLOCK_ID: str(err)})
            return
        await ack(response_action="clear")
        escalation = done.escalation
        await self._deliver(rid, escalation, done.reply_to)
        clauses = await self._clauses(escalation)
        answered = pio_blocks.answered_message(
            escalation,
            self._asker(escalation) if escalation.reply_to else "(the person who asked)",
            self.assistant.scope_name(escalation.agency_id),
            clauses,
            can_save=self.desk.guidance is not None,
        )
        targets = []
        if meta.get("c") and meta.get("ts"):
            targets.append((meta["c"], meta["ts"]))
        pio = escalation.pio_message or {}
        if pio.get("channel") and pio.get("ts") and (pio["channel"], pio["ts"]) not in targets:
            targets.append((str(pio["channel"]), str(pio["ts"])))
        for channel, ts in targets:
            await self.poster.update(rid, channel, ts, answered)

    async def _deliver(self, rid: str, escalation: Escalation, reply_to: dict[str, Any]) -> None:
        user = str(reply_to.get("user", ""))
        message = pio_blocks.delivered_answer(escalation, f"<@{user}>" if user else "")
        ok = False
        if reply_to.get("channel"):
            ok = await self.poster.post_message(
                rid, str(reply_to["channel"]), message, thread_ts=reply_to.get("thread_ts")
            )
        if not ok and user:
            ok = await self.poster.dm(rid, user, message)
        if ok:
            await asyncio.to_thread(self.desk.delivered, escalation.id)
        else:
            log.error("could not deliver the PIO's answer for escalation %s", escalation.id)

    # --- guidance -------------------------------------------------------------------

    async def on_save_guidance(
        self, ack: AckFn, body: dict[str, Any], action: dict[str, Any]
    ) -> None:
        await ack()
        rid = str(body.get("trigger_id") or "guidance")
        _, name = _actor(body)
        try:
            record = await asyncio.to_thread(self.desk.save_guidance, action.get("value", ""), name)
        except EscalationError as err:
            await self._tell(rid, body, blocks.render_error(str(err)))
            return
        channel = (body.get("channel") or {}).get("id", "") or self.pio_channel or ""
        thread = (body.get("message") or {}).get("ts")
        if not await self.poster.post_message(
            rid, channel, pio_blocks.guidance_saved(record), thread_ts=thread
        ):
            await self._tell(rid, body, pio_blocks.guidance_saved(record))

    async def on_retire_guidance(
        self, ack: AckFn, body: dict[str, Any], action: dict[str, Any]
    ) -> None:
        await ack()
        rid = str(body.get("trigger_id") or "retire")
        _, name = _actor(body)
        try:
            record = await asyncio.to_thread(
                self.desk.retire_guidance, action.get("value", ""), name
            )
        except EscalationError as err:
            await self._tell(rid, body, blocks.render_error(str(err)))
            return
        channel = (body.get("channel") or {}).get("id", "")
        ts = (body.get("message") or {}).get("ts", "")
        done = pio_blocks.guidance_retired(record)
        if not (channel and ts and await self.poster.update(rid, channel, ts, done)):
            await self._tell(rid, body, done)

    # --- PioNotifier --------------------------------------------------------------------

    async def remind(self, escalation: Escalation) -> bool:
        if not self.pio_channel:
            return False
        clauses = await self._clauses(escalation)
        message = pio_blocks.escalation_message(
            escalation,
            self._asker(escalation),
            self.assistant.scope_name(escalation.agency_id),
            clauses,
            reminder_hours=self.desk.reminder_hours,
        )
        ts = await self.poster.post_message_ts("reminder", self.pio_channel, message)
        if ts is not None and not escalation.pio_message:
            # Never posted before (Slack was down at the time): this is now its message.
            await asyncio.to_thread(
                self.desk.posted, escalation.id, {"channel": self.pio_channel, "ts": ts}
            )
        return ts is not None

    async def post_summary(self, text: str) -> bool:
        if not self.pio_channel:
            return False
        message = Message(
            text=blocks.clamp(blocks.escape(text), blocks.MAX_FALLBACK_TEXT),
            blocks=blocks.sections(text)[: blocks.MAX_MESSAGE_BLOCKS],
        )
        return await self.poster.post_message("summary", self.pio_channel, message)
