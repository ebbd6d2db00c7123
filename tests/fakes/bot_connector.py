"""A local stand-in for Microsoft's Bot Connector service (the activity's serviceUrl).

Implements the v3 REST calls the bot makes, records every posted body, and can
be told to answer the next N calls with 502/504, as a gateway in front of the
real service sometimes does.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class Call:
    method: str
    path: str
    conversation_id: str | None
    reply_to_id: str | None
    body: dict[str, Any]
    authorization: str | None
    status: int


@dataclass
class FakeBotConnector:
    calls: list[Call] = field(default_factory=list)
    # Conversation id -> members, for each 1:1 conversation created.
    created: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # (status, activity type it applies to or None for any call), consumed in order.
    _failures: list[tuple[int, str | None]] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _server: TestServer | None = None

    # -- control --------------------------------------------------------------

    def fail_next(self, count: int, status: int = 502, *, activity_type: str | None = None) -> None:
        """Answer the next ``count`` calls (of ``activity_type``, if given) with ``status``."""
        self._failures.extend([(status, activity_type)] * count)

    @property
    def url(self) -> str:
        assert self._server is not None, "start() first"
        return str(self._server.make_url("/")).rstrip("/") + "/"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create_conversation)
        app.router.add_post("/v3/conversations/{conversation_id}/activities", self._send)
        app.router.add_post(
            "/v3/conversations/{conversation_id}/activities/{activity_id}", self._send
        )
        app.router.add_put(
            "/v3/conversations/{conversation_id}/activities/{activity_id}", self._send
        )
        self._server = TestServer(app, host="127.0.0.1", port=0)
        await self._server.start_server()

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()

    # -- queries ----------------------------------------------------------------

    def delivered(self) -> list[Call]:
        """Activities accepted (2xx) by the connector, in order."""
        return [c for c in self.calls if c.status < 300 and "/activities" in c.path]

    def messages(self, conversation_id: str | None = None) -> list[dict[str, Any]]:
        """Delivered message activities (typing indicators left out)."""
        return [
            c.body
            for c in self.delivered()
            if c.body.get("type") == "message"
            and (conversation_id is None or c.conversation_id == conversation_id)
        ]

    async def wait_for(
        self, predicate: Callable[[FakeBotConnector], bool], timeout: float = 20.0
    ) -> None:
        """Poll until ``predicate`` holds; fail the test after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while not predicate(self):
            if time.monotonic() > deadline:
                raise AssertionError(f"fake Bot Connector: condition not met; calls={self.calls}")
            await asyncio.sleep(0.02)

    # -- handlers -----------------------------------------------------------------

    def _next_failure(self, activity_type: str | None) -> int | None:
        for i, (status, wanted) in enumerate(self._failures):
            if wanted is None or wanted == activity_type:
                del self._failures[i]
                return status
        return None

    async def _create_conversation(self, request: web.Request) -> web.Response:
        body = await request.json()
        failure = self._next_failure("createConversation")
        status = failure or 201
        self.calls.append(
            Call(
                "POST", request.path, None, None, body, request.headers.get("Authorization"), status
            )
        )
        if failure:
            return web.json_response({"error": {"code": "BadGateway"}}, status=failure)
        conversation_id = f"a:1on1-{next(self._ids)}"
        self.created[conversation_id] = body.get("members") or []
        return web.json_response({"id": conversation_id, "serviceUrl": self.url}, status=201)

    async def _send(self, request: web.Request) -> web.Response:
        body = await request.json()
        failure = self._next_failure(body.get("type"))
        status = failure or 200
        self.calls.append(
            Call(
                request.method,
                request.path,
                request.match_info["conversation_id"],
                request.match_info.get("activity_id"),
                body,
                request.headers.get("Authorization"),
                status,
            )
        )
        if failure:
            return web.json_response({"error": {"code": "BadGateway"}}, status=failure)
        return web.json_response({"id": f"activity-{next(self._ids)}"}, status=200)
