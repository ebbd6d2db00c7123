"""The retriever's in-memory lexical side at scale, without embedding anything:
build the BM25 index over the synthetic corpus's clauses and time the per-query
work `HybridRetriever.retrieve` does over all clauses (BM25 scores, the agency
mask, the top-k sort, the id -> position map it builds per query), and finding
the tuning files' precedents' clauses and the rare names in capitals
(bot.core.cues.rare_names), which the retriever does at each index change.

    python -m bench.lexical_scale [--docs 1000]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.stats import OUT, ROOT, ms, offline_env

offline_env()

if True:  # after the offline environment is set
    from bench import latency, synth
    from bench.scale import _rss_now_mb
    from bot.core.bm25 import BM25
    from bot.core.cues import rare_names
    from bot.core.lexicon import Lexicon
    from bot.core.models import Clause
    from bot.core.precedents import answering
    from bot.core.retrieval import LEXICAL_POOL, _term_weights
    from bot.core.text import tokens
    from bot.evaluation import read_jsonl
    from bot.precedent_files import precedents_from
    from ingest.manifest import load_manifest
    from ingest.pipeline import segment_file


def run(docs: int, work: Path) -> dict[str, Any]:
    knowledge = synth.generate(work / "knowledge", docs)
    t0 = time.perf_counter()
    clauses: list[Clause] = []
    for meta in load_manifest(knowledge).documents():
        clauses += segment_file(meta)[0].clauses
    segment_s = time.perf_counter() - t0
    rss0 = _rss_now_mb()
    t0 = time.perf_counter()
    weights = [_term_weights(c) for c in clauses]
    bm25 = BM25(weights)
    terms = [frozenset(d) for d in weights]
    build_s = time.perf_counter() - t0
    rss1 = _rss_now_mb()
    del terms
    tuning = sorted((ROOT / "tests" / "golden").glob("questions*.jsonl"))
    precedents = precedents_from((f.name, item) for f in tuning for item in read_jsonl(f))
    t0 = time.perf_counter()
    found = answering(precedents, clauses)
    precedents_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    names = rare_names(clauses)
    names_s = time.perf_counter() - t0
    lexicon = Lexicon()
    parts: dict[str, list[float]] = {"bm25": [], "mask": [], "topk": [], "id_map": []}
    for it in latency.golden_questions():
        q = tokens(it["question"])
        w = dict.fromkeys(q, 1.0)
        for t in lexicon.expand(q):
            w.setdefault(t, 0.8)
        t0 = time.perf_counter()
        lex = bm25.scores(w)
        t1 = time.perf_counter()
        if it.get("agency"):
            mask = np.array([c.agency_id == it["agency"] for c in clauses], dtype=bool)
            lex = np.where(mask, lex, 0.0)
        t2 = time.perf_counter()
        np.argsort(-lex)[:LEXICAL_POOL]
        t3 = time.perf_counter()
        {c.id: i for i, c in enumerate(clauses)}
        t4 = time.perf_counter()
        parts["bm25"].append(t1 - t0)
        if it.get("agency"):
            parts["mask"].append(t2 - t1)
        parts["topk"].append(t3 - t2)
        parts["id_map"].append(t4 - t3)
    return {
        "documents": docs,
        "clauses": len(clauses),
        "segment_s": round(segment_s, 1),
        "bm25_build_s": round(build_s, 2),
        "bm25_rss_growth_mb": round(rss1 - rss0, 1),
        "precedents": len(precedents),
        "precedents_found": sum(map(bool, found)),
        "precedents_s": round(precedents_s, 2),
        "rare_names": len(names),
        "rare_names_s": round(names_s, 2),
        "per_query_ms": {k: ms(v) for k, v in parts.items()},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.lexical_scale")
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--out", type=Path, default=OUT / "lexical_scale.json")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="policybot-lexical-") as tmp:
        r = run(args.docs, Path(tmp))
    print(json.dumps(r, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(r, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
