"""Talking back to Slack: a Web API client with retries, and posting helpers that never raise.

Every call is retried on 429 (honouring Retry-After), 500/503 and connection
errors/timeouts with backoff and jitter (slack_sdk's retry handlers). A call that
still fails is logged with the request id and the Slack error code only —
never the payload, which may quote a draft post.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.settings import Settings
from bot.slack.blocks import Message
from bot.slack.logs import WEB_LOGGER, redacting_logger

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"
API_TIMEOUT_SECONDS = 15


def retry_handlers() -> list[AsyncRetryHandler]:
    return [
        AsyncRateLimitErrorRetryHandler(max_retry_count=2),
        AsyncServerErrorRetryHandler(max_retry_count=2),
        AsyncConnectionErrorRetryHandler(
            max_retry_count=2,
            error_types=[
                aiohttp.ServerConnectionError,
                aiohttp.ServerDisconnectedError,
                aiohttp.ClientOSError,
                asyncio.TimeoutError,
            ],
        ),
    ]


def api_base_url(settings: Settings) -> str:
    # AsyncWebClient joins method names onto base_url, so it must end with "/".
    url = settings.slack_api_url or DEFAULT_API_URL
    return url if url.endswith("/") else url + "/"


def build_web_client(settings: Settings) -> AsyncWebClient:
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return AsyncWebClient(
        token=token,
        base_url=api_base_url(settings),
        timeout=API_TIMEOUT_SECONDS,
        retry_handlers=retry_handlers(),
        logger=redacting_logger(WEB_LOGGER),
    )


def _error_code(err: BaseException) -> str:
    if isinstance(err, SlackApiError):
        return str(err.response.get("error", "unknown_error"))
    return type(err).__name__


class SlackPoster:
    """Posting helpers: each returns True when Slack accepted the call."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def _call(self, method: str, request_id: str, **kwargs: Any) -> dict[str, Any] | None:
        try:
            resp = await self.client.api_call(method, json=kwargs)
        except (TimeoutError, SlackApiError, aiohttp.ClientError) as err:
            log.error("slack %s failed (request %s): %s", method, request_id, _error_code(err))
            return None
        return dict(resp.data) if isinstance(resp.data, dict) else {}

    async def post_message(
        self, request_id: str, channel: str, message: Message, thread_ts: str | None = None
    ) -> bool:
        args: dict[str, Any] = {"channel": channel, **message.kwargs()}
        if thread_ts:
            args["thread_ts"] = thread_ts
        # Never let Slack turn "@channel" typed in a question into a ping.
        args["link_names"] = False
        args["unfurl_links"] = False
        return await self._call("chat.postMessage", request_id, **args) is not None

    async def post_message_ts(
        self, request_id: str, channel: str, message: Message, thread_ts: str | None = None
    ) -> str | None:
        """Post and return the message's ts (to update it later), None on failure."""
        args: dict[str, Any] = {"channel": channel, **message.kwargs()}
        if thread_ts:
            args["thread_ts"] = thread_ts
        args["link_names"] = False
        args["unfurl_links"] = False
        data = await self._call("chat.postMessage", request_id, **args)
        if data is None:
            return None
        return str(data.get("ts") or "") or None

    async def post_ephemeral(
        self,
        request_id: str,
        channel: str,
        user: str,
        message: Message,
        thread_ts: str | None = None,
    ) -> bool:
        args: dict[str, Any] = {"channel": channel, "user": user, **message.kwargs()}
        if thread_ts:
            args["thread_ts"] = thread_ts
        return await self._call("chat.postEphemeral", request_id, **args) is not None

    async def dm(self, request_id: str, user: str, message: Message) -> bool:
        # Posting to a user id lands in the app's DM with that user (chat:write).
        return await self.post_message(request_id, user, message)

    async def update(self, request_id: str, channel: str, ts: str, message: Message) -> bool:
        args = {"channel": channel, "ts": ts, **message.kwargs()}
        return await self._call("chat.update", request_id, **args) is not None

    async def views_open(self, request_id: str, trigger_id: str, view: dict[str, Any]) -> bool:
        return (
            await self._call("views.open", request_id, trigger_id=trigger_id, view=view) is not None
        )

    async def views_update(self, request_id: str, view_id: str, view: dict[str, Any]) -> bool:
        return await self._call("views.update", request_id, view_id=view_id, view=view) is not None

    async def views_publish(self, request_id: str, user: str, view: dict[str, Any]) -> bool:
        return await self._call("views.publish", request_id, user_id=user, view=view) is not None

    async def respond(
        self,
        request_id: str,
        response_url: str,
        message: Message,
        *,
        replace_original: bool = False,
    ) -> bool:
        """Reply through an interaction's response_url: ephemeral, to the user who acted."""
        hook = AsyncWebhookClient(
            url=response_url,
            timeout=API_TIMEOUT_SECONDS,
            retry_handlers=retry_handlers(),
            logger=redacting_logger(WEB_LOGGER),
        )
        body: dict[str, Any] = {
            **message.kwargs(),
            "response_type": "ephemeral",
            "replace_original": replace_original,
        }
        try:
            resp = await hook.send_dict(body)
        except (TimeoutError, aiohttp.ClientError) as err:
            log.error("slack response_url failed (request %s): %s", request_id, _error_code(err))
            return False
        if resp.status_code != 200:
            log.error(
                "slack response_url failed (request %s): HTTP %s", request_id, resp.status_code
            )
            return False
        return True
