"""Every step of every bundled tour renders within Slack's and Teams' limits, with the
stored clause verbatim, and user-facing text that could ping or inject is neutralised."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from bot.app import Runtime
from bot.core.models import AgencyInfo
from bot.core.onboarding.references import QuoteIndex
from bot.core.onboarding.service import (
    AgencyChoiceView,
    AnswerView,
    CompletionView,
    QuestionView,
    RuleView,
    View,
)
from bot.core.onboarding.tour import load_tours
from bot.slack import onboarding_blocks as sob
from bot.slack.blocks import escape
from bot.teams import onboarding_cards as toc
from bot.teams.cards import CARD_VERSION, MAX_PAYLOAD_BYTES, payload_bytes
from tests.conftest import KNOWLEDGE
from tests.fakes.slack_api import block_kit_problems

AGENCY_IDS = ("la-dcfs", "lccs", "la-cio", "ct-dcf", "ma-dys")
NOW = datetime(2026, 11, 21, tzinfo=UTC)


def mrkdwn(blocks: list[dict[str, Any]]) -> str:
    """Every mrkdwn text (where Slack would expand <!channel> or <@U1>)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                found.append(str(node.get("text", "")))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks)
    return "\n".join(found)


def all_views(runtime: Runtime) -> list[View]:
    index = QuoteIndex(runtime.store.clauses())
    views: list[View] = []
    for agency, tour in load_tours(KNOWLEDGE / "onboarding", AGENCY_IDS).items():
        for n, rule in enumerate(tour.rules):
            clause = index.resolve(agency, rule.quote)
            assert clause is not None
            views.append(
                RuleView(
                    agency,
                    agency,
                    tour.title,
                    tour.intro,
                    n + 1,
                    len(tour.rules),
                    n,
                    clause,
                    rule.plain,
                    "Welcome back",
                )
            )
        for n, item in enumerate(tour.quiz):
            clause = index.resolve(agency, item.quote)
            assert clause is not None
            views.append(
                QuestionView(
                    agency,
                    agency,
                    n + 1,
                    len(tour.quiz),
                    item.id,
                    item.question,
                    list(item.choices),
                )
            )
            for choice in item.choices:
                views.append(
                    AnswerView(
                        agency,
                        agency,
                        item.question,
                        choice,
                        choice == item.answer,
                        item.answer,
                        item.explanation,
                        clause,
                        n == len(tour.quiz) - 1,
                    )
                )
        views.append(CompletionView(agency, agency, tour.title, 5, len(tour.quiz), NOW))
    return views


def test_every_tour_step_renders_valid_block_kit_and_cards(runtime: Runtime) -> None:
    views = all_views(runtime)
    assert len(views) > 150
    for view in views:
        message = sob.render_view(view)
        assert block_kit_problems(message.kwargs(), "message") == [], view
        card = toc.onboarding_card(view)
        assert card.card["version"] == CARD_VERSION and payload_bytes(card) <= MAX_PAYLOAD_BYTES
        if isinstance(view, RuleView | AnswerView):
            # The stored clause, whole, in both renderings.
            assert "> " + escape(view.clause.text) in mrkdwn(message.blocks)
            runs = [
                i["inlines"][0]["text"]
                for c in card.card["body"]
                if c["type"] == "Container"
                for i in c["items"]
                if i["type"] == "RichTextBlock"
            ]
            assert f"“{view.clause.text}”" in runs


def test_slack_buttons_round_trip_and_foreign_values_are_refused(runtime: Runtime) -> None:
    for view in all_views(runtime):
        message = sob.render_view(view)
        assert not isinstance(view, AgencyChoiceView)
        for block in message.blocks:
            for element in block.get("elements", []) if block["type"] == "actions" else []:
                click = sob.parse_click(element["action_id"], element["value"])
                assert click is not None and click.agency_id == view.agency_id
    assert sob.parse_click("onboard_next", '{"a": "ct-dcf"}') is None  # no step
    assert sob.parse_click("onboard_answer_0", '{"a": "ct-dcf", "q": "x"}') is None
    assert sob.parse_click("onboard_next", "[1, 2]") is None
    assert toc.parse_action({"do": "next", "agency": "ct-dcf", "step": True}) is None
    assert toc.parse_action({"do": "answer", "agency": "ct-dcf", "item": "x"}) is None
    assert toc.parse_action({"do": "explode", "agency": "ct-dcf"}) is None


def test_user_visible_names_cannot_ping_a_channel(runtime: Runtime) -> None:
    hostile = AgencyInfo("x", "<!channel> County", "<!channel> County", [])
    message = sob.render_view(AgencyChoiceView([hostile], notice="<!channel>"))
    assert "<!channel>" not in mrkdwn(message.blocks)
    view = next(v for v in all_views(runtime) if isinstance(v, CompletionView))
    message = sob.render_view(replace(view, agency_name="<!here>", notice="<@U1>"))
    assert "<!here>" not in mrkdwn(message.blocks) and "<@U1>" not in mrkdwn(message.blocks)
    assert "&lt;!here&gt;" in mrkdwn(message.blocks)
