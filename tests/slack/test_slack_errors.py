"""The bot is never silent: core failures reach the user as a message, with a log reference.

The core here is a double that fails on purpose (the failure is what is tested);
bolt, the server and the HTTP path are real.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.core.assistant import Assistant
from bot.core.models import AgencyInfo, IndexUnavailable, InputError
from bot.server import build_web_app
from bot.settings import Settings
from tests.fakes.cores import RaisingCore
from tests.fakes.slack_api import FakeSlackApi
from tests.slack import slack_payloads as p
from tests.slack.conftest import SlackHarness


async def _harness(
    settings: Settings, fake: FakeSlackApi, error: Exception
) -> AsyncIterator[SlackHarness]:
    failing = RaisingCore(error)
    assistant = Assistant(
        failing, failing, [AgencyInfo("ma-dys", "Massachusetts DYS", "DYS", [])], lambda: None
    )
    async with TestClient(TestServer(build_web_app(settings, assistant), host="127.0.0.1")) as c:
        yield SlackHarness(c, fake, settings)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (IndexUnavailable("chroma down"), IndexUnavailable.USER_MESSAGE),
        (InputError("That question is empty after removing formatting."), "question is empty"),
        (RuntimeError("boom Zqxsecret"), "Something went wrong on my side (reference Ev"),
    ],
)
async def test_core_failures_are_told_to_the_user(
    slack_settings: Settings,
    fake_slack: FakeSlackApi,
    error: Exception,
    expected: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    async for slack in _harness(slack_settings, fake_slack, error):
        await slack.event(p.app_mention("Can I friend a parent?"))
        calls = await fake_slack.wait_for(
            lambda c: [x for x in c if x.method == "chat.postMessage"]
        )
        reply = next(c for c in calls if c.method == "chat.postMessage")
        assert expected in reply.dump()
        assert reply.body["thread_ts"]


async def test_failed_draft_check_logs_no_draft(
    slack_settings: Settings, fake_slack: FakeSlackApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async for slack in _harness(slack_settings, fake_slack, RuntimeError("Zqxdraft leaked")):
        await slack.event(p.dm("check: Zqxdraft at the fair!"))
        calls = await fake_slack.wait_for(
            lambda c: [x for x in c if x.method == "chat.postMessage"]
        )
        reply = next(c for c in calls if c.method == "chat.postMessage")
        assert "Something went wrong" in reply.dump()
        assert any("draft check failed" in r.getMessage() for r in caplog.records)
        assert not any(
            "Zqxdraft" in r.getMessage() or (r.exc_text or "").count("Zqxdraft")
            for r in caplog.records
        )


def test_socket_mode_says_what_is_missing(slack_settings: Settings) -> None:
    from bot.slack.socket_mode import SocketModeConfigError, run_socket_mode

    failing = RaisingCore(RuntimeError())
    assistant = Assistant(failing, failing, [], lambda: None)
    with pytest.raises(SocketModeConfigError, match="SLACK_APP_TOKEN"):
        run_socket_mode(slack_settings, assistant)
