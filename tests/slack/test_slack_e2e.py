"""End to end: signed Slack requests -> the real server and bolt app -> the core -> fake Slack.

The answer is posted after the ack, so tests wait (bounded) for the fake Slack to
receive it; that is a wait for an event, not a timing assertion.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import pytest

from bot.core.assistant import Assistant
from bot.core.models import InputError
from bot.slack import blocks
from bot.slack.app import AS_DRAFT
from tests.fakes.slack_api import BOT_ID, BOT_USER_ID, Call
from tests.slack import slack_payloads as p
from tests.slack.conftest import SlackHarness

FRIEND_QUESTION = "A youth's mother sent me a friend request. Can I accept?"


def expected_check(
    assistant: Assistant, draft: str, intro: str = "", max_blocks: int = 50
) -> blocks.Message:
    """What the bot must show for a draft: the core's own result, rendered (or its refusal)."""
    try:
        result = assistant.check(draft)
    except InputError as err:
        return blocks.render_error(str(err), intro)
    return blocks.render_check(result, intro=intro, max_blocks=max_blocks)


def posts_to(calls: list[Call], method: str, **where: str) -> list[Call]:
    return [
        c
        for c in calls
        if c.method == method
        and not c.problems
        and all(c.body.get(k) == v for k, v in where.items())
    ]


def quoted_lines(call: Call) -> list[str]:
    return [
        line
        for b in call.body.get("blocks", [])
        if b["type"] == "section"
        for line in b["text"]["text"].split("\n")
        if line.startswith("> ")
    ]


def contexts(call: Call) -> str:
    return " ".join(
        e.get("text", "")
        for b in call.body.get("blocks", [])
        if b["type"] == "context"
        for e in b["elements"]
    )


async def sentinel(slack: SlackHarness, text: str = "Can I post photos of youth?") -> None:
    """A DM whose answer marks that earlier, quicker work has been done."""
    before = len(posts_to(slack.fake.calls, "chat.postMessage", channel=p.DM_CHANNEL))
    resp = await slack.event(p.dm(text, ts=f"{time.time():.6f}"))
    assert resp.status == 200
    await slack.fake.wait_for(
        lambda calls: len(posts_to(calls, "chat.postMessage", channel=p.DM_CHANNEL)) > before
    )


def no_limit_problems(slack: SlackHarness) -> None:
    bad = [
        (c.method, c.problems)
        for c in slack.fake.calls
        if c.problems and not c.problems[0].startswith("failed with")
    ]
    assert bad == []


async def test_mention_gets_one_threaded_reply_quoting_the_clause(slack: SlackHarness) -> None:
    resp = await slack.event(p.app_mention(FRIEND_QUESTION, ts="1700000100.000200"))
    assert resp.status == 200
    calls = await slack.fake.wait_for(lambda c: posts_to(c, "chat.postMessage", channel=p.CHANNEL))
    reply = posts_to(calls, "chat.postMessage", channel=p.CHANNEL)[0]
    assert reply.body["thread_ts"] == "1700000100.000200"
    assert any("friend" in line.lower() for line in quoted_lines(reply))
    assert "Massachusetts" in contexts(reply) or "DYS" in contexts(reply)
    assert reply.body["text"]
    await sentinel(slack)
    assert len(posts_to(slack.fake.calls, "chat.postMessage", channel=p.CHANNEL)) == 1
    no_limit_problems(slack)


async def test_mention_inside_a_thread_replies_to_the_parent(slack: SlackHarness) -> None:
    await slack.event(
        p.app_mention(FRIEND_QUESTION, ts="1700000900.000900", thread_ts="1700000800.000100")
    )
    calls = await slack.fake.wait_for(lambda c: posts_to(c, "chat.postMessage", channel=p.CHANNEL))
    assert posts_to(calls, "chat.postMessage", channel=p.CHANNEL)[0].body["thread_ts"] == (
        "1700000800.000100"
    )


