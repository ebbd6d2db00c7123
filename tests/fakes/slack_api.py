"""A local stand-in for Slack's cloud: the Web API, response_url endpoints, request signing.

It answers like Slack (``{"ok": true, ...}``), records every call (method name
and parsed body), rejects payloads that break Block Kit limits the way Slack
does (``invalid_blocks``), and can be told to fail the next N calls with 429
(Retry-After) or 500. Only Slack's servers are faked; bolt and slack_sdk are real.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from aiohttp import web

BOT_USER_ID = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM_ID = "T0000001"

# Slack's documented limits, checked independently of the renderers under test.
LIMITS = {
    "message_blocks": 50,
    "view_blocks": 100,
    "section_text": 3000,
    "context_elements": 10,
    "context_text": 3000,
    "header_text": 150,
    "button_text": 75,
    "button_value": 2000,
    "actions_elements": 25,
    "view_title": 24,
    "message_text": 40000,
    "input_max_length": 3000,
    "block_id": 255,
    "action_id": 255,
}


def sign(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """Headers Slack sends: v0=HMAC-SHA256(secret, "v0:{ts}:{body}")."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def block_kit_problems(payload: dict[str, Any], surface: str = "message") -> list[str]:
    """What Slack would reject in a message or view payload (empty list: accepted)."""
    problems: list[str] = []
    blocks = payload.get("blocks") or []
    max_blocks = LIMITS["message_blocks"] if surface == "message" else LIMITS["view_blocks"]
    if len(blocks) > max_blocks:
        problems.append(f"{len(blocks)} blocks > {max_blocks}")
    text = payload.get("text")
    if surface == "message":
        if not blocks and not (text or "").strip():
            problems.append("no_text")
        if text is not None and len(text) > LIMITS["message_text"]:
            problems.append(f"text {len(text)} chars")
    else:
        title = (payload.get("title") or {}).get("text", "")
        if surface == "modal" and not (0 < len(title) <= LIMITS["view_title"]):
            problems.append(f"modal title {len(title)} chars")
        for key in ("submit", "close"):
            if key in payload and len(payload[key].get("text", "")) > LIMITS["view_title"]:
                problems.append(f"modal {key} too long")
    block_ids: set[str] = set()
    for i, block in enumerate(blocks):
        problems.extend(f"block {i}: {p}" for p in _block_problems(block, block_ids))
    return problems


def _text_len(obj: dict[str, Any] | None) -> int:
    return len((obj or {}).get("text", ""))


def _block_problems(block: dict[str, Any], block_ids: set[str]) -> list[str]:
    out: list[str] = []
    bid = block.get("block_id")
    if bid is not None:
        if bid in block_ids:
            out.append(f"duplicate block_id {bid}")
        if len(bid) > LIMITS["block_id"]:
            out.append("block_id too long")
        block_ids.add(bid)
    kind = block.get("type")
    if kind == "section":
        n = _text_len(block.get("text"))
        if not 0 < n <= LIMITS["section_text"]:
            out.append(f"section text {n} chars")
    elif kind == "context":
        elements = block.get("elements", [])
        if not 0 < len(elements) <= LIMITS["context_elements"]:
            out.append(f"context with {len(elements)} elements")
        for el in elements:
            if not 0 < _text_len(el) <= LIMITS["context_text"]:
                out.append(f"context text {_text_len(el)} chars")
    elif kind == "header":
        if not 0 < _text_len(block.get("text")) <= LIMITS["header_text"]:
            out.append(f"header {_text_len(block.get('text'))} chars")
    elif kind == "actions":
        elements = block.get("elements", [])
        if not 0 < len(elements) <= LIMITS["actions_elements"]:
            out.append(f"actions with {len(elements)} elements")
        for el in elements:
            if el.get("type") == "button":
                if not 0 < _text_len(el.get("text")) <= LIMITS["button_text"]:
                    out.append(f"button text {_text_len(el.get('text'))} chars")
                if len(el.get("value", "")) > LIMITS["button_value"]:
                    out.append(f"button value {len(el['value'])} chars")
            if len(el.get("action_id", "")) > LIMITS["action_id"]:
                out.append("action_id too long")
    elif kind == "input":
        el = block.get("element", {})
        if el.get("max_length", 0) > LIMITS["input_max_length"]:
            out.append("input max_length too large")
    elif kind != "divider":
        out.append(f"unknown block type {kind!r}")
    return out


@dataclass
class Call:
    method: str
    body: dict[str, Any]
    problems: list[str] = field(default_factory=list)

    def dump(self) -> str:
        """Everything Slack received in this call, as one string (for 'does X appear' checks)."""
        return json.dumps(self.body, ensure_ascii=False)


_MESSAGE_METHODS = {"chat.postMessage", "chat.postEphemeral", "chat.update", "response_url"}
_VIEW_METHODS = {"views.open", "views.update", "views.publish"}


