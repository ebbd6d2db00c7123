"""The Teams activity handler: activities in, Assistant calls, cards out.

Privacy: a draft post is only ever passed to ``Assistant.check`` and its
findings sent to the author's 1:1 chat. It is never logged (log lines carry
activity ids, never message text), never stored, never posted to a channel.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
import traceback
from collections.abc import Callable
from typing import Any

from botbuilder.core import ActivityHandler, MessageFactory, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationParameters,
)

from bot.core.assistant import Assistant
from bot.core.feedback import FeedbackRecorder, make_feedback
from bot.core.models import IndexUnavailable, InputError
from bot.core.onboarding.service import Onboarding, OnboardingUnavailable, OnboardingUser, View
from bot.teams import cards, onboarding_cards
from bot.teams.intent import Intent, parse_request

log = logging.getLogger(__name__)

PLATFORM = "teams"
SHARED_CONVERSATIONS = frozenset({"channel", "groupchat"})
MAX_FEEDBACK_CITATIONS = 100

HELP_TEXT = (
    "Ask me a question about your agency's social-media policy, for example "
    '"Can I post a photo of a youth in care?". To check a draft post, start with '
    '"check:" followed by the post.'
)
EMPTY_CHECK_TEXT = 'Paste the post after "check:" and I\'ll check it against the policy.'
PRIVATE_NOTE = "I sent the check to you privately."
PRIVATE_FAILED_NOTE = (
    "I couldn't open a private chat with you, so I didn't check the draft here. "
    'Message me directly (1:1) with "check:" and your post.'
)
ERROR_TEXT = "Sorry, something went wrong on my side (reference {ref}). Please try again."

# "onboard", "onboarding", optionally followed by an agency id.
_ONBOARD = re.compile(r"^\s*onboard(?:ing)?(?:\s+([a-z0-9-]+))?\s*$", re.IGNORECASE)
_AT_TAG = re.compile(r"<at[^>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)
_LEADING_AT = re.compile(r"^\s*(?:<at[^>]*>.*?</at>\s*)+", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"</?(?:p|div|span|br)\b[^>]*>", re.IGNORECASE)


def message_text(activity: Activity) -> str:
    """The message with the bot's @mention removed and Teams markup reduced to text."""
    text = activity.text or ""
    if activity.recipient is not None and activity.entities:
        try:
            text = TurnContext.remove_recipient_mention(activity) or ""
        except (KeyError, TypeError, AttributeError, re.error):
            # Malformed mention entities must not cost the user an answer; the
            # tag stripping below still removes the mention.
            text = activity.text or ""
    text = _LEADING_AT.sub("", text)
    # Other people mentioned inside a question keep their names, without tags.
    text = _AT_TAG.sub(r"\1", text)
    text = _HTML_TAG.sub(" ", text)
    return html.unescape(text).replace("\xa0", " ").strip()


def conversation_type(activity: Activity) -> str:
    conv = activity.conversation
    return ((conv.conversation_type if conv else None) or "personal").lower()


def tenant_id(activity: Activity) -> str | None:
    channel_data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = channel_data.get("tenant")
    if isinstance(tenant, dict) and isinstance(tenant.get("id"), str):
        return str(tenant["id"])
    conv = activity.conversation
    return conv.tenant_id if conv else None


def card_activity(rendered: cards.Rendered) -> Activity:
    attachment = Attachment(content_type=cards.CARD_CONTENT_TYPE, content=rendered.card)
    activity = MessageFactory.attachment(attachment)
    # Shown by clients that cannot render Adaptive Cards, and in notifications.
    activity.summary = rendered.fallback
    return activity