async def test_bot_messages_and_own_messages_get_no_reply(slack: SlackHarness) -> None:
    await slack.event(p.dm("Can I friend a parent?", bot_id="BOTHER01", subtype="bot_message"))
    await slack.event(p.dm("Can I friend a parent?", user=BOT_USER_ID))
    await slack.event(
        p.event_callback(
            {  # a channel message without a mention
                "type": "message",
                "channel": p.CHANNEL,
                "user": p.USER,
                "text": "Can I friend a parent?",
                "ts": "1700000111.000100",
                "channel_type": "channel",
            }
        )
    )
    await sentinel(slack)
    assert len(posts_to(slack.fake.calls, "chat.postMessage")) == 1


async def test_dm_question_is_answered_in_the_dm(slack: SlackHarness) -> None:
    await slack.event(p.dm(FRIEND_QUESTION))
    calls = await slack.fake.wait_for(
        lambda c: posts_to(c, "chat.postMessage", channel=p.DM_CHANNEL)
    )
    reply = posts_to(calls, "chat.postMessage", channel=p.DM_CHANNEL)[0]
    assert "Answering as a question" in contexts(reply)
    assert "check:" in contexts(reply)
    assert quoted_lines(reply)


async def test_dm_draft_is_checked_in_the_dm(slack: SlackHarness, assistant: Assistant) -> None:
    draft = "So proud of Jaylen, 15, who just moved in with his new foster family! #fostercare"
    await slack.event(p.dm(draft))
    calls = await slack.fake.wait_for(
        lambda c: posts_to(c, "chat.postMessage", channel=p.DM_CHANNEL)
    )
    reply = posts_to(calls, "chat.postMessage", channel=p.DM_CHANNEL)[0]
    assert "I read this as a draft post" in contexts(reply)
    assert "ask:" in contexts(reply)
    expected = expected_check(assistant, draft, intro=AS_DRAFT)
    assert (reply.body["text"], reply.body["blocks"]) == (expected.text, expected.blocks)
    assert "Jaylen" not in reply.body["text"]  # notification preview stays clean


async def test_slash_command_question_answers_privately(slack: SlackHarness) -> None:
    resp = await slack.command(FRIEND_QUESTION)
    assert resp.status == 200
    calls = await slack.fake.wait_for(lambda c: posts_to(c, "response_url"))
    reply = posts_to(calls, "response_url")[0]
    assert reply.body["response_type"] == "ephemeral"
    assert quoted_lines(reply)
    assert not posts_to(calls, "chat.postMessage")


async def test_slash_help(slack: SlackHarness) -> None:
    resp = await slack.command("help")
    body = await resp.json()
    assert "/policy check" in json.dumps(body)
    assert "/policy onboard" in json.dumps(body)


async def test_slash_check_opens_a_modal_and_submission_stays_private(
    slack: SlackHarness, assistant: Assistant
) -> None:
    resp = await slack.command("check")
    assert resp.status == 200
    calls = await slack.fake.wait_for(lambda c: posts_to(c, "views.open"))
    opened = posts_to(calls, "views.open")[0]
    assert opened.body["trigger_id"].startswith("trig.")
    assert opened.body["view"]["callback_id"] == "policy_check_modal"
    element = opened.body["view"]["blocks"][1]["element"]
    assert element["type"] == "plain_text_input" and element["multiline"]

    draft = "Great day at the fair with Marisol and her foster mom! #proud"
    resp = await slack.interact(p.view_submission(draft, view_id="VMODAL001"))
    assert resp.status == 200
    ack = await resp.json()
    assert ack["response_action"] == "update"
    calls = await slack.fake.wait_for(lambda c: posts_to(c, "views.update"))
    result = posts_to(calls, "views.update")[0]
    assert result.body["view_id"] == "VMODAL001"
    assert "Draft check" in result.body["view"]["title"]["text"]
    assert result.body["view"]["blocks"] == expected_check(assistant, draft, max_blocks=100).blocks
    assert not posts_to(calls, "chat.postMessage") and not posts_to(calls, "chat.postEphemeral")


