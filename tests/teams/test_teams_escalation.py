"""The PIO escalation loop through the real server and CloudAdapter with real Bot
Framework activities; the PIO channel and the asker's chat live on the fake Bot
Connector: ask -> Ask the PIO -> PIO answers in the card -> the asker receives it
-> saved as guidance -> a similar question shows it labelled -> retired -> gone."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import Runtime
from bot.core.ports import Embedder
from bot.core.records import Escalation
from bot.pio import send_reminders
from bot.server import NOTIFIERS_KEY, build_web_app
from bot.services import Services
from bot.teams import cards
from tests.cards import walk
from tests.fakes.bot_connector import FakeBotConnector
from tests.pio.support import assistant_over, fresh_services
from tests.teams import activities as A
from tests.teams.conftest import teams_settings

PIO_CONVERSATION = "19:pio-team@thread.tacv2"
PIO_USER = {
    "id": "29:1pio-bbbb",
    "name": "Pat PIO",
    "aadObjectId": "00000000-0000-4000-8000-0000000pio01",
}
QUESTION = "Can I post a photo of the youth basketball team's trophy on my own Instagram?"
SIMILAR = "May I put a photo of the youth basketball team's trophy on my personal Instagram?"
PIO_ANSWER = "Only a photo of the trophy itself, no youth in it, and tag the agency page."


@dataclass
class Loop:
    client: TestClient[Any, Any]
    services: Services
    notifiers: dict[str, Any]


async def _start(
    tmp_path: Path, runtime: Runtime, embedder: Embedder, **overrides: Any
) -> tuple[TestClient[Any, Any], Services, dict[str, Any]]:
    settings = teams_settings(
        tmp_path / "data",
        knowledge_dir=runtime.settings.knowledge_dir,
        agency="ma-dys",
        **overrides,
    )
    services = fresh_services(settings, embedder, tmp_path)
    app = build_web_app(settings, assistant_over(runtime, settings, services), services)
    client: TestClient[Any, Any] = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    return client, services, app[NOTIFIERS_KEY]


@pytest.fixture
async def loop(tmp_path: Path, runtime: Runtime, embedder: Embedder) -> AsyncIterator[Loop]:
    client, services, notifiers = await _start(
        tmp_path, runtime, embedder, pio_teams_conversation=PIO_CONVERSATION
    )
    yield Loop(client, services, notifiers)
    await client.close()
    services.close()


def card_of(activity: dict[str, Any]) -> dict[str, Any]:
    [card] = [
        a["content"]
        for a in activity.get("attachments") or []
        if a.get("contentType") == cards.CARD_CONTENT_TYPE
    ]
    return card


def submit(card: dict[str, Any], title: str) -> dict[str, Any]:
    return next(n for n in walk(card) if n.get("type") == "Action.Submit" and n["title"] == title)


async def send(client: TestClient[Any, Any], activity: dict[str, Any]) -> list[dict[str, Any]]:
    resp = await client.post("/api/messages", json=activity)
    assert resp.status == 200, await resp.text()
    return [a for a in (await resp.json())["activities"] if a.get("type") == "message"]


async def ask(client: TestClient[Any, Any], connector: FakeBotConnector, q: str) -> dict[str, Any]:
    [answer] = await send(client, A.personal_message(q, connector.url, expect_replies=True))
    return answer


def pio_submit(value: dict[str, Any], service_url: str, reply_to_id: str) -> dict[str, Any]:
    activity = A.card_submit(value, service_url)
    activity["from"] = dict(PIO_USER)
    activity["conversation"] = {
        "id": PIO_CONVERSATION,
        "conversationType": "channel",
        "isGroup": True,
        "tenantId": A.TENANT,
    }
    activity["replyToId"] = reply_to_id
    return activity


def guidance_text(card: dict[str, Any]) -> str:
    return " ".join(
        json.dumps(n)
        for n in walk(card)
        if n.get("type") == "Container" and "PIO guidance" in json.dumps(n)
    )


async def test_escalation_loop_answer_guidance_retire(
    loop: Loop, connector: FakeBotConnector
) -> None:
    client = loop.client
    first = await ask(client, connector, QUESTION)
    assert guidance_text(card_of(first)) == ""

    # The asker escalates.
    escalate = submit(card_of(first), "Ask the PIO")
    [told] = await send(client, A.card_submit(escalate["data"], connector.url))
    assert "Sent to the PIO" in told["text"]
    pio_posts = connector.messages(PIO_CONVERSATION)
    assert len(pio_posts) == 1
    pio_card = card_of(pio_posts[0])
    dump = json.dumps(pio_card)
    assert "Instagram" in dump and "Massachusetts" in dump
    assert f"<at>{A.USER['name']}</at>" in dump  # a real mention of who asked
    assert pio_card["msteams"]["entities"][0]["mentioned"]["id"] == A.USER["id"]
    if escalate["data"]["citations"]:
        assert "Clauses the bot found" in dump
    # The id the connector gave the PIO card is what Teams sends back as replyToId.
    card_id = stored_pio_activity(loop)

    # The PIO answers in the card.
    send_answer = submit(pio_card, "Send answer")
    value = {**send_answer["data"], "answer": PIO_ANSWER}
    await send(client, pio_submit(value, connector.url, card_id))
    delivered = [
        m for m in connector.messages(A.PERSONAL_CONVERSATION) if PIO_ANSWER in m.get("text", "")
    ]
    assert len(delivered) == 1 and "not policy text" in delivered[0]["text"]
    updates = [c for c in connector.delivered() if c.method == "PUT"]
    assert updates and updates[-1].reply_to_id == card_id
    answered_card = card_of(updates[-1].body)
    assert "Answered by Pat PIO" in json.dumps(answered_card)
    [stored] = loop.services.escalations.since(None)
    assert stored.status == "answered" and stored.answered_by == "Pat PIO"
    assert stored.reply_to is None

    # A second answer is refused with who answered.
    [again] = await send(client, pio_submit({**value, "answer": "Other"}, connector.url, card_id))
    assert "already answered by Pat PIO" in again["text"]

    # Save as guidance.
    save = submit(answered_card, "Save as guidance")
    [saved] = await send(client, pio_submit(save["data"], connector.url, card_id))
    saved_card = card_of(saved)
    assert "Saved as guidance" in json.dumps(saved_card)

    # A similar question shows it, labelled as PIO guidance with name and date.
    second = card_of(await ask(client, connector, SIMILAR))
    shown = guidance_text(second)
    assert "PIO guidance (not policy text)" in shown and "Pat PIO" in shown
    assert PIO_ANSWER in shown
    italic_quotes = [
        n["text"] for n in walk(second) if n.get("type") == "TextRun" and n.get("italic")
    ]
    assert all(PIO_ANSWER not in q for q in italic_quotes)

    # Retire: gone.
    retire = submit(saved_card, "Retire guidance")
    [retired] = await send(client, pio_submit(retire["data"], connector.url, card_id))
    assert "retired" in retired["text"]
    third = card_of(await ask(client, connector, SIMILAR))
    assert guidance_text(third) == "" and PIO_ANSWER not in json.dumps(third)


def stored_pio_activity(loop: Loop) -> str:
    [esc] = loop.services.escalations.since(None)
    assert esc.pio_message is not None
    return str(esc.pio_message["activity_id"])


async def test_without_a_pio_conversation_the_asker_is_told(
    tmp_path: Path, runtime: Runtime, embedder: Embedder, connector: FakeBotConnector
) -> None:
    client, services, _ = await _start(tmp_path, runtime, embedder)
    try:
        first = await ask(client, connector, QUESTION)
        escalate = submit(card_of(first), "Ask the PIO")
        [told] = await send(client, A.card_submit(escalate["data"], connector.url))
        assert "not set up" in told["text"] and "POLICYBOT_PIO_TEAMS_CONVERSATION" in told["text"]
        assert services.escalations.since(None) == []
    finally:
        await client.close()
        services.close()


async def test_open_escalations_are_reposted_to_the_pio_conversation(
    loop: Loop, connector: FakeBotConnector
) -> None:
    old = Escalation(
        id="esc-old-teams",
        platform="teams",
        agency_id="ma-dys",
        question="Can I go live on TikTok at the youth center?",
        asker_hash="h",
        reply_to={"user_id": A.USER["id"], "user_name": A.USER["name"]},
        citation_ids=[],
        created_at=datetime.now(UTC) - timedelta(hours=30),
        pio_message={
            "conversation": PIO_CONVERSATION,
            "service_url": connector.url,
            "activity_id": "activity-1",
        },
    )
    loop.services.escalations.create(old)
    assert await send_reminders(loop.services.desk, loop.notifiers) == 1
    [reminder] = connector.messages(PIO_CONVERSATION)
    card = card_of(reminder)
    assert "Reminder" in json.dumps(card) and "TikTok" in json.dumps(card)
    assert submit(card, "Send answer")["data"]["escalation"] == old.id
    assert await send_reminders(loop.services.desk, loop.notifiers) == 0