class FakeSlackApi:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._failures: list[tuple[int, int, str | None]] = []  # (status, retry_after, method)
        self._stalls: list[tuple[float, str]] = []
        self.method_errors: dict[str, str] = {}
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._changed = asyncio.Event()

    # --- lifecycle ----------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response_url)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = int(site.name.rsplit(":", 1)[1])

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"http://127.0.0.1:{self._port}/response/{name}"

    # --- test controls ------------------------------------------------------------

    def fail_next(
        self, n: int, status: int = 429, retry_after: int = 0, method: str | None = None
    ) -> None:
        """Fail the next ``n`` calls (to ``method`` only, when given) like Slack does."""
        self._failures.extend([(status, retry_after, method)] * n)

    def stall_next(self, n: int, seconds: float, method: str) -> None:
        """Hold the next ``n`` calls to ``method`` for ``seconds``, then drop them unprocessed
        (a network stall: the client times out, Slack never acted on the call)."""
        self._stalls.extend([(seconds, method)] * n)

    def _take_failure(self, method: str) -> tuple[int, int] | None:
        for i, (status, retry_after, only) in enumerate(self._failures):
            if only is None or only == method:
                del self._failures[i]
                return status, retry_after
        return None

    def calls_to(self, *methods: str) -> list[Call]:
        return [c for c in self.calls if c.method in methods]

    def posts(self) -> list[Call]:
        """Calls that put something in front of a user (messages, responses, views)."""
        return [c for c in self.calls if c.method in _MESSAGE_METHODS | _VIEW_METHODS]

    async def wait_for(
        self, predicate: Callable[[list[Call]], object], timeout: float = 30.0
    ) -> list[Call]:
        """Wait (bounded) until the recorded calls satisfy ``predicate``; the answer is
        posted after the ack, so this waits for an event rather than asserting timing."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not predicate(self.calls):
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                methods = [c.method for c in self.calls]
                raise AssertionError(f"timed out waiting; calls so far: {methods}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout=min(remaining, 0.5))
        return self.calls

    # --- handlers -----------------------------------------------------------------

    async def _parse(self, request: web.Request) -> dict[str, Any]:
        raw = await request.text()
        if request.content_type == "application/json":
            return json.loads(raw) if raw else {}
        body: dict[str, Any] = dict(parse_qsl(raw))
        body.update(request.query)
        for key in ("blocks", "view", "attachments"):
            if isinstance(body.get(key), str):
                body[key] = json.loads(body[key])
        return body

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        self._changed.set()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body = await self._parse(request)
        stall = next((s for s in self._stalls if s[1] == method), None)
        if stall is not None:
            self._stalls.remove(stall)
            self._record(Call(method, body, ["stalled"]))
            await asyncio.sleep(stall[0])
            return web.json_response({"ok": False, "error": "stalled"}, status=503)
        failure = self._take_failure(method)
        if failure:
            status, retry_after = failure
            self._record(Call(method, body, [f"failed with {status}"]))
            headers = {"Retry-After": str(retry_after)} if status == 429 else {}
            return web.json_response(
                {"ok": False, "error": "ratelimited" if status == 429 else "internal_error"},
                status=status,
                headers=headers,
            )
        problems = self._problems(method, body)
        call = Call(method, body, problems)
        self._record(call)
        if problems:
            return web.json_response({"ok": False, "error": "invalid_blocks", "errors": problems})
        if method in self.method_errors:
            return web.json_response({"ok": False, "error": self.method_errors[method]})
        return web.json_response(self._reply(method, body))

    async def _response_url(self, request: web.Request) -> web.Response:
        body = await self._parse(request)
        body["_name"] = request.match_info["name"]
        failure = self._take_failure("response_url")
        if failure:
            status, retry_after = failure
            self._record(Call("response_url", body, [f"failed with {status}"]))
            headers = {"Retry-After": str(retry_after)} if status == 429 else {}
            return web.Response(status=status, text="rate_limited", headers=headers)
        problems = block_kit_problems(body, "message")
        self._record(Call("response_url", body, problems))
        if problems:
            return web.Response(status=400, text="invalid_blocks")
        return web.Response(text="ok")

    def _problems(self, method: str, body: dict[str, Any]) -> list[str]:
        if method in {"chat.postMessage", "chat.postEphemeral", "chat.update"}:
            return block_kit_problems(body, "message")
        if method in _VIEW_METHODS:
            view = body.get("view") or {}
            return block_kit_problems(view, view.get("type", "modal"))
        return []

    def _reply(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        ts = f"{1700000000 + next(self._ts)}.000100"
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://fake.slack.test/",
                "team": "Fake",
                "user": "policybot",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            return {"ok": True, "channel": body.get("channel"), "ts": ts, "message": {"ts": ts}}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method == "chat.update":
            return {"ok": True, "channel": body.get("channel"), "ts": body.get("ts")}
        if method in _VIEW_METHODS:
            return {"ok": True, "view": {"id": body.get("view_id", "VFAKE0001"), **body["view"]}}
        if method == "users.info":
            return {"ok": True, "user": {"id": body.get("user"), "tz": "America/New_York"}}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "DFAKE0001"}}
        return {"ok": False, "error": "unknown_method"}


def form_body(fields: dict[str, str]) -> str:
    return urlencode(fields)
