"""Test session setup: offline, loopback-only networking, and shared real parts.

The expensive real parts (the embedding model, an ingested Chroma index) are
built once per session and shared; tests that mutate an index make their own.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_loopback(address: Any) -> bool:
    if not isinstance(address, tuple):
        return True  # AF_UNIX paths and the like never leave the machine
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: Any) -> None:
    if not _is_loopback(address):
        raise RuntimeError(f"tests are offline: refused connection to {address!r}")
    _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    if not _is_loopback(address):
        raise RuntimeError(f"tests are offline: refused connection to {address!r}")
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True, scope="session")
def _block_network() -> Iterator[None]:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _real_connect_ex  # type: ignore[method-assign]


# --- shared real parts -------------------------------------------------------
# One embedding model and one ingested Chroma index per test session; tests
# that change an index build their own store (see tests/ingest).

if True:  # keep imports of heavy parts below the network guard definitions
    from collections.abc import Sequence

    import numpy as np

    from bot.app import Runtime, build_runtime, ingest
    from bot.core.assistant import Assistant
    from bot.core.ports import Embedder, Vectors, WordEncoder, WordVectors
    from bot.core.retrieval import HybridRetriever
    from bot.settings import Settings


def make_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Settings for tests: only what is passed, never the machine's Slack/Teams env."""
    values: dict[str, Any] = {"data_dir": data_dir, "knowledge_dir": KNOWLEDGE}
    values.update(overrides)
    return Settings.model_construct(**{**Settings().model_dump(), **_blank_platforms(), **values})


def _blank_platforms() -> dict[str, Any]:
    return {
        "slack_bot_token": None,
        "slack_signing_secret": None,
        "slack_app_token": None,
        "slack_api_url": None,
        "microsoft_app_id": None,
        "microsoft_app_password": None,
        "microsoft_app_tenant_id": None,
        "microsoft_app_type": None,
        "teams_dev_no_auth": False,
        "chroma_url": None,
        "agency": None,
        "llm_provider": None,
    }


class MemoEmbedder:
    """The real model, remembering the vectors of texts it has already embedded.

    Many tests ingest the same bundled corpus (embedded and server Chroma); the
    vectors are the model's own, computed once per session instead of per test.
    """

    def __init__(self, inner: Embedder) -> None:
        self._inner = inner
        self._memo: dict[str, Any] = {}

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        todo = list(dict.fromkeys(t for t in texts if t not in self._memo))
        if todo:
            for text, row in zip(todo, self._inner.embed_documents(todo), strict=True):
                self._memo[text] = row
        if not texts:
            return self._inner.embed_documents([])
        return np.stack([self._memo[t] for t in texts]).astype(np.float32)

    def embed_query(self, text: str) -> Vectors:
        return self._inner.embed_query(text)

    @property
    def fingerprint(self) -> str:
        return self._inner.fingerprint

    # The product's reranker asks for word vectors; pass them through so every
    # test answers exactly as `policybot` does.
    def word_vectors(self, texts: Sequence[str]) -> list[WordVectors]:
        return cast(WordEncoder, self._inner).word_vectors(texts)

    def query_word_vectors(self, text: str) -> WordVectors:
        return cast(WordEncoder, self._inner).query_word_vectors(text)


class CountingEmbedder:
    """The real model, counting the texts it embeds; under another model's fingerprint
    when given one (as after `policybot tune`)."""

    def __init__(self, inner: Embedder, fingerprint: str | None = None) -> None:
        self.inner = inner
        self.texts = 0
        self._fingerprint = fingerprint

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        self.texts += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> Vectors:
        return self.inner.embed_query(text)

    @property
    def fingerprint(self) -> str:
        return self._fingerprint or self.inner.fingerprint


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    from bot.embedding import SentenceEmbedder

    return MemoEmbedder(SentenceEmbedder())


@pytest.fixture(scope="session")
def indexed_data_dir(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Path:
    """A data dir whose embedded Chroma holds the bundled policies."""
    data_dir = tmp_path_factory.mktemp("policybot-data")
    rt = build_runtime(make_settings(data_dir), embedder=embedder)
    report = ingest(rt)
    assert report.ok and report.clauses_total > 200
    return data_dir


@pytest.fixture(scope="session")
def runtime(indexed_data_dir: Path, embedder: Embedder) -> Runtime:
    return build_runtime(make_settings(indexed_data_dir), embedder=embedder)


@pytest.fixture(scope="session")
def assistant(runtime: Runtime) -> Assistant:
    """The real assistant: real model, real Chroma, bundled policies ingested."""
    return runtime.assistant


@pytest.fixture(scope="session")
def retriever(runtime: Runtime) -> HybridRetriever:
    return runtime.retriever


# --- Chroma server mode ------------------------------------------------------
# One real `chroma run` process per session; store-backed tests run against it
# as well as against the embedded default (each test in its own collection).

if True:
    import uuid
    from collections.abc import Callable

    from bot.stores.chroma_store import ChromaClauseStore
    from tests.chroma_server import ChromaServer


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    """A copy of the bundled policies and manifest (without the tour) a test may edit."""
    dest = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, dest, ignore=shutil.ignore_patterns("onboarding"))
    return dest


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server") / "db")
    server.start()
    yield server
    server.stop()


StoreFactory = Callable[[], ChromaClauseStore]


@pytest.fixture(params=["embedded", "server"])
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> StoreFactory:
    """Opens this test's Chroma index; each call is a fresh client on the same index."""
    if request.param == "embedded":
        return lambda: ChromaClauseStore.persistent(tmp_path / "chroma")
    server: ChromaServer = request.getfixturevalue("chroma_server")
    collection = f"test_{uuid.uuid4().hex[:12]}"
    return lambda: ChromaClauseStore.http(server.url, collection)