async def test_message_shortcut_checks_privately(slack: SlackHarness, assistant: Assistant) -> None:
    text = "Congrats to Tyrell on his graduation from the Westfield program!"
    resp = await slack.interact(p.message_shortcut(text, slack.fake.response_url("sc")))
    assert resp.status == 200
    calls = await slack.fake.wait_for(lambda c: posts_to(c, "response_url"))
    reply = posts_to(calls, "response_url")[0]
    assert reply.body["response_type"] == "ephemeral" and reply.body["_name"] == "sc"
    assert reply.body["blocks"] == expected_check(assistant, text).blocks
    assert not posts_to(calls, "chat.postMessage")


async def test_app_home_is_published_and_examples_answer_by_dm(slack: SlackHarness) -> None:
    await slack.event(p.app_home_opened())
    calls = await slack.fake.wait_for(lambda c: posts_to(c, "views.publish"))
    home = posts_to(calls, "views.publish")[0]
    assert home.body["user_id"] == p.USER and home.body["view"]["type"] == "home"
    dump = json.dumps(home.body["view"])
    assert "Your agency" in dump
    button = next(b for b in home.body["view"]["blocks"] if b["type"] == "actions")["elements"][0]

    await slack.interact(
        p.home_action({"action_id": button["action_id"], "value": button["value"]})
    )
    calls = await slack.fake.wait_for(lambda c: posts_to(c, "chat.postMessage", channel=p.USER))
    answer = posts_to(calls, "chat.postMessage", channel=p.USER)[0]
    assert "Question" in contexts(answer)


async def test_slack_retry_does_not_answer_twice(slack: SlackHarness) -> None:
    event = p.app_mention(FRIEND_QUESTION, ts="1700000700.000100")
    first = await slack.event(event)
    again = await slack.event(event, retry_num=1)
    assert (first.status, again.status) == (200, 200)
    await slack.fake.wait_for(lambda c: posts_to(c, "chat.postMessage", channel=p.CHANNEL))
    await sentinel(slack)
    assert len(posts_to(slack.fake.calls, "chat.postMessage", channel=p.CHANNEL)) == 1


async def test_forged_or_stale_requests_are_rejected(slack: SlackHarness) -> None:
    forged = await slack.event(p.dm(FRIEND_QUESTION), signature="v0=" + "0" * 64)
    stale = await slack.event(p.dm(FRIEND_QUESTION), timestamp=int(time.time()) - 6 * 60)
    assert (forged.status, stale.status) == (401, 401)
    assert slack.fake.posts() == []


