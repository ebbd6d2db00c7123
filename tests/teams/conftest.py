"""Teams test parts: the real server app with the real CloudAdapter, a fake Bot Connector."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.core.assistant import Assistant
from bot.core.models import AgencyInfo
from bot.server import build_web_app
from bot.settings import Settings
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.cores import RaisingCore

TEAMS_ENV = (
    "MICROSOFT_APP_ID",
    "MICROSOFT_APP_PASSWORD",
    "MICROSOFT_APP_TENANT_ID",
    "MICROSOFT_APP_TYPE",
    "MICROSOFT_CHANNEL_SERVICE",
    "POLICYBOT_TEAMS_DEV_NO_AUTH",
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in TEAMS_ENV:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"POLICYBOT_{name}", raising=False)


def teams_settings(data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"data_dir": data_dir, "teams_dev_no_auth": True}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
async def connector() -> AsyncIterator[FakeBotConnector]:
    fake = FakeBotConnector()
    await fake.start()
    yield fake
    await fake.close()


ClientFactory = Callable[..., Any]


@pytest.fixture
async def make_client(tmp_path: Path) -> AsyncIterator[ClientFactory]:
    """Start ``bot.server.build_web_app`` for given settings/assistant on a loopback port."""
    clients: list[TestClient[Any, Any]] = []

    async def factory(assistant: Assistant, **settings: Any) -> TestClient[Any, Any]:
        app = build_web_app(teams_settings(tmp_path / "data", **settings), assistant)
        client: TestClient[Any, Any] = TestClient(TestServer(app, host="127.0.0.1"))
        await client.start_server()
        clients.append(client)
        return client

    yield factory
    for client in clients:
        await client.close()


def raising_assistant(error: Exception) -> Assistant:
    core = RaisingCore(error)
    agencies = [AgencyInfo("ma-dys", "Massachusetts DYS", "MA DYS", ["ma-dys-01-05-22"])]
    return Assistant(core, core, agencies, lambda: None)


KNOWLEDGE_POLICIES = Path(__file__).resolve().parents[2] / "knowledge" / "policies"


def policy_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(KNOWLEDGE_POLICIES.glob("*.txt"))]


@pytest.fixture(scope="session")
def teams_assistant(assistant: Assistant) -> Assistant:
    """The real assistant (real model + Chroma) from tests/conftest.py."""
    return assistant
