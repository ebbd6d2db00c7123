"""Teams on `policybot serve`: Bot Framework auth, the CloudAdapter and POST /api/messages.

Authentication is the SDK's: with MICROSOFT_APP_ID/PASSWORD set, every request's
JWT is validated by ConfigurationBotFrameworkAuthentication and a request
without a valid token gets 401. Turning that off needs the explicit
development flag, which is refused next to real credentials.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity, ActivityTypes, DeliveryModes

from bot.core.assistant import Assistant
from bot.core.feedback import FeedbackRecorder
from bot.core.ratelimit import set_current_user
from bot.server import ServerConfigError
from bot.settings import Settings
from bot.teams.bot import PolicyTeamsBot, make_error_handler
from bot.teams.escalation import TeamsEscalations
from bot.teams.retry import RetryingBotFrameworkAuthentication, RetryPolicy

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

ROUTE = "/api/messages"
APP_TYPES = {
    "multitenant": "MultiTenant",
    "singletenant": "SingleTenant",
    "userassignedmsi": "UserAssignedMSI",
}

TEAMS_BOT_KEY: web.AppKey[PolicyTeamsBot] = web.AppKey("teams_bot", PolicyTeamsBot)
TEAMS_ADAPTER_KEY: web.AppKey[CloudAdapter] = web.AppKey("teams_adapter", CloudAdapter)


class TeamsConfigError(ServerConfigError):
    """Teams is configured in a way that would run unsafely or not at all."""


@dataclass(frozen=True)
class BotAuthConfig:
    """The configuration object botbuilder's ConfigurationBotFrameworkAuthentication reads."""

    APP_ID: str | None
    APP_PASSWORD: str | None
    APP_TYPE: str
    APP_TENANTID: str | None
    # Set for US government clouds (e.g. https://botframework.azure.us); None = public cloud.
    CHANNEL_SERVICE: str | None = None

    @property
    def auth_disabled(self) -> bool:
        return not self.APP_ID


def auth_config(settings: Settings) -> BotAuthConfig:
    """Validate the Teams settings; raise TeamsConfigError saying what to set."""
    app_id = (settings.microsoft_app_id or "").strip() or None
    password = (
        settings.microsoft_app_password.get_secret_value().strip() or None
        if settings.microsoft_app_password is not None
        else None
    )
    tenant = (settings.microsoft_app_tenant_id or "").strip() or None
    raw_type = (settings.microsoft_app_type or "MultiTenant").strip()
    app_type = APP_TYPES.get(raw_type.lower())
    channel_service = (settings.microsoft_channel_service or "").strip() or None

    if settings.teams_dev_no_auth:
        if app_id or password:
            raise TeamsConfigError(
                "POLICYBOT_TEAMS_DEV_NO_AUTH=1 turns off Bot Framework token checks and cannot "
                "be combined with MICROSOFT_APP_ID / MICROSOFT_APP_PASSWORD. Unset the dev flag "
                "in any real deployment."
            )
        return BotAuthConfig(None, None, "MultiTenant", None, channel_service)
    if not app_id:
        raise TeamsConfigError(
            "Teams needs MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD (from the Azure Bot "
            "registration; see docs/teams.md). For local development only, "
            "POLICYBOT_TEAMS_DEV_NO_AUTH=1 runs Teams without authentication."
        )
    if app_type is None:
        raise TeamsConfigError(
            f"MICROSOFT_APP_TYPE={raw_type!r} is not supported; use MultiTenant, "
            "SingleTenant or UserAssignedMSI."
        )
    if app_type != "UserAssignedMSI" and not password:
        raise TeamsConfigError(
            "MICROSOFT_APP_ID is set but MICROSOFT_APP_PASSWORD is not: set the client secret "
            "of the bot's app registration."
        )
    if app_type in ("SingleTenant", "UserAssignedMSI") and not tenant:
        raise TeamsConfigError(
            f"MICROSOFT_APP_TYPE={app_type} needs MICROSOFT_APP_TENANT_ID (the Entra tenant id)."
        )
    return BotAuthConfig(app_id, password, app_type, tenant, channel_service)


def build_adapter(config: BotAuthConfig, retry: RetryPolicy) -> CloudAdapter:
    auth = ConfigurationBotFrameworkAuthentication(config)
    return CloudAdapter(RetryingBotFrameworkAuthentication(auth, retry))


