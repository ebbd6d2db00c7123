"""POLICYBOT_CHROMA_URL: the same bundled corpus ingested into a `chroma run`
server answers every golden question exactly as the embedded index does (same
clauses, same verdicts), so the golden floors hold in server mode too."""

from __future__ import annotations

import uuid

import pytest

from bot.app import Runtime, build_runtime, ingest
from bot.core.assistant import Assistant
from bot.core.ports import Embedder
from bot.evaluation import read_jsonl
from bot.stores.chroma_store import ChromaClauseStore
from tests.chroma_server import ChromaServer
from tests.conftest import make_settings
from tests.test_golden_questions import GOLDEN


@pytest.fixture(scope="module")
def server_runtime(
    chroma_server: ChromaServer, tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
) -> Runtime:
    settings = make_settings(
        tmp_path_factory.mktemp("server-mode"),
        chroma_url=chroma_server.url,
        chroma_collection=f"golden_{uuid.uuid4().hex[:8]}",
    )
    rt = build_runtime(settings, embedder=embedder)
    report = ingest(rt)
    assert report.ok and report.clauses_total > 200
    return rt


def test_settings_url_selects_the_http_store(server_runtime: Runtime) -> None:
    assert isinstance(server_runtime.store, ChromaClauseStore)
    assert not (server_runtime.settings.data_dir / "chroma").exists()  # nothing embedded
    server_runtime.assistant.health()


def test_server_answers_match_embedded_on_golden_questions(
    server_runtime: Runtime, assistant: Assistant
) -> None:
    items = read_jsonl(GOLDEN)
    for item in items:
        q, agency = item["question"], item.get("agency")
        got, want = server_runtime.assistant.ask(q, agency), assistant.ask(q, agency)
        # Same clauses, same verdicts; similarity scores may differ in the last digits.
        assert [c.clause.id for c in got.citations] == [c.clause.id for c in want.citations], q
        assert [(v.agency_id, v.verdict) for v in got.verdicts] == [
            (v.agency_id, v.verdict) for v in want.verdicts
        ], q
        assert got.covered == want.covered, q