async def test_very_long_question_is_answered_within_slack_limits(slack: SlackHarness) -> None:
    question = (FRIEND_QUESTION + " ") * (12_000 // len(FRIEND_QUESTION) + 1)
    question = question[:12_000]
    await slack.event(p.dm("ask: " + question))
    calls = await slack.fake.wait_for(
        lambda c: posts_to(c, "chat.postMessage", channel=p.DM_CHANNEL)
    )
    reply = posts_to(calls, "chat.postMessage", channel=p.DM_CHANNEL)[0]
    assert ":information_source:" in contexts(reply)  # the notice about trimming
    assert quoted_lines(reply)
    no_limit_problems(slack)


async def test_channel_ping_in_a_question_pings_nobody(slack: SlackHarness) -> None:
    await slack.event(p.dm("Can I share this with <!channel> and <@U999|pat> & <!here>?"))
    calls = await slack.fake.wait_for(
        lambda c: posts_to(c, "chat.postMessage", channel=p.DM_CHANNEL)
    )
    dump = posts_to(calls, "chat.postMessage", channel=p.DM_CHANNEL)[0].dump()
    for ping in ("<!channel>", "<!here>", "<@U999"):
        assert ping not in dump


async def test_rate_limited_post_is_retried_and_delivered_once(slack: SlackHarness) -> None:
    slack.fake.fail_next(1, status=429, retry_after=0, method="chat.postMessage")
    slack.fake.fail_next(1, status=500, method="chat.postMessage")
    await slack.event(p.app_mention(FRIEND_QUESTION))
    calls = await slack.fake.wait_for(lambda c: posts_to(c, "chat.postMessage", channel=p.CHANNEL))
    attempts = [c for c in calls if c.method == "chat.postMessage"]
    assert [c.problems for c in attempts] == [["failed with 429"], ["failed with 500"], []]
    await sentinel(slack)
    assert len(posts_to(slack.fake.calls, "chat.postMessage", channel=p.CHANNEL)) == 1


async def test_feedback_vote_is_recorded_and_acknowledged(
    slack: SlackHarness, tmp_path: Path
) -> None:
    await slack.event(p.dm(FRIEND_QUESTION))
    calls = await slack.fake.wait_for(
        lambda c: posts_to(c, "chat.postMessage", channel=p.DM_CHANNEL)
    )
    answer = posts_to(calls, "chat.postMessage", channel=p.DM_CHANNEL)[0]
    actions = next(b for b in answer.body["blocks"] if b["type"] == "actions")
    helpful = next(e for e in actions["elements"] if e["text"]["text"] == "Helpful")
    message = {
        "type": "message",
        "ts": "1700001000.000100",
        "text": answer.body["text"],
        "blocks": answer.body["blocks"],
        "user": BOT_USER_ID,
        "bot_id": BOT_ID,
    }
    resp = await slack.interact(
        p.block_action(
            {
                "action_id": helpful["action_id"],
                "value": helpful["value"],
                "block_id": "feedback",
                "text": helpful["text"],
            },
            slack.fake.response_url("vote"),
            message=message,
        )
    )
    assert resp.status == 200
    calls = await slack.fake.wait_for(lambda c: posts_to(c, "chat.update"))
    update = posts_to(calls, "chat.update")[0]
    assert update.body["ts"] == "1700001000.000100"
    assert "Thanks — recorded" in update.dump()
    assert not any(b["type"] == "actions" for b in update.body["blocks"])

    lines = (tmp_path / "feedback.jsonl").read_text().splitlines()
    assert len(lines) == 1
    vote = json.loads(lines[0])
    assert vote["helpful"] is True and vote["platform"] == "slack"
    assert vote["question"] == FRIEND_QUESTION
    shown_ids = json.loads(helpful["value"])["c"]
    assert vote["citation_ids"] == shown_ids and shown_ids
    assert p.USER not in lines[0]  # voters are hashed


async def test_draft_marker_reaches_only_its_author(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)
    marker = "Zqxvmarker"
    draft = f"So proud of {marker} Smith, 14, at Lincoln High today!"
    await slack.event(p.app_mention(f"check: {draft}"))
    await slack.event(p.dm(f"check: {draft}"))
    await slack.command(f"check {draft}", name="cmd")
    await slack.interact(p.view_submission(draft))
    await slack.interact(p.message_shortcut(draft, slack.fake.response_url("sc")))
    # A stale (rejected) request carrying the draft must not log it either.
    await slack.event(p.dm(f"check: {draft}"), timestamp=int(time.time()) - 600)

    def all_delivered(calls: list[Call]) -> bool:
        return bool(
            posts_to(calls, "chat.postEphemeral")
            and posts_to(calls, "views.update")
            and len(posts_to(calls, "response_url")) >= 2
            and posts_to(calls, "chat.postMessage", channel=p.DM_CHANNEL)
        )

    calls = await slack.fake.wait_for(all_delivered)
    ephemeral = posts_to(calls, "chat.postEphemeral")[0]
    assert ephemeral.body["user"] == p.USER and ephemeral.body["channel"] == p.CHANNEL
    assert "Only you can see this" in contexts(ephemeral)
    for call in calls:
        if call.method == "chat.postMessage":
            assert call.body["channel"] in (p.DM_CHANNEL, p.USER), call.body
    assert not posts_to(calls, "chat.postMessage", channel=p.CHANNEL)
    for record in caplog.records:
        assert marker not in record.getMessage(), record.name
        assert marker not in str(record.args)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert marker not in path.read_text(errors="ignore")
