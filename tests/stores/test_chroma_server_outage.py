"""Chroma server stopped while the bot serves: users are told, /healthz says 503,
and answers resume after Chroma comes back, without restarting the bot.

Real parts throughout: a `chroma run` process (stopped and restarted on the same
port and data path), the real server app and bolt, signed Slack events, the fake
Slack Web API.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import chromadb
import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.app import build_runtime, ingest
from bot.core.models import IndexUnavailable
from bot.core.ports import Embedder
from bot.server import build_web_app
from tests.chroma_server import ChromaServer
from tests.conftest import make_settings
from tests.fakes.slack_api import FakeSlackApi
from tests.slack import slack_payloads as p
from tests.slack.conftest import SECRET, SlackHarness

QUESTION = "A youth's mother sent me a friend request. Can I accept?"


@pytest.fixture
def chroma(tmp_path: Path) -> Iterator[ChromaServer]:
    server = ChromaServer(tmp_path / "chroma-server")
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlackApi]:
    fake = FakeSlackApi()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def served(
    chroma: ChromaServer, tmp_path: Path, embedder: Embedder, fake_slack: FakeSlackApi
) -> AsyncIterator[SlackHarness]:
    settings = make_settings(
        tmp_path / "data",
        chroma_url=chroma.url,
        slack_bot_token=SecretStr("xoxb-test-token"),
        slack_signing_secret=SecretStr(SECRET),
        slack_api_url=fake_slack.url.rstrip("/"),
    )
    rt = build_runtime(settings, embedder=embedder)
    assert ingest(rt).ok
    app = build_web_app(settings, rt.assistant)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield SlackHarness(client, fake_slack, settings)


async def _ask_by_dm(slack: SlackHarness) -> str:
    """DM the question; return the text of the one reply it gets."""
    before = len(slack.fake.calls_to("chat.postMessage"))
    resp = await slack.event(p.dm(QUESTION, ts=f"{time.time():.6f}"))
    assert resp.status == 200
    calls = await slack.fake.wait_for(
        lambda _: len(slack.fake.calls_to("chat.postMessage")) > before
    )
    replies = [c for c in calls if c.method == "chat.postMessage"][before:]
    assert len(replies) == 1
    return replies[0].dump()


async def test_chroma_outage_is_reported_and_answers_resume_after_restart(
    served: SlackHarness, chroma: ChromaServer
) -> None:
    slack = served
    health = await slack.client.get("/healthz")
    assert health.status == 200
    first = await _ask_by_dm(slack)
    assert _quotes(first) and IndexUnavailable.USER_MESSAGE not in first

    chroma.stop()
    health = await slack.client.get("/healthz")
    assert health.status == 503
    assert (await health.json())["status"] == "unavailable"
    during = await _ask_by_dm(slack)
    assert IndexUnavailable.USER_MESSAGE in during
    assert "friend request" not in during.lower()  # no stale or partial answer

    chroma.start()  # same port, same data path
    health = await slack.client.get("/healthz")
    assert health.status == 200
    after = await _ask_by_dm(slack)
    assert IndexUnavailable.USER_MESSAGE not in after
    assert _quotes(after) == _quotes(first)  # the same clauses as before the outage


def _quotes(dump: str) -> list[str]:
    return [line for line in dump.split("\\n") if line.startswith("> ")]


async def test_index_dropped_reads_unavailable_and_a_rebuilt_index_answers(
    served: SlackHarness, chroma: ChromaServer, embedder: Embedder, tmp_path: Path
) -> None:
    """Chroma up but the index gone (volume lost), then rebuilt by `policybot ingest`
    from another process: never "the policies are silent", and no bot restart."""
    slack = served
    first = await _ask_by_dm(slack)
    collection = slack.settings.chroma_collection
    admin = chromadb.HttpClient(host="127.0.0.1", port=chroma.port)
    admin.delete_collection(collection)
    admin.delete_collection(f"{collection}_documents")

    gone = await _ask_by_dm(slack)
    assert IndexUnavailable.USER_MESSAGE in gone
    assert "silent" not in gone
    assert (await slack.client.get("/healthz")).status == 503

    rebuilt = build_runtime(
        make_settings(tmp_path / "other", chroma_url=chroma.url, chroma_collection=collection),
        embedder=embedder,
    )
    assert ingest(rebuilt).ok
    assert (await slack.client.get("/healthz")).status == 200
    assert _quotes(await _ask_by_dm(slack)) == _quotes(first)