class PolicyTeamsBot(ActivityHandler):
    def __init__(
        self,
        assistant: Assistant,
        feedback: FeedbackRecorder,
        feedback_key: bytes,
        app_id: str | None,
    ) -> None:
        self._assistant = assistant
        self._feedback = feedback
        self._feedback_key = feedback_key
        self._app_id = app_id

    # -- messages ---------------------------------------------------------------

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if isinstance(activity.value, dict) and activity.value.get(cards.ACTION_KEY):
            await self._on_card_action(turn_context, activity.value)
            return
        text = message_text(activity)
        if not text:
            await turn_context.send_activity(HELP_TEXT)
            return
        onboard = _ONBOARD.match(text)
        if onboard:
            user = _onboarding_user(activity)
            agency = onboard.group(1) or None
            await self._onboard(turn_context, lambda o: o.start(user, agency))
            return
        request = parse_request(text)
        if request.intent is Intent.CHECK:
            if not request.text:
                await turn_context.send_activity(EMPTY_CHECK_TEXT)
                return
            await self._check(turn_context, request.text, explicit=request.explicit)
        else:
            await self._ask(turn_context, request.text)

    async def _ask(self, turn_context: TurnContext, question: str) -> None:
        await turn_context.send_activity(Activity(type=ActivityTypes.typing))
        try:
            answer = await asyncio.to_thread(self._assistant.ask, question)
        except InputError as err:
            await turn_context.send_activity(str(err))
            return
        except IndexUnavailable:
            await turn_context.send_activity(IndexUnavailable.USER_MESSAGE)
            return
        rendered = cards.answer_card(answer, self._assistant.default_agency)
        await turn_context.send_activity(card_activity(rendered))

    async def _check(self, turn_context: TurnContext, draft: str, *, explicit: bool) -> None:
        shared = conversation_type(turn_context.activity) in SHARED_CONVERSATIONS
        await turn_context.send_activity(Activity(type=ActivityTypes.typing))
        reply: Activity | str
        try:
            result = await asyncio.to_thread(self._assistant.check, draft)
            reply = card_activity(cards.check_card(result, explicit=explicit))
        except InputError as err:
            reply = str(err)
        except IndexUnavailable:
            reply = IndexUnavailable.USER_MESSAGE
        if not shared:
            await turn_context.send_activity(reply)
            return
        # A draft checked from a channel or group chat goes to its author only.
        if await self._send_private(turn_context, reply):
            await turn_context.send_activity(PRIVATE_NOTE)
        else:
            await turn_context.send_activity(PRIVATE_FAILED_NOTE)

    async def _send_private(self, turn_context: TurnContext, reply: Activity | str) -> bool:
        """Open (or reuse) the 1:1 chat with the sender and post ``reply`` there."""
        incoming = turn_context.activity
        user = incoming.from_property
        if user is None or not user.id or not incoming.service_url:
            return False
        tenant = tenant_id(incoming)
        params = ConversationParameters(
            is_group=False,
            bot=incoming.recipient,
            members=[ChannelAccount(id=user.id)],
            tenant_id=tenant,
            channel_data={"tenant": {"id": tenant}} if tenant else None,
        )
        delivered: list[bool] = []

        async def deliver(private_context: TurnContext) -> None:
            # A fresh 1:1 message, not a reply to the synthetic create-conversation activity.
            private_context.activity.id = None
            await private_context.send_activity(reply)
            delivered.append(True)

        try:
            await turn_context.adapter.create_conversation(
                self._app_id,
                deliver,
                params,
                incoming.channel_id,
                incoming.service_url,
                None,
            )
        except Exception as err:
            log.error(
                "Teams: could not open a 1:1 chat (activity id=%s): %s",
                incoming.id,
                type(err).__name__,
            )
            return False
        return bool(delivered)

    # -- card actions -------------------------------------------------------------

    async def _on_card_action(self, turn_context: TurnContext, value: dict[str, Any]) -> None:
        kind = value.get(cards.ACTION_KEY)
        if kind == cards.ACTION_ASK:
            question = value.get("question")
            if isinstance(question, str) and question.strip():
                await self._ask(turn_context, question.strip())
            else:
                await turn_context.send_activity(HELP_TEXT)
            return
        if kind == cards.ACTION_FEEDBACK:
            await self._record_feedback(turn_context, value)
            return
        if kind == cards.ACTION_ONBOARD:
            await self._onboard_action(turn_context, value)
            return
        await turn_context.send_activity(HELP_TEXT)

    # -- onboarding ----------------------------------------------------------------

    async def _onboard_action(self, turn_context: TurnContext, value: dict[str, Any]) -> None:
        action = onboarding_cards.parse_action(value)
        if action is None:
            await turn_context.send_activity(
                'I couldn\'t read that button. Send me "onboard" to continue the tour.'
            )
            return
        user = _onboarding_user(turn_context.activity)
        agency = action.agency_id or ""
        calls: dict[str, Callable[[Onboarding], View]] = {
            "start": lambda o: o.start(user, action.agency_id),
            "agency": lambda o: o.start(user, agency),
            "next": lambda o: o.next(user, agency, action.step),
            "continue": lambda o: o.current(user, agency),
            "restart": lambda o: o.restart(user, agency),
            "answer": lambda o: o.answer(user, agency, action.item_id, action.choice),
        }
        await self._onboard(turn_context, calls[action.do])

    async def _onboard(self, turn_context: TurnContext, call: Callable[[Onboarding], View]) -> None:
        """One tour step; in a channel or group chat the tour goes to the user's 1:1 chat."""
        onboarding = self._assistant.onboarding
        reply: Activity | str
        if onboarding is None:
            reply = "Onboarding is not set up here."
        else:
            try:
                view = await asyncio.to_thread(call, onboarding)
                reply = card_activity(onboarding_cards.onboarding_card(view))
            except (InputError, OnboardingUnavailable) as err:
                reply = str(err)
            except IndexUnavailable:
                reply = IndexUnavailable.USER_MESSAGE
        if conversation_type(turn_context.activity) not in SHARED_CONVERSATIONS:
            await turn_context.send_activity(reply)
        elif await self._send_private(turn_context, reply):
            await turn_context.send_activity("I sent the onboarding tour to you privately.")
        else:
            await turn_context.send_activity(
                'I couldn\'t open a private chat with you. Message me 1:1 with "onboard".'
            )

    async def _record_feedback(self, turn_context: TurnContext, value: dict[str, Any]) -> None:
        helpful = value.get("helpful")
        question = value.get("question")
        raw_ids = value.get("citations") or []
        agency = value.get("agency")
        # Action data comes back from the client: treat it as untrusted input.
        if (
            not isinstance(helpful, bool)
            or not isinstance(question, str)
            or not isinstance(raw_ids, list)
            or not all(isinstance(i, str) for i in raw_ids)
            or (agency is not None and not isinstance(agency, str))
        ):
            await turn_context.send_activity("I couldn't read that vote. Please try again.")
            return
        citation_ids = [i[:200] for i in raw_ids[:MAX_FEEDBACK_CITATIONS]]
        user = turn_context.activity.from_property
        user_id = (user.aad_object_id or user.id or "") if user else ""
        vote = make_feedback(
            platform=PLATFORM,
            user_id=user_id,
            key=self._feedback_key,
            question=question,
            helpful=helpful,
            citation_ids=citation_ids,
            agency_id=agency,
        )
        await asyncio.to_thread(self._feedback.record, vote)
        thanks = "helpful" if helpful else "not helpful"
        await turn_context.send_activity(f"Thanks, I noted that this answer was {thanks}.")

    # -- conversation updates --------------------------------------------------------

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        bot_id = turn_context.activity.recipient.id if turn_context.activity.recipient else None
        if any(member.id == bot_id for member in members_added):
            await turn_context.send_activity(card_activity(cards.welcome_card()))


def _onboarding_user(activity: Activity) -> OnboardingUser:
    user = activity.from_property
    user_id = (user.aad_object_id or user.id or "") if user else ""
    label = (user.name or user.id or "") if user else ""
    return OnboardingUser(PLATFORM, user_id, label)


def make_error_handler(
    logger: logging.Logger = log,
) -> Callable[[TurnContext, Exception], Any]:
    """``on_turn_error``: log the activity id (never the text) and tell the user."""

    async def on_turn_error(turn_context: TurnContext, error: Exception) -> None:
        activity = turn_context.activity
        ref = (activity.id if activity else None) or "unknown"
        # The exception message could echo user text, so only its type and
        # the stack (file/line/function names) are logged.
        stack = "".join(traceback.format_tb(error.__traceback__))
        logger.error(
            "Teams turn failed (activity id=%s, type=%s): %s\n%s",
            ref,
            activity.type if activity else None,
            type(error).__name__,
            stack,
        )
        try:
            await turn_context.send_activity(ERROR_TEXT.format(ref=ref))
        except Exception as send_err:
            logger.error(
                "Teams: could not send the error message (activity id=%s): %s",
                ref,
                type(send_err).__name__,
            )

    return on_turn_error
