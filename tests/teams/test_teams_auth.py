"""Bot Framework authentication on POST /api/messages, and refusing unsafe configurations."""

from __future__ import annotations

import logging
from pathlib import Path

import jwt
import pytest

from bot.core.assistant import Assistant
from bot.server import ServerConfigError, build_web_app
from bot.teams.http import TeamsConfigError, auth_config
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams import activities as A
from tests.teams.conftest import ClientFactory, teams_settings

APP_ID = "6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b"
CREDENTIALS = {"microsoft_app_id": APP_ID, "microsoft_app_password": "s3cret-value"}


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer not-a-jwt",
        "Basic dXNlcjpwYXNz",
        # Well-formed; its signing keys cannot be fetched offline, so it fails closed.
        "Bearer "
        + jwt.encode(
            {"iss": "https://api.botframework.com", "aud": APP_ID, "serviceurl": "http://x"},
            "a-guessed-secret-that-is-32-bytes-long!!",
            algorithm="HS256",
        ),
    ],
)
async def test_request_without_a_valid_token_gets_401(
    make_client: ClientFactory,
    teams_assistant: Assistant,
    connector: FakeBotConnector,
    authorization: str | None,
) -> None:
    client = await make_client(teams_assistant, teams_dev_no_auth=False, **CREDENTIALS)
    headers = {"Authorization": authorization} if authorization else {}
    activity = A.personal_message("Can I post photos of youth?", connector.url)
    resp = await client.post("/api/messages", json=activity, headers=headers)
    assert resp.status == 401
    assert connector.calls == []  # nothing was answered


async def test_dev_flag_without_app_id_works_without_a_token(
    make_client: ClientFactory,
    teams_assistant: Assistant,
    connector: FakeBotConnector,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        client = await make_client(teams_assistant, teams_dev_no_auth=True)
    assert any(
        r.levelno == logging.WARNING and "NOT authenticated" in r.getMessage()
        for r in caplog.records
    )
    resp = await client.post(
        "/api/messages",
        json=A.personal_message("Can I post photos of youth?", connector.url, expect_replies=True),
    )
    assert resp.status == 200
    body = await resp.json()
    assert any(a["type"] == "message" for a in body["activities"])


def test_no_app_id_and_no_dev_flag_refuses_to_start(
    tmp_path: Path, teams_assistant: Assistant
) -> None:
    settings = teams_settings(tmp_path, teams_dev_no_auth=False)
    with pytest.raises(ServerConfigError, match="MICROSOFT_APP_ID"):
        build_web_app(settings, teams_assistant)
    # Asked directly, Teams names both ways out.
    with pytest.raises(TeamsConfigError, match="POLICYBOT_TEAMS_DEV_NO_AUTH=1"):
        auth_config(settings)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"teams_dev_no_auth": True, "microsoft_app_id": APP_ID}, "cannot be combined"),
        ({"teams_dev_no_auth": True, "microsoft_app_password": "pw"}, "cannot be combined"),
        ({"teams_dev_no_auth": False, "microsoft_app_id": APP_ID}, "MICROSOFT_APP_PASSWORD"),
        (
            {**CREDENTIALS, "teams_dev_no_auth": False, "microsoft_app_type": "SingleTenant"},
            "MICROSOFT_APP_TENANT_ID",
        ),
        (
            {**CREDENTIALS, "teams_dev_no_auth": False, "microsoft_app_type": "Weird"},
            "not supported",
        ),
    ],
)
def test_unsafe_or_incomplete_configuration_is_refused(
    tmp_path: Path, teams_assistant: Assistant, overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(TeamsConfigError, match=message):
        build_web_app(teams_settings(tmp_path, **overrides), teams_assistant)


def test_single_tenant_and_government_cloud_reach_the_sdk_config(tmp_path: Path) -> None:
    config = auth_config(
        teams_settings(
            tmp_path,
            **CREDENTIALS,
            teams_dev_no_auth=False,
            microsoft_app_type="singletenant",
            microsoft_app_tenant_id="tenant-guid",
            microsoft_channel_service="https://botframework.azure.us",
        )
    )
    assert (config.APP_ID, config.APP_TYPE, config.APP_TENANTID) == (
        APP_ID,
        "SingleTenant",
        "tenant-guid",
    )
    assert config.APP_PASSWORD == "s3cret-value"
    assert config.CHANNEL_SERVICE == "https://botframework.azure.us"
