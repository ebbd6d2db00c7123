"""Retry of outbound Bot Connector calls on 502/504, with backoff and jitter.

botbuilder 4.17 sends through msrest's requests-based sender, whose urllib3
retry never retries POST under urllib3 2 (msrest still sets the removed
``method_whitelist``), so a Bot Connector 502 would lose the reply. The SDK's
connector factories are wrapped here so every connector it creates — for
replies, proactive sends and new 1:1 conversations — retries the posting
calls. Only gateway errors are retried: the request did not reach the service,
so a retry delivers the message once.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from botbuilder.schema import Activity
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)
from botframework.connector.skills import BotFrameworkClient

log = logging.getLogger(__name__)

T = TypeVar("T")

# The ConversationsOperations calls that post something.
RETRIED_OPERATIONS = frozenset(
    {"send_to_conversation", "reply_to_activity", "create_conversation", "update_activity"}
)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    base_delay: float = 0.25
    max_delay: float = 4.0
    statuses: frozenset[int] = field(default_factory=lambda: frozenset({502, 504}))

    def delay(self, retry_number: int) -> float:
        # "Equal jitter": at least half the exponential step, so retries from
        # many turns spread out without collapsing to zero wait.
        step = min(self.max_delay, self.base_delay * (2**retry_number))
        return step / 2 + random.uniform(0, step / 2)


def status_of(error: BaseException) -> int | None:
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None)
    return status if isinstance(status, int) else None


async def call_with_retry(policy: RetryPolicy, name: str, call: Callable[[], Awaitable[T]]) -> T:
    for attempt in range(1, policy.attempts + 1):
        try:
            return await call()
        except Exception as err:
            status = status_of(err)
            if status not in policy.statuses or attempt == policy.attempts:
                raise
            wait = policy.delay(attempt - 1)
            log.warning(
                "Bot Connector %s returned %s; retrying in %.2fs (attempt %d of %d)",
                name,
                status,
                wait,
                attempt + 1,
                policy.attempts,
            )
            await asyncio.sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover


class _RetryingOperations:
    """Stands in for a ConnectorClient's ``conversations`` operations group."""

    def __init__(self, inner: Any, policy: RetryPolicy) -> None:
        self._inner = inner
        self._policy = policy

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._inner, name)
        if name not in RETRIED_OPERATIONS:
            return target

        async def retried(*args: Any, **kwargs: Any) -> Any:
            return await call_with_retry(self._policy, name, lambda: target(*args, **kwargs))

        return retried


class RetryingConnectorFactory(ConnectorFactory):
    def __init__(self, inner: ConnectorFactory, policy: RetryPolicy) -> None:
        self._inner = inner
        self._policy = policy

    async def create(self, service_url: str, audience: str | None = None) -> Any:
        client = await self._inner.create(service_url, audience)
        if not isinstance(client.conversations, _RetryingOperations):
            client.conversations = _RetryingOperations(client.conversations, self._policy)
        return client


class RetryingBotFrameworkAuthentication(BotFrameworkAuthentication):
    """Delegates everything to ``inner``; only the connector factories it hands out change."""

    def __init__(self, inner: BotFrameworkAuthentication, policy: RetryPolicy) -> None:
        self._inner = inner
        self._policy = policy

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        result = await self._inner.authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = RetryingConnectorFactory(
                result.connector_factory, self._policy
            )
        return result

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        return await self._inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return RetryingConnectorFactory(
            self._inner.create_connector_factory(claims_identity), self._policy
        )

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        return await self._inner.create_user_token_client(claims_identity)

    def create_bot_framework_client(self) -> BotFrameworkClient:
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return self._inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self._inner.authenticate_channel_request(auth_header)
