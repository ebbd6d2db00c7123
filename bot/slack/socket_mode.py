"""`policybot slack-socket`: the same bolt app over Socket Mode (no public URL needed)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

from bot.core.assistant import Assistant
from bot.settings import Settings
from bot.slack.app import build_slack_app

log = logging.getLogger(__name__)


class SocketModeConfigError(RuntimeError):
    """Socket Mode cannot start as configured; the message says what to set."""


def run_socket_mode(settings: Settings, assistant: Assistant, services: Any = None) -> None:
    if settings.slack_app_token is None:
        raise SocketModeConfigError(
            "Socket Mode needs SLACK_APP_TOKEN (an xapp- app-level token with "
            "connections:write), plus SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET."
        )
    if settings.slack_bot_token is None or settings.slack_signing_secret is None:
        raise SocketModeConfigError("Socket Mode needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET.")
    app_token = settings.slack_app_token.get_secret_value()

    async def main() -> None:
        bolt = build_slack_app(settings, assistant, services=services)
        handler = AsyncSocketModeHandler(bolt, app_token)
        log.info("policybot connected to Slack over Socket Mode")
        await handler.start_async()

    asyncio.run(main())
