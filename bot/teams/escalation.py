"""Teams side of PIO escalation: "Ask the PIO", the PIO's answer card, guidance
buttons, reminders and the weekly summary (a bot.pio.PioNotifier).

Messages to the PIO conversation and back to the asker are proactive: they go
through the adapter's ``continue_conversation`` with a stored conversation
reference (the asker's thread or 1:1 chat)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import BotAdapter, MessageFactory, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    ConversationAccount,
    ConversationReference,
)

from bot.core.assistant import Assistant
from bot.core.escalation import NOT_SET_UP, AlreadyAnswered, EscalationDesk, EscalationError
from bot.core.models import Clause
from bot.core.records import Escalation
from bot.teams import cards, pio_cards

log = logging.getLogger(__name__)

PLATFORM = "teams"
SENT_TEXT = "Sent to the PIO. I will bring their answer back to you here."


def card_activity(rendered: cards.Rendered) -> Activity:
    attachment = Attachment(content_type=cards.CARD_CONTENT_TYPE, content=rendered.card)
    activity = MessageFactory.attachment(attachment)
    activity.summary = rendered.fallback
    return activity


def user_key_id(activity: Activity) -> str:
    """The id users are known by in the question log, votes and `policybot forget`."""
    user = activity.from_property
    return (user.aad_object_id or user.id or "") if user else ""


def _clean_ids(raw: Any) -> list[str]:
    if not isinstance(raw, list):
        return []
    return [i[:200] for i in raw[:50] if isinstance(i, str)]


class TeamsEscalations:
    def __init__(
        self,
        assistant: Assistant,
        desk: EscalationDesk,
        pio_conversation: str | None,
        app_id: str | None,
    ) -> None:
        self.assistant = assistant
        self.desk = desk
        self.pio_conversation = pio_conversation
        self.app_id = app_id
        self.adapter: BotAdapter | None = None
        # Where the Bot Connector for this tenant lives; learnt from incoming activities.
        self.service_url: str | None = None
        self.bot_account: Any = None

    def seen(self, activity: Activity) -> None:
        if activity.service_url:
            self.service_url = activity.service_url
        if activity.recipient is not None:
            self.bot_account = activity.recipient

    async def _clauses(self, escalation: Escalation) -> list[Clause]:
        return await asyncio.to_thread(self.assistant.cited_clauses, escalation.citation_ids)

    async def _proactive(
        self,
        reference: ConversationReference,
        send: Callable[[TurnContext], Awaitable[str | None]],
    ) -> str | None:
        """Run ``send`` in the referenced conversation; its returned activity id, or None."""
        if self.adapter is None:
            return None
        result: list[str | None] = []

        async def callback(ctx: TurnContext) -> None:
            result.append(await send(ctx))

        try:
            await self.adapter.continue_conversation(reference, callback, self.app_id)
        except Exception as err:
            log.error("Teams: proactive message failed: %s", type(err).__name__)
            return None
        return result[0] if result else None

    def _pio_reference(self, service_url: str | None) -> ConversationReference | None:
        if not self.pio_conversation or not service_url:
            return None
        return ConversationReference(
            channel_id="msteams",
            service_url=service_url,
            conversation=ConversationAccount(id=self.pio_conversation),
            bot=self.bot_account,
        )

    async def _post_to_pio(self, rendered: cards.Rendered, service_url: str | None) -> str | None:
        reference = self._pio_reference(service_url)
        if reference is None:
            return None

        async def send(ctx: TurnContext) -> str | None:
            response = await ctx.send_activity(card_activity(rendered))
            return response.id if response is not None else ""

        return await self._proactive(reference, send)

    # --- asker ------------------------------------------------------------------------

    async def on_escalate(self, turn_context: TurnContext, value: dict[str, Any]) -> None:
        activity = turn_context.activity
        if not self.pio_conversation:
            await turn_context.send_activity(
                NOT_SET_UP.format(setting="POLICYBOT_PIO_TEAMS_CONVERSATION")
            )
            return
        question = value.get("question")
        agency = value.get("agency")
        if (
            not isinstance(question, str)
            or not question.strip()
            or (agency is not None and not isinstance(agency, str))
        ):
            await turn_context.send_activity("I couldn't read that question. Please ask again.")
            return
        reference = TurnContext.get_conversation_reference(activity)
        user = activity.from_property
        reply_to = {
            "reference": reference.serialize(),
            "user_id": user.id if user else None,
            "user_name": user.name if user else None,
        }
        try:
            escalation = await asyncio.to_thread(
                lambda: self.desk.open(
                    platform=PLATFORM,
                    user_id=user_key_id(activity),
                    question=question.strip(),
                    agency_id=agency,
                    citation_ids=_clean_ids(value.get("citations")),
                    reply_to=reply_to,
                )
            )
        except EscalationError as err:
            await turn_context.send_activity(str(err))
            return
        clauses = await self._clauses(escalation)
        rendered = pio_cards.escalation_card(
            escalation, self.assistant.scope_name(escalation.agency_id), clauses
        )
        posted = await self._post_to_pio(rendered, activity.service_url)
        if posted is None:
            await turn_context.send_activity(
                "I saved your question for the PIO but could not post it to their channel yet; "
                "I will keep trying."
            )
            return
        await asyncio.to_thread(
            self.desk.posted,
            escalation.id,
            {
                "conversation": self.pio_conversation,
                "service_url": activity.service_url,
                "activity_id": posted,
            },
        )
        await turn_context.send_activity(SENT_TEXT)

    # --- PIO --------------------------------------------------------------------------

    async def on_pio_answer(self, turn_context: TurnContext, value: dict[str, Any]) -> None:
        activity = turn_context.activity
        escalation_id = value.get("escalation")
        text = value.get(pio_cards.ANSWER_INPUT_ID)
        if not isinstance(escalation_id, str) or not isinstance(text, str):
            await turn_context.send_activity("Type an answer in the card first.")
            return
        name = (activity.from_property.name if activity.from_property else None) or "a PIO"
        try:
            done = await asyncio.to_thread(self.desk.answer, escalation_id, text, name)
        except AlreadyAnswered as err:
            await turn_context.send_activity(str(err))
            return
        except EscalationError as err:
            await turn_context.send_activity(str(err))
            return
        escalation = done.escalation
        await self._deliver(escalation, done.reply_to)
        clauses = await self._clauses(escalation)
        rendered = pio_cards.answered_card(
            escalation,
            self.assistant.scope_name(escalation.agency_id),
            clauses,
            can_save=self.desk.guidance is not None,
        )
        # Replace the card the PIO answered from, so everyone sees it was answered.
        target = activity.reply_to_id or (escalation.pio_message or {}).get("activity_id")
        updated = False
        if target:
            update = card_activity(rendered)
            update.id = target
            update.type = ActivityTypes.message
            try:
                await turn_context.update_activity(update)
                updated = True
            except Exception as err:
                log.error("Teams: could not update the PIO card: %s", type(err).__name__)
        if not updated:
            await turn_context.send_activity(card_activity(rendered))

    async def _deliver(self, escalation: Escalation, reply_to: dict[str, Any]) -> None:
        raw = reply_to.get("reference")
        if not isinstance(raw, dict):
            log.error("escalation %s has no reply address", escalation.id)
            return
        reference = ConversationReference().deserialize(raw)

        async def send(ctx: TurnContext) -> str | None:
            response = await ctx.send_activity(pio_cards.delivered_text(escalation))
            return response.id if response is not None else ""

        if await self._proactive(reference, send) is not None:
            await asyncio.to_thread(self.desk.delivered, escalation.id)
        else:
            log.error("could not deliver the PIO's answer for escalation %s", escalation.id)

    async def on_save_guidance(self, turn_context: TurnContext, value: dict[str, Any]) -> None:
        activity = turn_context.activity
        name = (activity.from_property.name if activity.from_property else None) or "a PIO"
        escalation_id = value.get("escalation")
        try:
            record = await asyncio.to_thread(
                self.desk.save_guidance, str(escalation_id or ""), name
            )
        except EscalationError as err:
            await turn_context.send_activity(str(err))
            return
        await turn_context.send_activity(card_activity(pio_cards.guidance_saved_card(record)))

    async def on_retire_guidance(self, turn_context: TurnContext, value: dict[str, Any]) -> None:
        activity = turn_context.activity
        name = (activity.from_property.name if activity.from_property else None) or "a PIO"
        try:
            record = await asyncio.to_thread(
                self.desk.retire_guidance, str(value.get("guidance") or ""), name
            )
        except EscalationError as err:
            await turn_context.send_activity(str(err))
            return
        await turn_context.send_activity(pio_cards.guidance_retired_text(record))

    # --- PioNotifier --------------------------------------------------------------------

    async def remind(self, escalation: Escalation) -> bool:
        service_url = (escalation.pio_message or {}).get("service_url") or self.service_url
        clauses = await self._clauses(escalation)
        rendered = pio_cards.escalation_card(
            escalation, self.assistant.scope_name(escalation.agency_id), clauses, reminder=True
        )
        posted = await self._post_to_pio(rendered, service_url)
        return posted is not None

    async def post_summary(self, text: str) -> bool:
        reference = self._pio_reference(self.service_url)
        if reference is None:
            log.warning("Teams: no Bot Connector seen yet; weekly summary not posted to Teams")
            return False

        async def send(ctx: TurnContext) -> str | None:
            response = await ctx.send_activity(Activity(type=ActivityTypes.message, text=text))
            return response.id if response is not None else ""

        return await self._proactive(reference, send) is not None
