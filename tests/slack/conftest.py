"""Slack end-to-end harness: the real server (build_web_app + bolt) over HTTP, fake Slack."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.core.assistant import Assistant
from bot.server import build_web_app
from bot.settings import Settings
from tests.conftest import make_settings
from tests.fakes.slack_api import FakeSlackApi
from tests.slack import slack_payloads as p

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


class SlackHarness:
    """Sends signed Slack requests to the running server and exposes the fake Slack."""

    def __init__(self, client: TestClient, fake: FakeSlackApi, settings: Settings) -> None:
        self.client = client
        self.fake = fake
        self.settings = settings

    async def send(self, body: str, content_type: str, **sign_kw: Any) -> ClientResponse:
        headers = p.signed(SECRET, body, content_type, **sign_kw)
        return await self.client.post("/slack/events", data=body.encode(), headers=headers)

    async def event(self, payload: dict[str, Any], **sign_kw: Any) -> ClientResponse:
        return await self.send(json.dumps(payload), "application/json", **sign_kw)

    async def command(self, text: str, name: str = "r1") -> ClientResponse:
        body = p.slash_command(text, self.fake.response_url(name))
        return await self.send(body, "application/x-www-form-urlencoded")

    async def interact(self, payload: dict[str, Any]) -> ClientResponse:
        return await self.send(p.interactive(payload), "application/x-www-form-urlencoded")


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlackApi]:
    fake = FakeSlackApi()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
def slack_settings(tmp_path: Path, fake_slack: FakeSlackApi) -> Settings:
    return make_settings(
        tmp_path,
        slack_bot_token=SecretStr("xoxb-test-token"),
        slack_signing_secret=SecretStr(SECRET),
        slack_api_url=fake_slack.url.rstrip("/"),  # mount must add the trailing "/"
    )


@pytest.fixture
async def slack(
    slack_settings: Settings, fake_slack: FakeSlackApi, assistant: Assistant
) -> AsyncIterator[SlackHarness]:
    app = build_web_app(slack_settings, assistant)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield SlackHarness(client, fake_slack, slack_settings)
