"""End to end: Bot Framework activities into the real server and CloudAdapter, replies out.

Replies come back either in the HTTP body (deliveryMode expectReplies) or as
posts to the activity's serviceUrl, here a local fake Bot Connector.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.core.assistant import Assistant
from bot.core.feedback import Feedback
from bot.core.models import IndexUnavailable, InputError
from bot.state.db import Database, sqlite_url
from bot.state.feedback import SqlFeedback
from bot.teams.bot import ERROR_TEXT, PRIVATE_NOTE
from bot.teams.cards import ACTION_FEEDBACK, ACTION_KEY, CARD_CONTENT_TYPE
from tests.cards import walk
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams import activities as A
from tests.teams.conftest import ClientFactory, policy_texts, raising_assistant

QUESTION = "Can I post photographs of DYS youth on my personal social media?"
DRAFT_MARKER = "ZEBRA-7731-MARKER"
DRAFT = f"So proud of Jaylen {DRAFT_MARKER} at the DYS picnic today! #fostercare #proud"


def cards_of(activity: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        a["content"]
        for a in activity.get("attachments") or []
        if a.get("contentType") == CARD_CONTENT_TYPE
    ]


def quotes(card: dict[str, Any]) -> list[str]:
    """The quoted clause texts: italic text runs wrapped in curly quotes."""
    return [
        n["text"][1:-1]
        for n in walk(card)
        if n.get("type") == "TextRun" and n.get("italic") and n["text"].startswith("“")
    ]


def texts(card: dict[str, Any]) -> str:
    return "\n".join(str(n.get("text", "")) for n in walk(card))


def messages(replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in replies if r.get("type") == "message"]


def assert_check_reply(reply: dict[str, Any], *phrases: str) -> None:
    """A check result card, or the core's one-line InputError when this build
    cannot check drafts yet (the core on main raises that until the checker lands)."""
    found = cards_of(reply)
    if found:
        for phrase in phrases:
            assert phrase in texts(found[0])
    else:
        assert reply["text"] == "Draft checks are not available in this build."


async def post(client: Any, activity: dict[str, Any], auth: str | None = None) -> Any:
    headers = {"Authorization": auth} if auth else {}
    return await client.post("/api/messages", json=activity, headers=headers)


async def expect_replies(client: Any, activity: dict[str, Any]) -> list[dict[str, Any]]:
    resp = await post(client, activity)
    assert resp.status == 200, await resp.text()
    body = await resp.json()
    return list(body["activities"])


# -- questions -------------------------------------------------------------------


async def test_personal_question_expect_replies_quotes_the_governing_clause(
    make_client: ClientFactory, teams_assistant: Assistant, connector: FakeBotConnector
) -> None:
    client = await make_client(teams_assistant)
    replies = await expect_replies(
        client, A.personal_message(QUESTION, connector.url, expect_replies=True)
    )

    assert replies[0]["type"] == "typing"  # shown while the answer is prepared
    [answer] = messages(replies)
    [card] = cards_of(answer)
    assert card["version"] == "1.5"
    found = quotes(card)
    assert found, "the answer quotes no clause"
    corpus = policy_texts()
    for quote in found:
        assert any(quote in text for text in corpus), f"not verbatim policy text: {quote!r}"
    assert "I read this as a question." in texts(card)
    assert QUESTION in texts(card)
    assert answer["summary"]  # plain-text fallback for clients without cards
    assert found[0] in answer["summary"]
    # Nothing went to the connector: the replies were in the HTTP response.
    assert connector.calls == []


async def test_personal_question_posts_card_to_service_url(
    make_client: ClientFactory, teams_assistant: Assistant, connector: FakeBotConnector
) -> None:
    client = await make_client(teams_assistant)
    activity = A.personal_message(QUESTION, connector.url)
    resp = await post(client, activity)
    assert resp.status == 202

    await connector.wait_for(lambda f: len(f.messages()) >= 1)
    assert [c.body["type"] for c in connector.delivered()] == ["typing", "message"]
    [call] = [c for c in connector.delivered() if c.body["type"] == "message"]
    assert call.conversation_id == A.PERSONAL_CONVERSATION
    assert call.reply_to_id == activity["id"]
    assert quotes(cards_of(call.body)[0])


async def test_channel_mention_is_stripped_before_the_question_is_read(
    make_client: ClientFactory, teams_assistant: Assistant, connector: FakeBotConnector
) -> None:
    client = await make_client(teams_assistant)
    replies = await expect_replies(
        client, A.channel_mention(QUESTION, connector.url, expect_replies=True)
    )
    [answer] = messages(replies)
    [card] = cards_of(answer)
    # The feedback action carries the question exactly as the core saw it.
    submit = next(n for n in walk(card) if n.get("type") == "Action.Submit")
    assert submit["data"]["question"] == QUESTION
    assert "<at>" not in texts(card) and "PolicyBot" not in submit["data"]["question"]
    assert answer["conversation"]["id"] == A.CHANNEL_CONVERSATION


async def test_mention_only_gets_help_not_silence(
    make_client: ClientFactory, teams_assistant: Assistant, connector: FakeBotConnector
) -> None:
    client = await make_client(teams_assistant)
    replies = await expect_replies(
        client, A.channel_mention("", connector.url, expect_replies=True)
    )
    [reply] = messages(replies)
    assert "Ask me a question" in reply["text"]


# -- draft checks ----------------------------------------------------------------


async def test_personal_draft_is_checked_in_the_1to1(
    make_client: ClientFactory, teams_assistant: Assistant, connector: FakeBotConnector
) -> None:
    client = await make_client(teams_assistant)
    replies = await expect_replies(
        client, A.personal_message(DRAFT, connector.url, expect_replies=True)
    )
    [reply] = messages(replies)
    assert_check_reply(reply, "looked like a draft post, so I checked it")
    assert reply["conversation"]["id"] == A.PERSONAL_CONVERSATION


@pytest.mark.parametrize("builder", [A.channel_mention, A.group_mention])
async def test_draft_check_from_a_shared_chat_goes_to_the_1to1_only(
    make_client: ClientFactory,
    teams_assistant: Assistant,
    connector: FakeBotConnector,
    caplog: pytest.LogCaptureFixture,
    builder: Any,
) -> None:
    caplog.set_level(logging.DEBUG)
    client = await make_client(teams_assistant)
    incoming = builder(f"check: {DRAFT}", connector.url)
    resp = await post(client, incoming)
    assert resp.status == 202

    shared_id = incoming["conversation"]["id"]
    await connector.wait_for(
        lambda f: any(m.get("text") == PRIVATE_NOTE for m in f.messages(shared_id))
    )

    [create] = [c for c in connector.calls if c.path == "/v3/conversations"]
    assert create.body["members"] == [{"id": A.USER["id"]}]
    assert create.body["channelData"] == {"tenant": {"id": A.TENANT}}
    [private_id] = connector.created
    [private] = connector.messages(private_id)
    assert_check_reply(private, "I checked this as a draft post.", "Only you can see this")

    # The shared conversation got the short note (and typing), nothing else.
    shared_posts = [c.body for c in connector.delivered() if c.conversation_id == shared_id]
    assert [m.get("text") for m in shared_posts if m["type"] == "message"] == [PRIVATE_NOTE]
    for body in shared_posts:
        assert DRAFT_MARKER not in str(body)
    for record in caplog.records:
        assert DRAFT_MARKER not in record.getMessage()
        assert DRAFT_MARKER not in str(record.args)


async def test_draft_is_never_logged_on_the_1to1_path(
    make_client: ClientFactory,
    teams_assistant: Assistant,
    connector: FakeBotConnector,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    client = await make_client(teams_assistant)
    resp = await post(client, A.personal_message(f"check: {DRAFT}", connector.url))
    assert resp.status == 202
    await connector.wait_for(lambda f: len(f.messages()) >= 1)
    assert caplog.records, "expected the server to log something at DEBUG"
    for record in caplog.records:
        assert DRAFT_MARKER not in record.getMessage()


# -- welcome and card actions ------------------------------------------------------


async def test_bot_added_sends_welcome_card_with_example_questions(
    make_client: ClientFactory, teams_assistant: Assistant, connector: FakeBotConnector
) -> None:
    client = await make_client(teams_assistant)
    resp = await post(client, A.bot_added(connector.url))
    assert resp.status == 202
    await connector.wait_for(lambda f: len(f.messages()) >= 1)
    [welcome] = connector.messages()
    [card] = cards_of(welcome)
    buttons = [n for n in walk(card) if n.get("type") == "Action.Submit"]
    asks = [b for b in buttons if b["data"][ACTION_KEY] == "ask"]
    assert len(asks) >= 2 and all(b["data"]["question"] for b in asks)
    # The one other button starts new-hire onboarding.
    assert [b["data"] for b in buttons if b not in asks] == [{ACTION_KEY: "onboard", "do": "start"}]

    # A user joining is not a reason to greet again.
    joined = A.user_added(connector.url)
    joined["deliveryMode"] = "expectReplies"
    assert await expect_replies(client, joined) == []
    assert len(connector.messages()) == 1


async def test_welcome_button_is_answered_as_a_question(
    make_client: ClientFactory, teams_assistant: Assistant, connector: FakeBotConnector
) -> None:
    client = await make_client(teams_assistant)
    replies = await expect_replies(
        client, A.card_submit({ACTION_KEY: "ask", "question": QUESTION}, connector.url)
    )
    [answer] = messages(replies)
    assert quotes(cards_of(answer)[0])


async def test_helpful_vote_is_recorded_and_acknowledged(
    make_client: ClientFactory,
    teams_assistant: Assistant,
    connector: FakeBotConnector,
    tmp_path: Any,
) -> None:
    client = await make_client(teams_assistant)
    replies = await expect_replies(
        client, A.personal_message(QUESTION, connector.url, expect_replies=True)
    )
    [card] = cards_of(messages(replies)[0])
    helpful = next(
        n for n in walk(card) if n.get("type") == "Action.Submit" and n["title"] == "Helpful"
    )
    assert helpful["data"][ACTION_KEY] == ACTION_FEEDBACK

    # Teams posts the button's data back as the activity value.
    replies = await expect_replies(client, A.card_submit(helpful["data"], connector.url))
    [ack] = messages(replies)
    assert "helpful" in ack["text"]

    [vote] = stored_votes(tmp_path / "data")
    assert vote.platform == "teams"
    assert vote.helpful is True
    assert vote.question == QUESTION
    assert vote.citation_ids == helpful["data"]["citations"] and vote.citation_ids
    assert A.USER["id"] not in vote.user_hash and A.USER["aadObjectId"] not in vote.user_hash


async def test_tampered_vote_is_refused_with_a_message(
    make_client: ClientFactory,
    teams_assistant: Assistant,
    connector: FakeBotConnector,
    tmp_path: Any,
) -> None:
    client = await make_client(teams_assistant)
    value = {ACTION_KEY: ACTION_FEEDBACK, "helpful": "yes", "question": 5, "citations": "x"}
    replies = await expect_replies(client, A.card_submit(value, connector.url))
    [reply] = messages(replies)
    assert "couldn't read that vote" in reply["text"]
    assert stored_votes(tmp_path / "data") == []


def stored_votes(data_dir: Any) -> list[Feedback]:
    db = Database.open(sqlite_url(data_dir))
    try:
        return SqlFeedback(db).all()
    finally:
        db.close()


# -- errors at the edge -------------------------------------------------------------


async def test_core_exception_gives_short_message_and_logs_activity_id(
    make_client: ClientFactory, connector: FakeBotConnector, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret_text = "PRIVATE-QUESTION-TEXT-4411"
    client = await make_client(raising_assistant(RuntimeError(f"boom {secret_text}")))
    activity = A.personal_message(f"What about {secret_text}?", connector.url, expect_replies=True)
    replies = await expect_replies(client, activity)
    [reply] = messages(replies)
    assert reply["text"] == ERROR_TEXT.format(ref=activity["id"])
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(activity["id"] in r.getMessage() for r in failures)
    assert all(secret_text not in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (IndexUnavailable("chroma down"), IndexUnavailable.USER_MESSAGE),
        (InputError("That question is empty."), "That question is empty."),
    ],
)
async def test_known_core_errors_are_explained(
    make_client: ClientFactory, connector: FakeBotConnector, error: Exception, expected: str
) -> None:
    client = await make_client(raising_assistant(error))
    replies = await expect_replies(
        client, A.personal_message(QUESTION, connector.url, expect_replies=True)
    )
    assert [m["text"] for m in messages(replies)] == [expected]


@pytest.mark.parametrize("status", [502, 504])
async def test_gateway_error_from_connector_is_retried_and_delivered_once(
    make_client: ClientFactory, teams_assistant: Assistant, connector: FakeBotConnector, status: int
) -> None:
    client = await make_client(teams_assistant)
    connector.fail_next(1, status, activity_type="message")
    resp = await post(client, A.personal_message(QUESTION, connector.url))
    assert resp.status == 202
    await connector.wait_for(lambda f: len(f.messages()) >= 1)
    attempts = [c for c in connector.calls if c.body.get("type") == "message"]
    assert [c.status for c in attempts] == [status, 200]
    assert len(connector.messages()) == 1


async def test_private_chat_that_cannot_be_opened_is_said_in_channel_without_the_draft(
    make_client: ClientFactory, teams_assistant: Assistant, connector: FakeBotConnector
) -> None:
    client = await make_client(teams_assistant)
    connector.fail_next(10, 403, activity_type="createConversation")
    incoming = A.channel_mention(f"check: {DRAFT}", connector.url)
    await post(client, incoming)
    await connector.wait_for(lambda f: len(f.messages(A.CHANNEL_CONVERSATION)) >= 1)
    [note] = connector.messages(A.CHANNEL_CONVERSATION)
    assert "couldn't open a private chat" in note["text"]
    assert DRAFT_MARKER not in str(note)
    assert connector.created == {}


# -- malformed requests -------------------------------------------------------------------


async def test_malformed_requests_are_rejected_clearly(
    make_client: ClientFactory, teams_assistant: Assistant
) -> None:
    client = await make_client(teams_assistant)
    resp = await client.post(
        "/api/messages", data=b"\xff\xfe binary", headers={"Content-Type": "application/json"}
    )
    assert resp.status == 400
    resp = await client.post("/api/messages", data="hello", headers={"Content-Type": "text/plain"})
    assert resp.status == 415
    resp = await client.post("/api/messages", json=["not", "an", "activity"])
    assert resp.status == 400
