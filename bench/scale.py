"""`make bench-scale`: the synthetic corpus (default 1,000 documents, ~62,000
clauses) ingested into embedded Chroma, then served from a `chroma run` server.

Reports ingest throughput, index size, RSS, the in-memory BM25 build, warm ask
p95 (embedded and over Chroma's HTTP server), and an incremental re-ingest
after one document changes (only its changed clauses may be embedded).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench.stats import OUT, dir_size_mb, offline_env, self_peak_rss_mb

offline_env()

if True:  # after the offline environment is set
    from bench import latency, synth
    from bot.app import Runtime, build_runtime, ingest
    from bot.core.ports import Embedder, Vectors
    from bot.embedding import SentenceEmbedder
    from bot.settings import Settings
    from bot.stores.chroma_store import ChromaClauseStore
    from tests.chroma_server import ChromaServer


def _rss_now_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def _ask_p95(rt: Runtime) -> dict[str, Any]:
    return latency.warm_ask(rt, rounds=1)["latency_ms"]


def _copy_index(src: ChromaClauseStore, dest: ChromaClauseStore) -> float:
    """Move stored vectors to the server store (no re-embedding)."""
    t0 = time.perf_counter()
    hashes = src.document_hashes()
    by_policy: dict[str, list[Any]] = {}
    for c in src.clauses():
        by_policy.setdefault(c.policy_id, []).append(c)
    for pid, clauses in by_policy.items():
        vecs = src.embeddings_for([c.id for c in clauses])
        dest.replace_document(pid, clauses, np.stack([vecs[c.id] for c in clauses]), hashes[pid])
    return time.perf_counter() - t0


class RandomClauseVectors:
    """Real query vectors, seeded random unit vectors for clauses: measures latency at
    scale when embedding 60,000 clauses is not affordable (answers are meaningless)."""

    def __init__(self, real: Embedder) -> None:
        self._real = real

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        rng = np.random.default_rng(len(texts))
        v = rng.standard_normal((len(texts), 384)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    def embed_query(self, text: str) -> Vectors:
        return self._real.embed_query(text)

    @property
    def fingerprint(self) -> str:
        return f"random-clauses+{self._real.fingerprint}"

    def clear_query_cache(self) -> None:
        getattr(self._real, "clear_query_cache", lambda: None)()


def run(docs: int, work: Path, embedder: Embedder) -> dict[str, Any]:
    r: dict[str, Any] = {"documents_requested": docs}
    knowledge = synth.generate(work / "knowledge", docs)
    data = work / "data"
    settings = Settings(
        data_dir=data, knowledge_dir=knowledge, chroma_url=None, agency=None, llm_provider=None
    )
    rt = build_runtime(settings, embedder=embedder)
    rss0 = _rss_now_mb()
    t0 = time.perf_counter()
    rep = ingest(rt)
    s = time.perf_counter() - t0
    r["ingest"] = {
        "documents": len(rep.added),
        "clauses": rep.clauses_total,
        "seconds": round(s, 1),
        "clauses_per_s": round(rep.clauses_total / s, 1),
        "index_mb": dir_size_mb(settings.chroma_dir),
        "rss_before_mb": rss0,
        "rss_after_mb": _rss_now_mb(),
    }
    print(f"ingested {rep.clauses_total} clauses in {s:.0f} s", flush=True)
    rss1 = _rss_now_mb()
    t0 = time.perf_counter()
    rt.retriever.idf("post")  # builds the in-memory lexical (BM25) index
    r["bm25_build"] = {
        "seconds": round(time.perf_counter() - t0, 2),
        "rss_growth_mb": round(_rss_now_mb() - rss1, 1),
    }
    r["ask_embedded_ms"] = _ask_p95(rt)
    # Incremental: one document edited in the large corpus.
    target = next(d for d in rt.manifest.documents() if d.policy_id.endswith("ct-dcf-12-15"))
    old = target.path.read_text()
    target.path.write_text(
        old.replace(
            "staff may not discuss",
            "staff may not livestream home visits. Staff may not discuss",
            1,
        )
    )
    t0 = time.perf_counter()
    again = ingest(rt)
    r["incremental_one_doc"] = {
        "seconds": round(time.perf_counter() - t0, 2),
        "updated": again.updated,
        "clauses_embedded": again.clauses_embedded,
        "clauses_total": again.clauses_total,
    }
    server = ChromaServer(work / "chroma-server")
    server.start()
    try:
        remote = ChromaClauseStore.http(server.url)
        assert isinstance(rt.store, ChromaClauseStore)
        r["copy_to_server_s"] = round(_copy_index(rt.store, remote), 1)
        srt = build_runtime(settings, embedder=embedder, store=remote)
        r["ask_server_ms"] = _ask_p95(srt)
        r["server_index_mb"] = dir_size_mb(work / "chroma-server")
    finally:
        server.stop()
    r["peak_rss_mb"] = self_peak_rss_mb()
    return r


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.scale")
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--out", type=Path, default=OUT / "scale.json")
    ap.add_argument(
        "--random-clause-vectors",
        action="store_true",
        help="latency only: random clause vectors instead of embedding every clause",
    )
    args = ap.parse_args(argv)
    embedder: Embedder = SentenceEmbedder()
    if args.random_clause_vectors:
        embedder = RandomClauseVectors(embedder)
    with tempfile.TemporaryDirectory(prefix="policybot-scale-") as tmp:
        r = run(args.docs, Path(tmp), embedder)
    r["random_clause_vectors"] = args.random_clause_vectors
    baseline = OUT / "results.json"
    if baseline.exists():
        small = json.loads(baseline.read_text())["ask"]["latency_ms"]["p95"]
        r["ask_p95_vs_bundled"] = round(r["ask_embedded_ms"]["p95"] / small, 2)
    print(json.dumps(r, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(r, indent=2))
    print(f"wrote {args.out}")
    if args.random_clause_vectors:
        print("(random clause vectors: ingest throughput and answers are not meaningful)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
