"""The bolt AsyncApp: thin handlers that turn Slack payloads into Assistant calls.

Every handler acks first (bolt acks events itself) and does retrieval after,
through ``asyncio.to_thread``. Rendering lives in ``blocks``, wording guesses in
``intent``, posting and retries in ``web``. Draft posts are passed to the core
and echoed back to their author only: never posted to a channel, never logged.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.response import BoltResponse

from bot.core.assistant import Assistant
from bot.core.feedback import FeedbackRecorder, make_feedback
from bot.core.models import Answer, CheckResult, IndexUnavailable, InputError
from bot.core.onboarding.service import Onboarding, OnboardingUnavailable, OnboardingUser, View
from bot.core.ratelimit import set_current_user
from bot.settings import Settings
from bot.slack import blocks, onboarding_blocks, pio_blocks
from bot.slack.blocks import Message
from bot.slack.dedupe import EventDeduper
from bot.slack.escalation import SlackEscalations
from bot.slack.intent import Mode, parse_command, read_message, slack_to_plain, strip_bot_mention
from bot.slack.logs import BOLT_LOGGER, redacting_logger
from bot.slack.web import SlackPoster, build_web_client

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

T = TypeVar("T")
AckFn = Callable[..., Awaitable[Any]]

CHECK_SHORTCUT_ID = "check_against_policy"
SLASH_COMMAND = "/policy"

AS_DRAFT = (
    "I read this as a draft post and checked it. "
    "To ask a question instead, start your message with `ask:`."
)
AS_QUESTION = (
    "Answering as a question. To check a draft post instead, start your message with `check:`."
)
CHECKED_PRIVATELY = (
    "I checked this as a draft post. Only you can see this result. "
    "Next time, DM me `check: <draft>` or use `/policy check` "
    "so the draft stays out of the channel."
)
ONBOARD_WORDS = frozenset({"onboard", "onboarding"})
SOMETHING_WRONG = "Something went wrong on my side (reference {rid}). Please try again."


class SlackBot:
    """Handlers with their collaborators injected (assistant, feedback log, deduper)."""

    def __init__(
        self,
        settings: Settings,
        assistant: Assistant,
        poster: SlackPoster,
        feedback: FeedbackRecorder,
        feedback_key: bytes,
    ) -> None:
        self.settings = settings
        self.assistant = assistant
        self.poster = poster
        self.feedback = feedback
        self.feedback_key = feedback_key

    # --- core calls ---------------------------------------------------------------

    async def _core(self, rid: str, fn: Callable[..., T], text: str, *, draft: bool) -> T | Message:
        """Run a core call off the event loop; a failure becomes a message for the user."""
        try:
            return await asyncio.to_thread(fn, text)
        except InputError as err:
            return blocks.render_error(str(err))
        except IndexUnavailable:
            log.error("policy index unavailable (request %s)", rid)
            return blocks.render_error(IndexUnavailable.USER_MESSAGE)
        except Exception as err:
            if draft:
                # The exception text could quote the draft: type and reference only.
                log.error("draft check failed (request %s): %s", rid, type(err).__name__)
            else:
                log.exception("question failed (request %s)", rid)
            return blocks.render_error(SOMETHING_WRONG.format(rid=rid))

    async def answer(self, rid: str, question: str, intro: str = "", user: str = "") -> Message:
        # The question (never a draft) is logged for the PIO's report under a keyed hash.
        ask = functools.partial(self.assistant.ask, asker=f"slack:{user}" if user else None)
        result = await self._core(rid, ask, question, draft=False)
        if isinstance(result, Message):
            return _with_intro(result, intro)
        assert isinstance(result, Answer)
        return blocks.render_answer(result, intro=intro, agency_id=self.assistant.scope(result))

    async def check_result(self, rid: str, draft: str) -> CheckResult | Message:
        result = await self._core(rid, self.assistant.check, draft, draft=True)
        assert isinstance(result, CheckResult | Message)
        return result

    async def check(self, rid: str, draft: str, intro: str = "") -> Message:
        result = await self.check_result(rid, draft)
        if isinstance(result, Message):
            return _with_intro(result, intro)
        return blocks.render_check(result, intro=intro)

    # --- events -------------------------------------------------------------------

    async def on_app_mention(
        self, body: dict[str, Any], event: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        if _from_a_bot(event, context.bot_user_id):
            return
        rid = _request_id(body)
        channel, user = event["channel"], event.get("user", "")
        in_thread = event.get("thread_ts")
        reply_ts = in_thread or event["ts"]
        text = slack_to_plain(strip_bot_mention(event.get("text", "")))
        intent = read_message(text, guess_drafts=False)
        if intent.mode is Mode.DRAFT:
            # Result to the author only; nothing about the draft goes into the channel.
            message = await self.check(rid, intent.text, intro=CHECKED_PRIVATELY)
            await self.poster.post_ephemeral(rid, channel, user, message, thread_ts=in_thread)
            return
        if intent.mode is Mode.HELP:
            await self.poster.post_message(rid, channel, blocks.render_help(), thread_ts=reply_ts)
            return
        message = await self.answer(rid, intent.text, user=user)
        if not await self.poster.post_message(rid, channel, message, thread_ts=reply_ts):
            await self.poster.post_ephemeral(
                rid,
                channel,
                user,
                blocks.render_error(f"I could not post my answer here (reference {rid})."),
                thread_ts=in_thread,
            )

    async def on_message(
        self, body: dict[str, Any], event: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        """Direct messages only; channel messages are answered only when mentioned."""
        if event.get("channel_type") != "im" or event.get("subtype"):
            return
        if _from_a_bot(event, context.bot_user_id):
            return
        rid = _request_id(body)
        channel = event["channel"]
        thread_ts = event.get("thread_ts")
        plain = slack_to_plain(event.get("text", ""))
        if plain.strip().lower() in ONBOARD_WORDS:
            user = OnboardingUser("slack", event.get("user", ""), event.get("user", ""))
            tour = await self.onboard(rid, lambda o: o.start(user))
            await self.poster.post_message(rid, channel, tour, thread_ts=thread_ts)
            return
        intent = read_message(plain, guess_drafts=True)
        if intent.mode is Mode.HELP:
            message = blocks.render_help()
        elif intent.mode is Mode.DRAFT:
            # Say which way the DM was read (even when the user chose) and how to get the other.
            message = await self.check(rid, intent.text, intro=AS_DRAFT)
        else:
            message = await self.answer(
                rid, intent.text, intro=AS_QUESTION, user=event.get("user", "")
            )
        await self.poster.post_message(rid, channel, message, thread_ts=thread_ts)

    async def on_app_home_opened(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        view = blocks.home_view(self._agency_label())
        await self.poster.views_publish(_request_id(body), event["user"], view)

    def _agency_label(self) -> str:
        agency = self.assistant.default_agency
        if agency is None:
            return "All agencies (answers are grouped by agency)"
        return self.assistant.agency_name(agency)

    # --- slash command ------------------------------------------------------------

    async def on_command(self, ack: AckFn, body: dict[str, Any]) -> None:
        command = parse_command(body.get("text", ""))
        rid = _request_id(body)
        response_url = body.get("response_url", "")
        if command.name == "help":
            await ack(**blocks.render_help().kwargs())
            return
        if command.name == "check" and not command.text:
            await ack()
            if not await self.poster.views_open(rid, body["trigger_id"], blocks.check_modal()):
                await self.poster.respond(
                    rid,
                    response_url,
                    blocks.render_error(
                        "I could not open the draft form; try `/policy check <draft>`."
                    ),
                )
            return
        await ack()
        if command.name == "onboard":
            user = OnboardingUser(
                "slack", body.get("user_id", ""), body.get("user_name") or body.get("user_id", "")
            )
            agency = slack_to_plain(command.text).strip() or None
            message = await self.onboard(rid, lambda o: o.start(user, agency))
        elif command.name == "check":
            message = await self.check(rid, slack_to_plain(command.text))
        else:
            message = await self.answer(
                rid, slack_to_plain(command.text), user=body.get("user_id", "")
            )
        if not await self.poster.respond(rid, response_url, message):
            await self.poster.dm(rid, body.get("user_id", ""), message)

    # --- onboarding -------------------------------------------------------------------

    async def onboard(self, rid: str, call: Callable[[Onboarding], View]) -> Message:
        """Run one onboarding step off the event loop; failures become a message."""
        onboarding = self.assistant.onboarding
        if onboarding is None:
            return blocks.render_error("Onboarding is not set up here.")
        try:
            view = await asyncio.to_thread(call, onboarding)
        except (InputError, OnboardingUnavailable) as err:
            return blocks.render_error(str(err))
        except IndexUnavailable:
            log.error("policy index unavailable (request %s)", rid)
            return blocks.render_error(IndexUnavailable.USER_MESSAGE)
        except Exception:
            log.exception("onboarding step failed (request %s)", rid)
            return blocks.render_error(SOMETHING_WRONG.format(rid=rid))
        return onboarding_blocks.render_view(view)

    async def on_onboard_action(
        self, ack: AckFn, body: dict[str, Any], action: dict[str, Any]
    ) -> None:
        await ack()
        rid = _request_id(body)
        who = body.get("user") or {}
        user = OnboardingUser(
            "slack", who.get("id", ""), who.get("username") or who.get("name") or who.get("id", "")
        )
        click = onboarding_blocks.parse_click(action.get("action_id", ""), action.get("value", ""))
        if click is None:
            log.warning("unreadable onboarding button value (request %s)", rid)
            message = blocks.render_error("I could not read that button; run `/policy onboard`.")
        elif click.kind == "answer":
            message = await self.onboard(
                rid, lambda o: o.answer(user, click.agency_id, click.item_id, click.choice)
            )
        elif click.kind == "next":
            message = await self.onboard(rid, lambda o: o.next(user, click.agency_id, click.step))
        elif click.kind == "restart":
            message = await self.onboard(rid, lambda o: o.restart(user, click.agency_id))
        elif click.kind == "continue":
            message = await self.onboard(rid, lambda o: o.current(user, click.agency_id))
        else:
            message = await self.onboard(rid, lambda o: o.start(user, click.agency_id))
        # One message that moves through the tour: old buttons disappear with each step.
        url = body.get("response_url", "")
        if not url or not await self.poster.respond(rid, url, message, replace_original=True):
            await self.poster.dm(rid, user.user_id, message)

    # --- modal --------------------------------------------------------------------

    async def on_check_submitted(self, ack: AckFn, body: dict[str, Any]) -> None:
        """Show the result in the same modal the draft was typed in.

        The user is looking at that modal, it is private by construction, and the
        result leaves nothing in any message history. The check can outlast Slack's
        3-second window, so the modal first switches to "Checking…" and is updated.
        """
        rid = _request_id(body)
        view = body.get("view", {})
        values = view.get("state", {}).get("values", {})
        draft = (values.get(blocks.DRAFT_BLOCK_ID, {}).get(blocks.DRAFT_ACTION_ID, {}) or {}).get(
            "value"
        ) or ""
        if not draft.strip():
            await ack(
                response_action="errors", errors={blocks.DRAFT_BLOCK_ID: "Paste a draft post."}
            )
            return
        await ack(response_action="update", view=blocks.checking_view())
        result = await self.check_result(rid, draft)
        in_modal = (
            result
            if isinstance(result, Message)
            else blocks.render_check(result, max_blocks=blocks.MAX_VIEW_BLOCKS)
        )
        if await self.poster.views_update(rid, view["id"], blocks.result_view(in_modal)):
            return
        # The modal was closed before the result was ready: the author's DM is still private.
        user = body.get("user", {}).get("id")
        if user:
            as_dm = result if isinstance(result, Message) else blocks.render_check(result)
            await self.poster.dm(rid, user, as_dm)

    # --- message shortcut -----------------------------------------------------------

    async def on_check_shortcut(self, ack: AckFn, body: dict[str, Any]) -> None:
        await ack()
        rid = _request_id(body)
        text = slack_to_plain(body.get("message", {}).get("text", "") or "")
        if not text.strip():
            message = blocks.render_error("That message has no text I can check.")
        else:
            message = await self.check(rid, text)
        if not await self.poster.respond(rid, body.get("response_url", ""), message):
            user = body.get("user", {}).get("id")
            if user:
                await self.poster.dm(rid, user, message)

    # --- buttons ------------------------------------------------------------------

    async def on_feedback(self, ack: AckFn, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        rid = _request_id(body)
        helpful = action.get("action_id") == blocks.ACTION_HELPFUL
        ref = blocks.parse_feedback_value(action.get("value", ""))
        user = body.get("user", {}).get("id", "")
        if ref is None:
            log.warning("unreadable feedback value (request %s)", rid)
            await self.poster.respond(
                rid,
                body.get("response_url", ""),
                blocks.render_error("I could not record that vote."),
            )
            return
        try:
            await asyncio.to_thread(
                self.feedback.record,
                make_feedback(
                    platform="slack",
                    user_id=user,
                    key=self.feedback_key,
                    question=ref.question,
                    helpful=helpful,
                    citation_ids=ref.citation_ids,
                    agency_id=ref.agency_id,
                ),
            )
        except Exception:
            log.exception("recording feedback failed (request %s)", rid)
            await self.poster.respond(
                rid,
                body.get("response_url", ""),
                blocks.render_error("I could not record that vote; please try again later."),
            )
            return
        await self._ack_vote(rid, body, helpful)

    async def _ack_vote(self, rid: str, body: dict[str, Any], helpful: bool) -> None:
        """Make the vote visible: swap the buttons for a thank-you in a DM, else tell the voter."""
        channel = (body.get("channel") or {}).get("id", "")
        original = body.get("message") or {}
        if channel.startswith("D") and original.get("ts") and original.get("blocks"):
            updated = Message(
                text=original.get("text", "PolicyBot answer"),
                blocks=blocks.feedback_thanks(original["blocks"], helpful),
            )
            if await self.poster.update(rid, channel, original["ts"], updated):
                return
        # In a channel others may still vote, so the buttons stay and only the voter is told.
        label = "Helpful" if helpful else "Not helpful"
        await self.poster.respond(
            rid,
            body.get("response_url", ""),
            blocks.render_notice(f"Thanks — recorded your vote: *{label}*."),
        )

    async def on_home_example(
        self, ack: AckFn, body: dict[str, Any], action: dict[str, Any]
    ) -> None:
        await ack()
        rid = _request_id(body)
        user = body.get("user", {}).get("id", "")
        message = await self.answer(rid, action.get("value", ""), user=user)
        await self.poster.dm(rid, user, message)


def _with_intro(message: Message, intro: str) -> Message:
    """Errors still say how the message was read (and how to get the other reading)."""
    if not intro:
        return message
    return Message(text=message.text, blocks=[blocks.context(intro), *message.blocks])


def _from_a_bot(event: dict[str, Any], own_user_id: str | None) -> bool:
    """Ourselves or another bot: answering bots invites loops."""
    if event.get("bot_id") or event.get("subtype") == "bot_message":
        return True
    return bool(own_user_id) and event.get("user") == own_user_id


def _sender(body: dict[str, Any]) -> str | None:
    """Who sent an event, command or interaction (the rate limit's key)."""
    event = body.get("event")
    user = (
        (event.get("user") if isinstance(event, dict) else None)
        or body.get("user_id")
        or (body.get("user") or {}).get("id")
    )
    team = body.get("team_id") or (body.get("team") or {}).get("id") or ""
    return f"slack:{team}:{user}" if isinstance(user, str) and user else None


def _request_id(body: dict[str, Any]) -> str:
    """Slack's own id for the request when there is one, so logs match Slack's."""
    for key in ("event_id", "trigger_id"):
        if body.get(key):
            return str(body[key])
    return uuid.uuid4().hex[:12]


def build_slack_app(
    settings: Settings,
    assistant: Assistant,
    *,
    feedback: FeedbackRecorder | None = None,
    deduper: EventDeduper | None = None,
    services: Services | None = None,
) -> AsyncApp:
    """The bolt app, with request signature verification on (bolt's default, asserted here)."""
    return build_slack(settings, assistant, feedback=feedback, deduper=deduper, services=services)[
        0
    ]


def build_slack(
    settings: Settings,
    assistant: Assistant,
    *,
    feedback: FeedbackRecorder | None = None,
    deduper: EventDeduper | None = None,
    services: Services | None = None,
) -> tuple[AsyncApp, SlackEscalations]:
    """The bolt app and its PIO side (which also posts reminders and summaries)."""
    if settings.slack_signing_secret is None or settings.slack_bot_token is None:
        raise ValueError("Slack needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET.")
    if services is None:
        from bot.services import build_services

        services = build_services(settings)
    client = build_web_client(settings)
    app = AsyncApp(
        client=client,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        # Ack first, then work: listeners run after the 200 goes back to Slack.
        process_before_response=False,
        request_verification_enabled=True,
        logger=redacting_logger(BOLT_LOGGER),
        name="policybot",
    )
    poster = SlackPoster(client)
    bot = SlackBot(
        settings,
        assistant,
        poster,
        feedback or services.feedback,
        services.user_key,
    )
    pio = SlackEscalations(assistant, poster, services.desk, settings.pio_slack_channel)
    # Shared by every replica through the state database.
    seen = deduper or services.deduper

    async def drop_retries(body: dict[str, Any], next: Callable[[], Awaitable[None]]) -> Any:
        # Runs after signature verification: a forged body cannot mark an event as seen.
        event_id = body.get("event_id")
        # The shared deduper is a database write: keep it off the event loop.
        if event_id and not await asyncio.to_thread(seen.first_time, str(event_id)):
            return BoltResponse(status=200, body="")
        await next()
        return None

    async def count_as_sender(body: dict[str, Any], next: Callable[[], Awaitable[None]]) -> None:
        # Listeners run in tasks started below, which copy this context: the core's
        # per-user rate limit then knows who asked.
        set_current_user(_sender(body))
        await next()

    app.middleware(drop_retries)
    app.middleware(count_as_sender)
    app.event("app_mention")(bot.on_app_mention)
    app.event("message")(bot.on_message)
    app.event("app_home_opened")(bot.on_app_home_opened)
    app.command(SLASH_COMMAND)(bot.on_command)
    app.view_submission(blocks.CHECK_MODAL_ID)(bot.on_check_submitted)
    app.shortcut(CHECK_SHORTCUT_ID)(bot.on_check_shortcut)
    app.action(re.compile(f"^({blocks.ACTION_HELPFUL}|{blocks.ACTION_NOT_HELPFUL})$"))(
        bot.on_feedback
    )
    app.action(re.compile(f"^{blocks.HOME_ASK_PREFIX}\\d+$"))(bot.on_home_example)
    app.action(re.compile(onboarding_blocks.ACTION_PATTERN))(bot.on_onboard_action)
    app.action(blocks.ACTION_ESCALATE)(pio.on_escalate)
    app.action(pio_blocks.ACTION_PIO_ANSWER)(pio.on_answer_clicked)
    app.view_submission(pio_blocks.ANSWER_MODAL_ID)(pio.on_answer_submitted)
    app.action(pio_blocks.ACTION_SAVE_GUIDANCE)(pio.on_save_guidance)
    app.action(pio_blocks.ACTION_RETIRE_GUIDANCE)(pio.on_retire_guidance)
    return app, pio
