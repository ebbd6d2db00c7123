"""`policybot serve`: one aiohttp server for Slack, Teams and health checks.

Each platform package contributes routes through its own ``mount`` function;
this module only decides which are configured and owns ``/healthz``.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from bot.core.assistant import Assistant
from bot.core.models import IndexUnavailable
from bot.core.ratelimit import RateLimiter
from bot.settings import Settings

log = logging.getLogger(__name__)

ASSISTANT_KEY: web.AppKey[Assistant] = web.AppKey("assistant", Assistant)


class ServerConfigError(RuntimeError):
    """The server cannot start as configured; the message says what to set."""


def teams_configured(settings: Settings) -> bool:
    return bool(settings.microsoft_app_id) or settings.teams_dev_no_auth


async def healthz(request: web.Request) -> web.Response:
    assistant = request.app[ASSISTANT_KEY]
    try:
        await asyncio.to_thread(assistant.health)
    except IndexUnavailable as err:
        return web.json_response({"status": "unavailable", "detail": str(err)}, status=503)
    return web.json_response({"status": "ok"})


def body_size_limit(max_bytes: int) -> Middleware:
    """413 with a message for a declared oversize body, before anything reads it.

    A chunked body without Content-Length is stopped by ``client_max_size``
    while it is read (aiohttp answers 413 itself).
    """

    @web.middleware
    async def limit(request: web.Request, handler: Handler) -> web.StreamResponse:
        length = request.content_length
        if length is not None and length > max_bytes:
            log.warning(
                "rejected a %d-byte request to %s (limit %d)", length, request.path, max_bytes
            )
            raise web.HTTPRequestEntityTooLarge(
                max_size=max_bytes,
                actual_size=length,
                text=f"Request body too large: {length} bytes; the limit is {max_bytes} bytes.",
            )
        return await handler(request)

    return limit


def build_web_app(settings: Settings, assistant: Assistant) -> web.Application:
    slack_on = settings.slack_enabled
    teams_on = teams_configured(settings)
    if not slack_on and not teams_on:
        raise ServerConfigError(
            "Neither Slack nor Teams is configured: set SLACK_BOT_TOKEN and "
            "SLACK_SIGNING_SECRET, and/or MICROSOFT_APP_ID (see README)."
        )
    app = web.Application(
        client_max_size=settings.max_request_bytes,
        middlewares=[body_size_limit(settings.max_request_bytes)],
    )
    # One limiter for both platforms: Slack and Teams ids never collide (prefixes).
    assistant = assistant.limited(RateLimiter(settings.rate_limit_per_minute))
    app[ASSISTANT_KEY] = assistant
    app.router.add_get("/healthz", healthz)
    if slack_on:
        from bot.slack.http import mount as mount_slack

        mount_slack(app, settings, assistant)
    if teams_on:
        from bot.teams.http import mount as mount_teams

        mount_teams(app, settings, assistant)
    return app


def run_server(settings: Settings, assistant: Assistant, host: str, port: int) -> None:
    app = build_web_app(settings, assistant)
    log.info("policybot serving on http://%s:%d", host, port)
    web.run_app(app, host=host, port=port, print=None)
