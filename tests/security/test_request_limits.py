"""Oversize request bodies get 413 before parsing; secrets come from env or mounted files."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.core.assistant import Assistant
from bot.server import build_web_app
from bot.settings import SecretFileError, Settings
from tests.conftest import make_settings
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.conftest import SECRET

LIMIT = 64 * 1024


@pytest.fixture
async def client(
    tmp_path: Path, fake_slack: FakeSlackApi, assistant: Assistant
) -> AsyncIterator[TestClient]:
    settings = make_settings(
        tmp_path,
        slack_bot_token=SecretStr("xoxb-test-token"),
        slack_signing_secret=SecretStr(SECRET),
        slack_api_url=fake_slack.url,
        teams_dev_no_auth=True,
        max_request_bytes=LIMIT,
    )
    async with TestClient(TestServer(build_web_app(settings, assistant), host="127.0.0.1")) as c:
        yield c


@pytest.mark.parametrize("path", ["/slack/events", "/api/messages"])
async def test_oversize_body_is_refused_with_413_and_a_message(
    client: TestClient, fake_slack: FakeSlackApi, connector: FakeBotConnector, path: str
) -> None:
    body = b'{"text": "' + b"a" * (LIMIT + 10) + b'"}'
    resp = await client.post(path, data=body, headers={"Content-Type": "application/json"})
    assert resp.status == 413
    assert f"the limit is {LIMIT} bytes" in await resp.text()
    assert fake_slack.calls == [] and connector.calls == []
    # The server is still up and answers normal requests.
    assert (await client.get("/healthz")).status == 200


@pytest.mark.parametrize("path", ["/slack/events", "/api/messages"])
async def test_oversize_chunked_body_without_length_is_refused(
    client: TestClient, path: str
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(LIMIT // 4096 + 4):
            yield b"x" * 4096

    resp = await client.post(path, data=chunks(), headers={"Content-Type": "application/json"})
    assert resp.status == 413
    assert "Maximum request body size" in await resp.text()


# --- secrets from mounted files ------------------------------------------------------


def test_secrets_load_from_files_named_by_FILE_variables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "MICROSOFT_APP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"POLICYBOT_{name}", raising=False)
    token = tmp_path / "slack_token"
    token.write_text("xoxb-from-a-file\n", encoding="utf-8")
    password = tmp_path / "ms_password"
    password.write_text("pw-from-a-file", encoding="utf-8")
    monkeypatch.setenv("SLACK_BOT_TOKEN_FILE", str(token))
    monkeypatch.setenv("POLICYBOT_MICROSOFT_APP_PASSWORD_FILE", str(password))
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.slack_bot_token is not None
    assert settings.slack_bot_token.get_secret_value() == "xoxb-from-a-file"  # newline dropped
    assert settings.microsoft_app_password is not None
    assert settings.microsoft_app_password.get_secret_value() == "pw-from-a-file"
    # Secrets never show in the settings' repr (which ends up in tracebacks and logs).
    assert "from-a-file" not in repr(settings) and "from-a-file" not in str(settings)
    # The plain variable wins over the file.
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-env")
    again = Settings(_env_file=None)  # type: ignore[call-arg]
    assert again.slack_bot_token is not None
    assert again.slack_bot_token.get_secret_value() == "xoxb-from-env"


def test_unreadable_secret_file_names_the_variable_not_the_contents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLACK_SIGNING_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(SecretFileError, match=r"SLACK_SIGNING_SECRET_FILE=.*missing"):
        Settings(_env_file=None)  # type: ignore[call-arg]
