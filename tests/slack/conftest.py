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
    return Settings(
        data_dir=tmp_path,
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


# --- TEMPORARY: until main's session fixture `assistant` (real model + Chroma) lands. ---
# Delete this block after `git merge main`; the e2e tests then run on the real core.
from bot.core.models import (  # noqa: E402
    AgencyInfo,
    AgencyVerdict,
    Answer,
    CheckResult,
    CheckVerdict,
    Citation,
    Clause,
    Evidence,
    Finding,
    Severity,
    Verdict,
)

_FRIEND = (
    "Accepting a 'friend' request from clients, detained youth, the parent or guardian of a "
    "client or detained youth or any member of a client or detained youth's immediate family "
    "except as authorized by this policy;"
)


class _DevAnswerer:
    def answer(self, question: str, agency_id: str | None = None) -> Answer:
        clause = Clause(
            "ma-dys/0138",
            "ma-dys-01-05-22",
            "ma-dys",
            "Massachusetts DYS",
            "Social Media 01.05.22",
            "Prohibited conduct",
            "Employees shall not:",
            _FRIEND,
            0,
            len(_FRIEND),
            138,
        )
        notice = (
            "Your question was long; I read its first 2000 characters."
            if len(question) > 2000
            else ""
        )
        if "weather" in question:
            return Answer(question, False, "No policy covers this.")
        return Answer(
            question[:2000],
            True,
            "Not allowed.",
            [
                AgencyVerdict(
                    "ma-dys",
                    "Massachusetts DYS",
                    Verdict.PROHIBITED,
                    "no friending families",
                    [clause.id],
                )
            ],
            [Citation(clause, 0.9)],
            notice=notice,
        )


class _DevChecker:
    def check(self, draft: str, agency_id: str | None = None) -> CheckResult:
        words = draft.split()
        names = [w for w in words[1:] if w[:1].isupper()]
        if not names:
            return CheckResult(CheckVerdict.OK)
        start = draft.index(names[0])
        return CheckResult(
            CheckVerdict.VIOLATION,
            [
                Finding(
                    "child_name",
                    Severity.VIOLATION,
                    Evidence(start, start + len(names[0]), names[0]),
                    "Names a youth.",
                    "Remove the name.",
                )
            ],
        )


@pytest.fixture(scope="session")
def assistant() -> Assistant:
    return Assistant(
        _DevAnswerer(),
        _DevChecker(),
        [AgencyInfo("ma-dys", "Massachusetts DYS", "DYS", ["01.05.22"])],
        lambda: None,
    )
