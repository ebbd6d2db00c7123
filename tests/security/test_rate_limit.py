"""Per-user rate limit on ask/check: unit behaviour, then through real Slack and Teams."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.core.assistant import Assistant
from bot.core.ratelimit import RateLimited, RateLimiter, acting_as
from bot.server import build_web_app
from tests.conftest import make_settings
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.slack_api import FakeSlackApi
from tests.slack import slack_payloads as p
from tests.slack.conftest import SECRET, SlackHarness
from tests.teams import activities as A

POLITE = "a lot of requests in the last minute"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_limit_is_per_user_and_slides_with_time() -> None:
    clock = Clock()
    limiter = RateLimiter(3, clock=clock)
    for _ in range(3):
        limiter.hit("alice")
    with pytest.raises(RateLimited) as err:
        limiter.hit("alice")
    assert "wait about 60 seconds" in str(err.value)
    limiter.hit("bob")  # another user is not affected
    clock.now += 30
    with pytest.raises(RateLimited, match="wait about 30 seconds"):
        limiter.hit("alice")
    clock.now += 30.5  # the first calls have left the window
    limiter.hit("alice")


def test_refused_calls_do_not_count_and_zero_means_off() -> None:
    clock = Clock()
    limiter = RateLimiter(1, clock=clock)
    limiter.hit("alice")
    for _ in range(5):
        with pytest.raises(RateLimited):
            limiter.hit("alice")
    clock.now += 60
    limiter.hit("alice")  # refusals did not extend the wait
    off = RateLimiter(0)
    for _ in range(100):
        off.hit("alice")


def test_core_counts_only_calls_made_for_a_user(assistant: Assistant) -> None:
    limited = assistant.limited(RateLimiter(1))
    # The CLI and evaluation run without a user: never limited.
    limited.ask("Can I friend a parent on Facebook?")
    limited.ask("Can I friend a parent on Facebook?")
    with acting_as("slack:T1:U1"):
        limited.ask("Can I friend a parent on Facebook?")
        with pytest.raises(RateLimited):
            limited.check("Great day at the park!")
    # The original assistant is untouched.
    with acting_as("slack:T1:U1"):
        assistant.ask("Can I friend a parent on Facebook?")


async def test_slack_user_over_the_limit_gets_a_polite_reply(
    tmp_path: Path, fake_slack: FakeSlackApi, assistant: Assistant
) -> None:
    settings = make_settings(
        tmp_path,
        slack_bot_token=SecretStr("xoxb-test-token"),
        slack_signing_secret=SecretStr(SECRET),
        slack_api_url=fake_slack.url,
        rate_limit_per_minute=2,
    )
    async with TestClient(TestServer(build_web_app(settings, assistant), host="127.0.0.1")) as c:
        slack = SlackHarness(c, fake_slack, settings)
        for n in range(3):
            resp = await slack.event(p.dm("ask: can I friend a parent?", ts=f"17000002{n}.0001"))
            assert resp.status == 200
            await fake_slack.wait_for(lambda calls, n=n: len(calls_to_post(calls)) == n + 1)
        await slack.event(p.dm("ask: can I friend a parent?", user="UOTHER001"))
        await fake_slack.wait_for(lambda calls: len(calls_to_post(calls)) == 4)
    replies = [c.dump() for c in calls_to_post(fake_slack.calls)]
    assert POLITE not in replies[0] and POLITE not in replies[1]
    assert POLITE in replies[2]
    assert POLITE not in replies[3]  # another user is answered


def calls_to_post(calls: list[Any]) -> list[Any]:
    return [c for c in calls if c.method == "chat.postMessage"]


async def test_teams_user_over_the_limit_gets_a_polite_reply(
    tmp_path: Path, assistant: Assistant, connector: FakeBotConnector
) -> None:
    settings = make_settings(tmp_path, teams_dev_no_auth=True, rate_limit_per_minute=1)
    async with TestClient(TestServer(build_web_app(settings, assistant), host="127.0.0.1")) as c:
        replies = []
        for _ in range(2):
            activity = A.personal_message(
                "check: Great day at the park!", connector.url, expect_replies=True
            )
            resp = await c.post("/api/messages", json=activity)
            assert resp.status == 200
            body = await resp.json()
            replies.append([a for a in body["activities"] if a["type"] == "message"])
    assert replies[0][0].get("attachments")  # a check card
    assert POLITE in replies[1][0]["text"]
