"""The app manifest creates the app the code expects (same ids, events and scopes)."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.slack import app as slack_app

MANIFEST = Path(slack_app.__file__).with_name("manifest.yaml")


def test_manifest_matches_the_handlers() -> None:
    m = yaml.safe_load(MANIFEST.read_text())
    features, settings = m["features"], m["settings"]
    assert [c["command"] for c in features["slash_commands"]] == [slack_app.SLASH_COMMAND]
    assert [(s["type"], s["callback_id"]) for s in features["shortcuts"]] == [
        ("message", slack_app.CHECK_SHORTCUT_ID)
    ]
    assert features["app_home"]["home_tab_enabled"] is True
    assert features["app_home"]["messages_tab_enabled"] is True
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "app_mention",
        "message.im",
        "app_home_opened",
    }
    assert settings["interactivity"]["is_enabled"] is True
    urls = {
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
        features["slash_commands"][0]["url"],
    }
    assert len(urls) == 1 and urls.pop().endswith("/slack/events")
    scopes = set(m["oauth_config"]["scopes"]["bot"])
    assert {
        "app_mentions:read",
        "chat:write",
        "commands",
        "im:history",
        "im:read",
        "im:write",
    } <= scopes
    for s in features["shortcuts"]:
        assert len(s["description"]) <= 150
    assert len(m["display_information"]["description"]) <= 140
