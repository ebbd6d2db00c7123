"""Request bodies shaped like Slack's (Events API, slash commands, interactivity), signed."""

from __future__ import annotations

import itertools
import json
from typing import Any
from urllib.parse import urlencode

from tests.fakes.slack_api import BOT_USER_ID, TEAM_ID, sign

_ids = itertools.count(1)
USER = "UAUTHOR01"
CHANNEL = "CGENERAL1"
DM_CHANNEL = "DAUTHOR01"


def event_callback(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    n = next(_ids)
    return {
        "token": "legacy",
        "team_id": TEAM_ID,
        "api_app_id": "APOLICY01",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{n:08d}",
        "event_time": 1700000000 + n,
        "authorizations": [
            {
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
    }


def app_mention(
    text: str,
    *,
    ts: str = "1700000100.000200",
    thread_ts: str | None = None,
    user: str = USER,
    channel: str = CHANNEL,
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "app_mention",
        "user": user,
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event_callback(event)


def dm(
    text: str, *, ts: str = "1700000200.000300", user: str = USER, **extra: Any
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "message",
        "channel": DM_CHANNEL,
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel_type": "im",
        **extra,
    }
    return event_callback(event)


def app_home_opened(user: str = USER) -> dict[str, Any]:
    return event_callback(
        {
            "type": "app_home_opened",
            "user": user,
            "channel": DM_CHANNEL,
            "tab": "home",
            "event_ts": "1700000300.000100",
        }
    )


def slash_command(
    text: str, response_url: str, command: str = "/policy", channel: str = CHANNEL
) -> str:
    return urlencode(
        {
            "token": "legacy",
            "team_id": TEAM_ID,
            "team_domain": "fake",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": USER,
            "user_name": "author",
            "command": command,
            "text": text,
            "api_app_id": "APOLICY01",
            "response_url": response_url,
            "trigger_id": f"trig.{next(_ids)}",
        }
    )


def interactive(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def _user() -> dict[str, Any]:
    return {"id": USER, "username": "author", "name": "author", "team_id": TEAM_ID}


def view_submission(draft: str, view_id: str = "VMODAL001") -> dict[str, Any]:
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": _user(),
        "api_app_id": "APOLICY01",
        "trigger_id": f"trig.{next(_ids)}",
        "view": {
            "id": view_id,
            "type": "modal",
            "callback_id": "policy_check_modal",
            "hash": "1700000000.abc",
            "state": {
                "values": {"draft": {"draft_text": {"type": "plain_text_input", "value": draft}}}
            },
            "title": {"type": "plain_text", "text": "Check a draft post"},
            "blocks": [],
        },
        "response_urls": [],
    }


def message_shortcut(text: str, response_url: str) -> dict[str, Any]:
    return {
        "type": "message_action",
        "callback_id": "check_against_policy",
        "trigger_id": f"trig.{next(_ids)}",
        "response_url": response_url,
        "team": {"id": TEAM_ID, "domain": "fake"},
        "channel": {"id": CHANNEL, "name": "general"},
        "user": _user(),
        "message_ts": "1700000400.000100",
        "message": {
            "type": "message",
            "user": "UOTHER001",
            "text": text,
            "ts": "1700000400.000100",
        },
    }


def block_action(
    action: dict[str, Any],
    response_url: str,
    *,
    channel: str = DM_CHANNEL,
    message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": _user(),
        "api_app_id": "APOLICY01",
        "trigger_id": f"trig.{next(_ids)}",
        "response_url": response_url,
        "container": {"type": "message", "channel_id": channel, "is_ephemeral": False},
        "channel": {"id": channel, "name": "directmessage"},
        "actions": [
            {
                "type": "button",
                "block_id": action.get("block_id", "b"),
                "action_ts": "1700000500.000100",
                **action,
            }
        ],
    }
    if message is not None:
        body["message"] = message
        body["container"]["message_ts"] = message.get("ts")
    return body


def home_action(action: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "user": _user(),
        "api_app_id": "APOLICY01",
        "trigger_id": f"trig.{next(_ids)}",
        "container": {"type": "view", "view_id": "VHOME0001"},
        "view": {"id": "VHOME0001", "type": "home", "blocks": []},
        "actions": [
            {
                "type": "button",
                "block_id": "home_examples",
                "action_ts": "1700000500.000100",
                **action,
            }
        ],
    }


def signed(
    secret: str,
    body: str,
    content_type: str,
    timestamp: int | None = None,
    signature: str | None = None,
    retry_num: int | None = None,
) -> dict[str, str]:
    headers = {"Content-Type": content_type, **sign(secret, body, timestamp)}
    if signature is not None:
        headers["X-Slack-Signature"] = signature
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    return headers
