"""`policybot serve`: one aiohttp server for Slack, Teams and health checks.

Each platform package contributes routes through its own ``mount`` function;
this module only decides which are configured and owns ``/healthz``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from bot.core.assistant import Assistant
from bot.core.models import IndexUnavailable
from bot.core.ratelimit import RateLimiter
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

ASSISTANT_KEY: web.AppKey[Assistant] = web.AppKey("assistant", Assistant)
# platform -> PioNotifier (bot.pio), filled by each platform's mount when a PIO channel is set.
NOTIFIERS_KEY: web.AppKey[dict[str, Any]] = web.AppKey("pio_notifiers", dict)
SERVICES_KEY: web.AppKey[Any] = web.AppKey("services", object)


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


def build_web_app(
    settings: Settings,
    assistant: Assistant,
    services: Services | None = None,
    *,
    periodic: bool = False,
) -> web.Application:
    """``services`` default: state from settings, without guidance (no embedder here).

    ``periodic`` starts the reminder and weekly-summary loops (``policybot serve``)."""
    slack_on = settings.slack_enabled
    teams_on = teams_configured(settings)
    if not slack_on and not teams_on:
        raise ServerConfigError(
            "Neither Slack nor Teams is configured: set SLACK_BOT_TOKEN and "
            "SLACK_SIGNING_SECRET, and/or MICROSOFT_APP_ID (see README)."
        )
    if services is None:
        from bot.services import build_services

        services = build_services(settings)
    app = web.Application(
        client_max_size=settings.max_request_bytes,
        middlewares=[body_size_limit(settings.max_request_bytes)],
    )
    # One limiter for both platforms: Slack and Teams ids never collide (prefixes).
    assistant = assistant.limited(RateLimiter(settings.rate_limit_per_minute))
    app[ASSISTANT_KEY] = assistant
    app[SERVICES_KEY] = services
    app[NOTIFIERS_KEY] = {}
    app.router.add_get("/healthz", healthz)
    if slack_on:
        from bot.slack.http import mount as mount_slack

        mount_slack(app, settings, assistant, services=services)
    if teams_on:
        from bot.teams.http import mount as mount_teams

        mount_teams(app, settings, assistant, services=services)
    if periodic:
        app.cleanup_ctx.append(_periodic_tasks)
    return app


def _warm_up(assistant: Assistant) -> None:
    try:
        assistant.warm_up()
    except Exception:  # the index may be down at start; users are told per request
        log.warning("warm-up failed; the first answers will be slower", exc_info=True)


async def _warm_up_in_background(app: web.Application) -> AsyncIterator[None]:
    # In the background: the server must ack Slack within 3 s from its first second.
    task = asyncio.create_task(asyncio.to_thread(_warm_up, app[ASSISTANT_KEY]))
    yield
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def _periodic_tasks(app: web.Application) -> AsyncIterator[None]:
    from bot.pio import start_periodic

    notifiers: dict[str, Any] = app[NOTIFIERS_KEY]
    tasks = start_periodic(app[SERVICES_KEY], notifiers)
    yield
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def run_server(
    settings: Settings,
    assistant: Assistant,
    host: str,
    port: int,
    services: Services | None = None,
) -> None:
    app = build_web_app(settings, assistant, services, periodic=True)
    app.cleanup_ctx.append(_warm_up_in_background)
    log.info("policybot serving on http://%s:%d", host, port)
    web.run_app(app, host=host, port=port, print=None)
