"""Delivery under faults not covered in tests/slack and tests/teams: a Slack Web API call
that times out is retried and delivered once; retry waits carry jitter."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.core.assistant import Assistant
from bot.server import build_web_app
from bot.slack import web as slack_web
from bot.teams.retry import RetryPolicy
from tests.conftest import make_settings
from tests.fakes.slack_api import FakeSlackApi
from tests.slack import slack_payloads as p
from tests.slack.conftest import SECRET, SlackHarness


async def test_slack_post_that_times_out_is_retried_and_delivered_once(
    tmp_path: Path,
    fake_slack: FakeSlackApi,
    assistant: Assistant,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A short client timeout keeps the test quick; the stall is longer than it.
    monkeypatch.setattr(slack_web, "API_TIMEOUT_SECONDS", 1)
    settings = make_settings(
        tmp_path,
        slack_bot_token=SecretStr("xoxb-test-token"),
        slack_signing_secret=SecretStr(SECRET),
        slack_api_url=fake_slack.url,
    )
    fake_slack.stall_next(1, seconds=3, method="chat.postMessage")
    async with TestClient(TestServer(build_web_app(settings, assistant), host="127.0.0.1")) as c:
        slack = SlackHarness(c, fake_slack, settings)
        await slack.event(p.dm("ask: can I friend a parent on Facebook?"))
        calls = await fake_slack.wait_for(
            lambda cs: [x for x in cs if x.method == "chat.postMessage" and not x.problems]
        )
        posts = [x for x in calls if x.method == "chat.postMessage"]
        assert [x.problems for x in posts] == [["stalled"], []]
        # A later message still gets exactly one reply: the stalled call was not replayed.
        await slack.event(p.dm("help"))
        await fake_slack.wait_for(
            lambda cs: len([x for x in cs if x.method == "chat.postMessage"]) == 3
        )
    delivered = [x for x in fake_slack.calls if x.method == "chat.postMessage" and not x.problems]
    assert len(delivered) == 2  # the answer once, the help once


def test_slack_retries_wait_with_jitter() -> None:
    for handler in slack_web.retry_handlers()[1:]:  # server errors, connection errors
        waits = {handler.interval_calculator.calculate_sleep_duration(1) for _ in range(20)}
        assert len(waits) > 1, type(handler).__name__  # randomised, not a fixed step
        assert all(w > 0 for w in waits)


def test_bot_connector_retries_back_off_with_jitter() -> None:
    policy = RetryPolicy(attempts=4, base_delay=0.25, max_delay=4.0)
    for retry in range(3):
        step = min(4.0, 0.25 * 2**retry)
        waits = [policy.delay(retry) for _ in range(50)]
        assert all(step / 2 <= w <= step for w in waits)
        assert len(set(waits)) > 1
    # Backoff grows: the shortest third wait is longer than the longest first one.
    assert min(policy.delay(2) for _ in range(50)) >= max(policy.delay(0) for _ in range(50))
