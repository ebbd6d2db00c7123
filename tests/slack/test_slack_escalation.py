"""The PIO escalation loop through the real server and bolt app against the fake Slack:
ask -> Ask the PIO -> PIO answers in a modal -> the asker receives it -> saved as
guidance -> a similar question shows it labelled as PIO guidance -> retired -> gone."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.app import Runtime
from bot.core.ports import Embedder
from bot.core.records import Escalation
from bot.pio import post_weekly_summary, send_reminders
from bot.server import NOTIFIERS_KEY, build_web_app
from bot.services import Services
from bot.slack import blocks, pio_blocks
from tests.conftest import make_settings
from tests.fakes.slack_api import BOT_ID, BOT_USER_ID, Call, FakeSlackApi
from tests.pio.support import assistant_over, fresh_services
from tests.slack import slack_payloads as p
from tests.slack.conftest import SECRET, SlackHarness

PIO_CHANNEL = "CPIOTEAM1"
PIO = {"id": "UPIO00001", "username": "pat.pio", "name": "pat.pio", "team_id": "T0FAKE001"}
QUESTION = "Can I post a photo of the youth basketball team's trophy on my own Instagram?"
SIMILAR = "May I put a photo of the youth basketball team's trophy on my personal Instagram?"
PIO_ANSWER = "Only a photo of the trophy itself, no youth in it, and tag the agency page."


@dataclass
class Loop:
    slack: SlackHarness
    services: Services
    notifiers: dict[str, Any]


@pytest.fixture
async def loop(
    tmp_path: Path, fake_slack: FakeSlackApi, runtime: Runtime, embedder: Embedder
) -> AsyncIterator[Loop]:
    settings = make_settings(
        tmp_path,
        slack_bot_token=SecretStr("xoxb-test-token"),
        slack_signing_secret=SecretStr(SECRET),
        slack_api_url=fake_slack.url.rstrip("/"),
        pio_slack_channel=PIO_CHANNEL,
        agency="ma-dys",
    )
    services = fresh_services(settings, embedder, tmp_path)
    app = build_web_app(settings, assistant_over(runtime, settings, services), services)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield Loop(SlackHarness(client, fake_slack, settings), services, app[NOTIFIERS_KEY])
    services.close()


def posts(calls: list[Call], method: str, **where: str) -> list[Call]:
    return [
        c
        for c in calls
        if c.method == method
        and not c.problems
        and all(c.body.get(k) == v for k, v in where.items())
    ]


def button(message: dict[str, Any], action_id: str) -> dict[str, Any]:
    for b in message.get("blocks", []):
        for e in b.get("elements", []):
            if e.get("action_id") == action_id:
                return {**e, "block_id": b.get("block_id", "b")}
    raise AssertionError(f"no {action_id} button in {json.dumps(message)[:500]}")


def as_message(call: Call) -> dict[str, Any]:
    return {
        "type": "message",
        "ts": call.body.get("ts") or f"17000{len(call.body.get('text', ''))}.000100",
        "text": call.body.get("text", ""),
        "blocks": call.body.get("blocks", []),
        "user": BOT_USER_ID,
        "bot_id": BOT_ID,
    }


def click(
    action: dict[str, Any],
    response_url: str,
    *,
    channel: str,
    message: dict[str, Any],
    user: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body = p.block_action(
        {k: action[k] for k in ("action_id", "value", "block_id", "text")},
        response_url,
        channel=channel,
        message=message,
    )
    if user is not None:
        body["user"] = user
    return body


async def ask_in_dm(slack: SlackHarness, question: str) -> Call:
    before = len(posts(slack.fake.calls, "chat.postMessage", channel=p.DM_CHANNEL))
    resp = await slack.event(p.dm(question))
    assert resp.status == 200
    calls = await slack.fake.wait_for(
        lambda c: len(posts(c, "chat.postMessage", channel=p.DM_CHANNEL)) > before
    )
    return posts(calls, "chat.postMessage", channel=p.DM_CHANNEL)[before]


def guidance_shown(call: Call) -> str:
    return " ".join(json.dumps(b) for b in call.body["blocks"] if "PIO guidance" in json.dumps(b))


async def test_escalation_loop_answer_guidance_retire(loop: Loop) -> None:
    slack = loop.slack
    first = await ask_in_dm(slack, QUESTION)
    assert guidance_shown(first) == ""
    answer_msg = {**as_message(first), "ts": "1700002000.000100"}

    # The asker escalates from the answer.
    escalate = button(first.body, blocks.ACTION_ESCALATE)
    resp = await slack.interact(
        click(escalate, slack.fake.response_url("esc"), channel=p.DM_CHANNEL, message=answer_msg)
    )
    assert resp.status == 200
    calls = await slack.fake.wait_for(
        lambda c: (
            posts(c, "chat.postMessage", channel=PIO_CHANNEL)
            and any(x.body.get("_name") == "esc" for x in c)
        )
    )
    [pio_post] = posts(calls, "chat.postMessage", channel=PIO_CHANNEL)
    dump = json.dumps(pio_post.body)
    assert "Instagram" in dump and f"<@{p.USER}>" in dump  # the question and who asked
    assert "Massachusetts" in dump  # the agency
    cited = json.loads(escalate["value"])["c"]
    if cited:  # the clauses the bot found, quoted
        assert "Clauses the bot found" in dump and '"text": "> ' in dump
    else:
        assert "silent" in dump
    told = [c for c in calls if c.body.get("_name") == "esc"]
    assert "Sent to the PIO" in json.dumps(told[0].body)
    pio_ts = "1700003000.000100"
    pio_msg = {**as_message(pio_post), "ts": pio_ts}

    # The PIO opens the answer form from the channel message...
    answer_btn = button(pio_post.body, pio_blocks.ACTION_PIO_ANSWER)
    await slack.interact(
        click(
            answer_btn,
            slack.fake.response_url("pio1"),
            channel=PIO_CHANNEL,
            message=pio_msg,
            user=PIO,
        )
    )
    calls = await slack.fake.wait_for(lambda c: posts(c, "views.open"))
    view = posts(calls, "views.open")[0].body["view"]
    assert view["callback_id"] == pio_blocks.ANSWER_MODAL_ID

    # ...and submits an answer.
    submission = modal_submission(view, PIO_ANSWER)
    resp = await slack.interact(submission)
    assert resp.status == 200
    calls = await slack.fake.wait_for(
        lambda c: (
            any(
                PIO_ANSWER in json.dumps(x.body)
                for x in posts(c, "chat.postMessage", channel=p.DM_CHANNEL)
            )
            and posts(c, "chat.update", channel=PIO_CHANNEL)
        )
    )
    delivered = next(
        x
        for x in posts(calls, "chat.postMessage", channel=p.DM_CHANNEL)
        if PIO_ANSWER in json.dumps(x.body)
    )
    assert delivered.body.get("thread_ts") == answer_msg["ts"]  # in the original thread
    assert "not policy text" in json.dumps(delivered.body)
    update = posts(calls, "chat.update", channel=PIO_CHANNEL)[0]
    assert update.body["ts"] == pio_ts and "Answered by pat.pio" in json.dumps(update.body)
    [stored] = loop.services.escalations.since(None)
    assert stored.status == "answered" and stored.answered_by == "pat.pio"
    assert stored.answered_at is not None and stored.reply_to is None  # address forgotten

    # A second answer attempt is told it was already answered.
    await slack.interact(
        click(
            answer_btn,
            slack.fake.response_url("pio2"),
            channel=PIO_CHANNEL,
            message=pio_msg,
            user=PIO,
        )
    )
    calls = await slack.fake.wait_for(lambda c: any(x.body.get("_name") == "pio2" for x in c))
    again = next(x for x in calls if x.body.get("_name") == "pio2")
    assert "Already answered by" in json.dumps(again.body)
    resp = await slack.interact(modal_submission(view, "A different answer"))
    body = await resp.json()
    assert body["response_action"] == "errors"
    assert "already answered" in json.dumps(body).lower()

    # The PIO saves the answer as guidance.
    save = button(update.body, pio_blocks.ACTION_SAVE_GUIDANCE)
    await slack.interact(
        click(
            save,
            slack.fake.response_url("save"),
            channel=PIO_CHANNEL,
            message={**as_message(update), "ts": pio_ts},
            user=PIO,
        )
    )
    calls = await slack.fake.wait_for(
        lambda c: any(
            "Saved as guidance" in json.dumps(x.body)
            for x in posts(c, "chat.postMessage", channel=PIO_CHANNEL)
        )
    )
    saved = next(
        x
        for x in posts(calls, "chat.postMessage", channel=PIO_CHANNEL)
        if "Saved as guidance" in json.dumps(x.body)
    )

    # A similar question now shows the guidance, labelled, under the quotes.
    second = await ask_in_dm(slack, SIMILAR)
    shown = guidance_shown(second)
    assert "PIO guidance (not policy text)" in shown and "pat.pio" in shown
    assert PIO_ANSWER in json.dumps(second.body)
    quotes = [
        b
        for b in second.body["blocks"]
        if b["type"] == "section" and b["text"]["text"].startswith("&gt; ")
    ]
    assert all(PIO_ANSWER not in json.dumps(q) for q in quotes)
    # An unrelated question does not.
    other = await ask_in_dm(slack, "Who approves a new agency social media account?")
    assert guidance_shown(other) == ""

    # The PIO retires it; it is never shown again.
    retire = button(saved.body, pio_blocks.ACTION_RETIRE_GUIDANCE)
    await slack.interact(
        click(
            retire,
            slack.fake.response_url("retire"),
            channel=PIO_CHANNEL,
            message={**as_message(saved), "ts": "1700004000.000100"},
            user=PIO,
        )
    )
    await slack.fake.wait_for(
        lambda c: any(
            "Guidance retired" in json.dumps(x.body)
            for x in posts(c, "chat.update", channel=PIO_CHANNEL)
        )
    )
    third = await ask_in_dm(slack, SIMILAR)
    assert guidance_shown(third) == "" and PIO_ANSWER not in json.dumps(third.body)


def modal_submission(view: dict[str, Any], text: str) -> dict[str, Any]:
    body = p.view_submission("", view_id="VPIO00001")
    body["user"] = PIO
    body["view"]["callback_id"] = view["callback_id"]
    body["view"]["private_metadata"] = view["private_metadata"]
    body["view"]["state"] = {
        "values": {
            pio_blocks.ANSWER_BLOCK_ID: {
                pio_blocks.ANSWER_ACTION_ID: {"type": "plain_text_input", "value": text}
            }
        }
    }
    return body


async def test_without_a_pio_channel_the_asker_is_told_escalation_is_not_set_up(
    slack: SlackHarness,
) -> None:
    first = await ask_in_dm(slack, QUESTION)
    escalate = button(first.body, blocks.ACTION_ESCALATE)
    await slack.interact(
        click(
            escalate,
            slack.fake.response_url("nochan"),
            channel=p.DM_CHANNEL,
            message=as_message(first),
        )
    )
    calls = await slack.fake.wait_for(lambda c: any(x.body.get("_name") == "nochan" for x in c))
    told = next(x for x in calls if x.body.get("_name") == "nochan")
    assert "not set up" in json.dumps(told.body)
    assert "POLICYBOT_PIO_SLACK_CHANNEL" in json.dumps(told.body)


async def test_open_escalations_are_reposted_as_reminders_and_the_summary_is_posted(
    loop: Loop,
) -> None:
    old = Escalation(
        id="esc-old-0001",
        platform="slack",
        agency_id="ma-dys",
        question="Can I go live on TikTok at the youth center?",
        asker_hash="h",
        reply_to={"user": p.USER, "channel": p.DM_CHANNEL},
        citation_ids=[],
        created_at=datetime.now(UTC) - timedelta(hours=30),
    )
    loop.services.escalations.create(old)
    assert await send_reminders(loop.services.desk, loop.notifiers) == 1
    calls = await loop.slack.fake.wait_for(
        lambda c: posts(c, "chat.postMessage", channel=PIO_CHANNEL)
    )
    [reminder] = posts(calls, "chat.postMessage", channel=PIO_CHANNEL)
    dump = json.dumps(reminder.body)
    assert "Reminder" in dump and "TikTok" in dump and f"<@{p.USER}>" in dump
    assert button(reminder.body, pio_blocks.ACTION_PIO_ANSWER)["value"] == old.id
    assert await send_reminders(loop.services.desk, loop.notifiers) == 0  # not again so soon

    assert await post_weekly_summary(loop.services, loop.notifiers, datetime.now(UTC)) == 1
    calls = await loop.slack.fake.wait_for(
        lambda c: any(
            "PolicyBot insights" in json.dumps(x.body)
            for x in posts(c, "chat.postMessage", channel=PIO_CHANNEL)
        )
    )
    summary = next(
        x
        for x in posts(calls, "chat.postMessage", channel=PIO_CHANNEL)
        if "PolicyBot insights" in json.dumps(x.body)
    )
    assert "Escalations to the PIO: 1, open: 1" in json.dumps(summary.body)
