"""Reading Slack text: markup, commands, and telling a draft post from a question."""

from __future__ import annotations

import pytest

from bot.slack.intent import (
    Command,
    Mode,
    looks_like_draft,
    parse_command,
    read_message,
    slack_to_plain,
    strip_bot_mention,
)


@pytest.mark.parametrize(
    "text",
    [
        "Can I friend a foster parent on Facebook?",
        "may staff post photos of youth",
        "Is it ok to use my personal phone for texting families?",
        "What does the policy say about LinkedIn?",
        "friend requests from parents of youth in care?",
        "Should we livestream the graduation",
    ],
)
def test_questions_are_not_drafts(text: str) -> None:
    assert not looks_like_draft(text)


@pytest.mark.parametrize(
    "text",
    [
        "check: Great day at the park with the kids",
        "So proud of our youth at the spring fair today! #DYSstrong",
        "Congrats to Jaylen, 15, who finally got into Lincoln High :tada:",
        "We had an amazing time volunteering at the shelter!",
        "Our foster family picnic was a blast 🎉",
    ],
)
def test_posts_are_drafts(text: str) -> None:
    assert looks_like_draft(text)


def test_slack_markup_becomes_plain_text() -> None:
    assert slack_to_plain("hi <@U123|sam> &amp; <!channel> &lt;b&gt;") == "hi @sam & @channel <b>"
    assert slack_to_plain("see <https://x.org|the policy>") == "see the policy (https://x.org)"
    assert slack_to_plain("<#C1|general> <!subteam^S1|@pios>") == "#general @pios"
    assert strip_bot_mention("<@UBOT0001> <@UBOT0001|bot> can I post?") == "can I post?"


def test_commands() -> None:
    assert parse_command("").name == "help"
    assert parse_command("help").name == "help"
    assert parse_command("check") == parse_command("check   ")
    assert parse_command("check").text == ""
    assert parse_command("check: my post").text == "my post"
    assert parse_command("check my post").text == "my post"
    assert parse_command("May I post?").name == "ask"
    assert parse_command("checklists for posting?").name == "ask"


def test_read_message_modes() -> None:
    assert read_message("", guess_drafts=True).mode is Mode.HELP
    drafted = read_message("So proud of our kids! #win", guess_drafts=True)
    assert drafted.mode is Mode.DRAFT and not drafted.explicit
    # In channels only an explicit "check:" makes a draft.
    assert read_message("So proud of our kids! #win", guess_drafts=False).mode is Mode.QUESTION
    forced = read_message("ask: So proud of our kids! #win", guess_drafts=True)
    assert forced.mode is Mode.QUESTION and forced.text == "So proud of our kids! #win"
    explicit = read_message("CHECK: hello world", guess_drafts=False)
    assert explicit.mode is Mode.DRAFT and explicit.explicit and explicit.text == "hello world"


def test_onboard_command_takes_at_most_an_agency() -> None:
    assert parse_command("onboard") == Command("onboard", "")
    assert parse_command("Onboarding ct-dcf") == Command("onboard", "ct-dcf")
    # A question that happens to start with the word is still a question.
    asked = parse_command("onboarding new staff: what must they read first?")
    assert asked.name == "ask"
