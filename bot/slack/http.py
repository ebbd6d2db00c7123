"""Slack routes for `policybot serve`: events, slash commands and interactivity on one URL."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

from bot.core.assistant import Assistant
from bot.settings import Settings
from bot.slack.app import build_slack

if TYPE_CHECKING:
    from bot.services import Services

SLACK_PATH = "/slack/events"
SLACK_APP_KEY: web.AppKey[AsyncApp] = web.AppKey("slack_bolt_app", AsyncApp)


def mount(
    app: web.Application,
    settings: Settings,
    assistant: Assistant,
    *,
    services: Services | None = None,
) -> None:
    from bot.server import NOTIFIERS_KEY

    bolt, pio = build_slack(settings, assistant, services=services)
    app[SLACK_APP_KEY] = bolt
    if settings.pio_slack_channel and NOTIFIERS_KEY in app:
        app[NOTIFIERS_KEY]["slack"] = pio

    async def slack_events(request: web.Request) -> web.Response:
        # bolt verifies the signature (401 on a forged or stale request) and acks
        # before any listener's work is done.
        bolt_response = await bolt.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    app.router.add_post(SLACK_PATH, slack_events)
