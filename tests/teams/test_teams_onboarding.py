"""Onboarding through the real Teams adapter: Bot Framework activities in (welcome-card
button, "onboard" in the 1:1, Action.Submit clicks), Adaptive Cards out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.app import build_runtime
from bot.core.assistant import Assistant
from bot.core.models import Clause
from bot.core.onboarding.tour import Tour, load_tours
from bot.core.ports import Embedder
from bot.teams.cards import ACTION_KEY
from tests.conftest import KNOWLEDGE, Runtime, make_settings
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams import activities as A
from tests.teams.conftest import ClientFactory
from tests.teams.test_teams_http import cards_of, expect_replies, messages, post, quotes, texts

AGENCY_IDS = ("la-dcfs", "lccs", "la-cio", "ct-dcf", "ma-dys")


def onboarding_assistant(runtime: Runtime, embedder: Embedder, data: Path, **kw: Any) -> Assistant:
    """The real assistant over the shared index, with its own empty state database."""
    return build_runtime(
        make_settings(data, **kw), embedder=embedder, store=runtime.store
    ).assistant


@pytest.fixture(scope="module")
def tours() -> dict[str, Tour]:
    return dict(load_tours(KNOWLEDGE / "onboarding", AGENCY_IDS))


def only_card(replies: list[dict[str, Any]]) -> dict[str, Any]:
    [reply] = messages(replies)
    [card] = cards_of(reply)
    return card


def actions(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Action.Submit buttons by title: their data is what Teams posts back on a click."""
    return {a["title"]: a["data"] for a in card.get("actions", []) if a["type"] == "Action.Submit"}


def stored(runtime: Runtime, agency: str, quote: str) -> Clause:
    [clause] = [c for c in runtime.store.clauses() if c.agency_id == agency and quote in c.text]
    return clause


def assert_quotes(card: dict[str, Any], clause: Clause) -> None:
    assert quotes(card) == [clause.text]
    assert f"{clause.agency} — {clause.policy}, section {clause.section}" in texts(card)


async def test_welcome_button_tour_resume_quiz_and_completion(
    make_client: ClientFactory,
    connector: FakeBotConnector,
    runtime: Runtime,
    embedder: Embedder,
    tmp_path: Path,
    tours: dict[str, Tour],
) -> None:
    assistant = onboarding_assistant(runtime, embedder, tmp_path / "state")
    client = await make_client(assistant)
    url = connector.url
    tour = tours["ma-dys"]

    async def click(data: dict[str, Any]) -> dict[str, Any]:
        return only_card(await expect_replies(client, A.card_submit(data, url)))

    # The welcome card's button starts onboarding; no agency is configured, so it asks.
    assert (await post(client, A.bot_added(url))).status == 202
    await connector.wait_for(lambda f: len(f.messages()) >= 1)
    [welcome] = cards_of(connector.messages()[0])
    choice = await click(actions(welcome)["Start new-hire onboarding"])
    assert "Which agency do you work for?" in texts(choice)

    card = await click(actions(choice)["Massachusetts DYS"])
    assert f"Massachusetts DYS onboarding · Rule 1 of {len(tour.rules)}" in texts(card)
    assert tour.rules[0].plain in texts(card)
    assert_quotes(card, stored(runtime, "ma-dys", tour.rules[0].quote))
    card = await click(actions(card)["Next rule"])
    assert_quotes(card, stored(runtime, "ma-dys", tour.rules[1].quote))

    # Stop; "onboard" in the 1:1 continues at rule 2 with a welcome back.
    resumed = only_card(
        await expect_replies(client, A.personal_message("onboard", url, expect_replies=True))
    )
    assert "Welcome back" in texts(resumed) and f"Rule 2 of {len(tour.rules)}" in texts(resumed)

    card = resumed
    while "Next rule" in actions(card):
        card = await click(actions(card)["Next rule"])
    card = await click(actions(card)["Start the quiz"])
    q1, q2 = tour.quiz[0], tour.quiz[1]
    assert q1.question in texts(card) and set(actions(card)) == set(q1.choices)
    assert "friend request" in q1.question

    right = await click(actions(card)[q1.answer])
    assert "Correct" in texts(right) and "The answer:" not in texts(right)
    assert_quotes(right, stored(runtime, "ma-dys", q1.quote))
    card = await click(actions(right)["Next question"])
    wrong_choice = next(c for c in q2.choices if c != q2.answer)
    wrong = await click(actions(card)[wrong_choice])
    assert "Not quite" in texts(wrong) and f"The answer: **{q2.answer}**" in texts(wrong)
    assert_quotes(wrong, stored(runtime, "ma-dys", q2.quote))
    assert q1.explanation in texts(right) and q2.explanation in texts(wrong)

    card = await click(actions(wrong)["Next question"])
    for item in tour.quiz[2:]:
        answered = await click(actions(card)[item.answer])
        card = await click(
            actions(answered)["See my score" if item is tour.quiz[-1] else "Next question"]
        )
    total = len(tour.quiz)
    assert f"Quiz score: **{total - 1} of {total}**" in texts(card)

    again = only_card(
        await expect_replies(client, A.personal_message("onboard", url, expect_replies=True))
    )
    assert f"{total - 1} of {total}" in texts(again) and "Restart the tour" in actions(again)

    assert assistant.onboarding is not None
    [row] = assistant.onboarding.report()
    assert (row.user_label, row.platform, row.agency_id, row.status, row.score) == (
        "Casey Worker",
        "teams",
        "ma-dys",
        "completed",
        total - 1,
    )


async def test_configured_agency_starts_directly_and_channel_requests_go_private(
    make_client: ClientFactory,
    connector: FakeBotConnector,
    runtime: Runtime,
    embedder: Embedder,
    tmp_path: Path,
    tours: dict[str, Tour],
) -> None:
    assistant = onboarding_assistant(runtime, embedder, tmp_path / "state", agency="ct-dcf")
    client = await make_client(assistant)
    card = only_card(
        await expect_replies(
            client, A.personal_message("onboard", connector.url, expect_replies=True)
        )
    )
    assert f"Connecticut DCF onboarding · Rule 1 of {len(tours['ct-dcf'].rules)}" in texts(card)
    assert_quotes(card, stored(runtime, "ct-dcf", tours["ct-dcf"].rules[0].quote))

    replies = await expect_replies(
        client, A.channel_mention("onboard", connector.url, expect_replies=True)
    )
    assert [r.get("text") for r in messages(replies)] == [
        "I sent the onboarding tour to you privately."
    ]
    private = [m for m in connector.messages() if cards_of(m)]
    assert private and "Connecticut DCF onboarding" in texts(cards_of(private[-1])[0])


async def test_tampered_onboarding_action_gets_a_message(
    make_client: ClientFactory,
    connector: FakeBotConnector,
    runtime: Runtime,
    embedder: Embedder,
    tmp_path: Path,
) -> None:
    client = await make_client(onboarding_assistant(runtime, embedder, tmp_path / "state"))
    data = {ACTION_KEY: "onboard", "do": "answer", "agency": "ct-dcf", "item": 7, "choice": "x"}
    [reply] = messages(await expect_replies(client, A.card_submit(data, connector.url)))
    assert "couldn't read that button" in reply["text"]
    data = {ACTION_KEY: "onboard", "do": "agency", "agency": "ny-acs"}
    [reply] = messages(await expect_replies(client, A.card_submit(data, connector.url)))
    assert "Unknown agency 'ny-acs'" in reply["text"]
