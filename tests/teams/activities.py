"""Bot Framework activities as Teams sends them (JSON, per the Bot Framework activity schema)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

TENANT = "72f988bf-0000-4000-8000-00000000tnnt"
BOT_ID = "28:00000000-0000-4000-8000-0000000b0t01"
BOT_NAME = "PolicyBot"
USER = {
    "id": "29:1user-aaaa",
    "name": "Casey Worker",
    "aadObjectId": "00000000-0000-4000-8000-0000000user1",
}
TEAM_ID = "19:team-general@thread.tacv2"
CHANNEL_CONVERSATION = "19:team-general@thread.tacv2;messageid=1700000000001"
GROUP_CONVERSATION = "19:group-chat-1@thread.v2"
PERSONAL_CONVERSATION = "a:1personal-conversation"
MENTION = f"<at>{BOT_NAME}</at>"

_ids = itertools.count(1)


def _base(
    service_url: str, conversation: dict[str, Any], activity_type: str = "message"
) -> dict[str, Any]:
    return {
        "type": activity_type,
        "id": f"1700000000{next(_ids):06d}",
        "timestamp": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "localTimestamp": datetime.now(UTC).isoformat(),
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": dict(USER),
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "conversation": conversation,
        "channelData": {"tenant": {"id": TENANT}},
        "locale": "en-US",
    }


def personal_message(
    text: str, service_url: str, *, expect_replies: bool = False
) -> dict[str, Any]:
    activity = _base(
        service_url,
        {"id": PERSONAL_CONVERSATION, "conversationType": "personal", "tenantId": TENANT},
    )
    activity["text"] = text
    activity["textFormat"] = "plain"
    if expect_replies:
        activity["deliveryMode"] = "expectReplies"
    return activity


def _mention_entity() -> dict[str, Any]:
    return {
        "type": "mention",
        "mentioned": {"id": BOT_ID, "name": BOT_NAME},
        "text": MENTION,
    }


def channel_mention(text: str, service_url: str, *, expect_replies: bool = False) -> dict[str, Any]:
    """``text`` as typed after the @mention, in a team channel."""
    activity = _base(
        service_url,
        {
            "id": CHANNEL_CONVERSATION,
            "conversationType": "channel",
            "isGroup": True,
            "tenantId": TENANT,
        },
    )
    activity["text"] = f"{MENTION} {text}"
    activity["textFormat"] = "plain"
    activity["entities"] = [_mention_entity()]
    activity["channelData"] = {
        "tenant": {"id": TENANT},
        "team": {"id": TEAM_ID},
        "channel": {"id": TEAM_ID},
        "teamsTeamId": TEAM_ID,
        "teamsChannelId": TEAM_ID,
    }
    if expect_replies:
        activity["deliveryMode"] = "expectReplies"
    return activity


def group_mention(text: str, service_url: str) -> dict[str, Any]:
    activity = _base(
        service_url,
        {
            "id": GROUP_CONVERSATION,
            "conversationType": "groupChat",
            "isGroup": True,
            "tenantId": TENANT,
        },
    )
    activity["text"] = f"{MENTION} {text}"
    activity["entities"] = [_mention_entity()]
    return activity


def card_submit(
    value: dict[str, Any], service_url: str, *, expect_replies: bool = True
) -> dict[str, Any]:
    """What Teams posts when a user clicks an Action.Submit button: a message with ``value``."""
    activity = personal_message("", service_url, expect_replies=expect_replies)
    del activity["text"]
    activity["value"] = value
    activity["replyToId"] = "1700000000999999"
    return activity


def bot_added(service_url: str, conversation_type: str = "personal") -> dict[str, Any]:
    conversation: dict[str, Any] = {
        "id": PERSONAL_CONVERSATION if conversation_type == "personal" else CHANNEL_CONVERSATION,
        "conversationType": conversation_type,
        "tenantId": TENANT,
    }
    activity = _base(service_url, conversation, "conversationUpdate")
    activity["membersAdded"] = [{"id": BOT_ID}]
    if conversation_type == "channel":
        activity["channelData"] = {
            "tenant": {"id": TENANT},
            "team": {"id": TEAM_ID},
            "eventType": "teamMemberAdded",
        }
    return activity


def user_added(service_url: str) -> dict[str, Any]:
    activity = bot_added(service_url)
    activity["membersAdded"] = [{"id": USER["id"]}]
    return activity
