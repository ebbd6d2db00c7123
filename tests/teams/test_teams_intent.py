from __future__ import annotations

import pytest

from bot.teams.intent import Intent, looks_like_draft, parse_request


@pytest.mark.parametrize(
    "text",
    [
        "Can I post a photo of a youth in care?",
        "may staff friend clients on Facebook",
        "Should I tag my coworkers in event photos",
        "What does the policy say about LinkedIn!",
        "Is it OK to share this #fostercare post?",
        "photo rules",
        "tell me about social media rules for staff",
        "",
    ],
)
def test_questions_are_not_drafts(text: str) -> None:
    assert not looks_like_draft(text)


@pytest.mark.parametrize(
    "text",
    [
        "So proud of our kids at the summer picnic today! #fostercare",
        "Had a great day with Jordan at the park 🎉",
        "We had an amazing time at the agency picnic. Thanks to all our volunteers today.",
        "Big news from our office! Check out https://example.org/story",
    ],
)
def test_post_like_text_is_a_draft(text: str) -> None:
    assert looks_like_draft(text)


def test_check_prefix_is_explicit_and_removed() -> None:
    assert parse_request("check: Fun day at camp") == parse_request("Check - Fun day at camp")
    request = parse_request("CHECK my post: Fun day at camp")
    assert (request.intent, request.text, request.explicit) == (
        Intent.CHECK,
        "Fun day at camp",
        True,
    )
    assert parse_request("check").text == ""
    # A word that merely starts with "check" is a question.
    assert parse_request("checklist for posting photos").intent is Intent.ASK


def test_onboard_words_start_the_tour_but_questions_stay_questions() -> None:
    from bot.teams.bot import _ONBOARD

    assert _ONBOARD.match("onboard") and _ONBOARD.match(" Onboarding ")
    match = _ONBOARD.match("onboard ma-dys")
    assert match is not None and match.group(1) == "ma-dys"
    assert _ONBOARD.match("onboarding?") is None
    assert _ONBOARD.match("onboarding new staff: what do they read first?") is None
