"""After a policy is re-ingested, draft checks quote the new text, not a cached old one."""

from __future__ import annotations

from pathlib import Path

from bot.core.check import build_checker
from bot.core.models import CheckVerdict
from bot.core.ports import Embedder
from bot.core.retrieval import HybridRetriever
from bot.stores.memory_store import MemoryClauseStore
from ingest.manifest import load_manifest
from ingest.pipeline import run_ingest

DRAFT = "Proud of my foster kid Jaylen, 15, who finally got into Lincoln High!"


def test_checks_quote_the_re_ingested_policy_text(knowledge: Path, embedder: Embedder) -> None:
    store = MemoryClauseStore()
    manifest = load_manifest(knowledge)
    run_ingest(manifest, store, embedder)
    retriever = HybridRetriever(store, embedder, refresh_seconds=0)
    checker = build_checker(retriever, version=retriever.version)
    checker.warm_up(["ct-dcf"])  # fills the citation cache, as `serve` does at start

    before = checker.check(DRAFT, "ct-dcf")
    assert before.verdict is not CheckVerdict.OK
    quoted = {c.clause.text for f in before.findings for c in f.citations}
    assert quoted
    old = sorted(quoted, key=len)[-1]
    policy = next((knowledge / "policies").glob("ct-dcf-*.txt"))
    revised = old.rstrip(".") + ", as revised in 2026."
    assert old in policy.read_text(encoding="utf-8")
    policy.write_text(policy.read_text(encoding="utf-8").replace(old, revised), encoding="utf-8")
    run_ingest(manifest, store, embedder)

    after = checker.check(DRAFT, "ct-dcf")
    quoted_after = {c.clause.text for f in after.findings for c in f.citations}
    assert old not in quoted_after
    assert all(q in policy.read_text(encoding="utf-8") for q in quoted_after)