class TeamsEndpoint:
    """POST /api/messages: authenticate in the request, answer in the background.

    Teams redelivers a message whose HTTP call takes more than ~15 s, so an
    authenticated activity gets 202 at once and its turn runs as a task.
    expectReplies and invoke activities carry their replies in the response
    body, so those turns run inside the request.
    """

    def __init__(self, adapter: CloudAdapter, bot: PolicyTeamsBot) -> None:
        self._adapter = adapter
        self._bot = bot
        self._tasks: set[asyncio.Task[None]] = set()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if "application/json" not in request.headers.get("Content-Type", ""):
            raise web.HTTPUnsupportedMediaType(text="expected application/json")
        try:
            body = await request.json()
            activity = Activity().deserialize(body) if isinstance(body, dict) else None
        except (json.JSONDecodeError, UnicodeDecodeError, ValueError, TypeError, AttributeError):
            activity = None
        if activity is None or not activity.type:
            raise web.HTTPBadRequest(text="expected a Bot Framework activity")
        auth_header = request.headers.get("Authorization", "")
        try:
            auth = await self._adapter.bot_framework_authentication.authenticate_request(
                activity, auth_header
            )
        except PermissionError as err:
            raise web.HTTPUnauthorized() from err
        except Exception as err:
            # Malformed tokens surface as assorted jwt/key errors: all are "not authenticated".
            log.warning(
                "Teams: rejected a request (activity id=%s): %s", activity.id, type(err).__name__
            )
            raise web.HTTPUnauthorized() from err

        # The turn (a task or this request) inherits the sender for the core's rate limit.
        sender = activity.from_property.id if activity.from_property else None
        set_current_user(f"teams:{sender}" if sender else None)
        synchronous = (
            activity.delivery_mode == DeliveryModes.expect_replies
            or activity.type == ActivityTypes.invoke
        )
        if synchronous:
            invoke_response = await self._adapter.process_activity(
                auth, activity, self._bot.on_turn
            )
            if invoke_response:
                return web.json_response(invoke_response.body, status=invoke_response.status)
            return web.Response(status=201)
        task = asyncio.create_task(self._run(auth, activity))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return web.Response(status=202)

    async def _run(self, auth: object, activity: Activity) -> None:
        try:
            await self._adapter.process_activity(auth, activity, self._bot.on_turn)
        except Exception as err:
            # Errors inside the turn already reached on_turn_error; this is the
            # connector setup failing before a turn exists.
            log.error(
                "Teams: could not process activity id=%s: %s", activity.id, type(err).__name__
            )

    async def drain(self, _app: web.Application | None = None) -> None:
        """Let in-flight turns finish when the server stops."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=10)

    @property
    def pending(self) -> int:
        return len(self._tasks)


TEAMS_ENDPOINT_KEY: web.AppKey[TeamsEndpoint] = web.AppKey("teams_endpoint", TeamsEndpoint)


def mount(
    app: web.Application,
    settings: Settings,
    assistant: Assistant,
    *,
    feedback: FeedbackRecorder | None = None,
    retry: RetryPolicy | None = None,
    services: Services | None = None,
) -> None:
    """Add POST /api/messages to ``app``; raise TeamsConfigError when misconfigured."""
    config = auth_config(settings)
    if config.auth_disabled:
        log.warning(
            "!!! POLICYBOT_TEAMS_DEV_NO_AUTH=1: Teams requests are NOT authenticated. Anyone "
            "who can reach %s can talk to the bot and make it post to any serviceUrl. "
            "Development only: never set this in a deployment. !!!",
            ROUTE,
        )
    if services is None:
        from bot.services import build_services

        services = build_services(settings)
    from bot.server import NOTIFIERS_KEY

    recorder = feedback or services.feedback
    adapter = build_adapter(config, retry or RetryPolicy())
    adapter.on_turn_error = make_error_handler()
    pio = TeamsEscalations(assistant, services.desk, settings.pio_teams_conversation, config.APP_ID)
    pio.adapter = adapter
    if settings.pio_teams_conversation and NOTIFIERS_KEY in app:
        app[NOTIFIERS_KEY]["teams"] = pio
    bot = PolicyTeamsBot(assistant, recorder, services.user_key, config.APP_ID, pio)
    endpoint = TeamsEndpoint(adapter, bot)
    app[TEAMS_BOT_KEY] = bot
    app[TEAMS_ADAPTER_KEY] = adapter
    app[TEAMS_ENDPOINT_KEY] = endpoint
    app.on_cleanup.append(endpoint.drain)
    app.router.add_post(ROUTE, endpoint.handle)


__all__ = ["ROUTE", "TeamsConfigError", "auth_config", "build_adapter", "mount"]
