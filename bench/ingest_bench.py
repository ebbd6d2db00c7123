"""Ingest throughput against the model's raw embedding throughput on the same texts."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from bench.stats import dir_size_mb
from bot.app import Runtime, build_runtime, ingest
from bot.core.ports import Embedder
from bot.settings import Settings
from ingest.pipeline import segment_file


def clause_texts(rt: Runtime) -> list[str]:
    texts: list[str] = []
    for meta in rt.manifest.documents():
        doc, _ = segment_file(meta)
        # Every text ingest embeds: each clause's views (in context, alone).
        texts += [t for c in doc.clauses for t in c.embedding_views()]
    return texts


def raw_embedding(embedder: Embedder, texts: list[str]) -> dict[str, Any]:
    embedder.embed_documents(texts[:64])  # warm-up
    t0, c0 = time.perf_counter(), time.process_time()
    embedder.embed_documents(texts)
    s, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "texts": len(texts),
        "seconds": round(s, 3),
        "per_s": round(len(texts) / s, 1),
        "cpu_s": round(cpu, 3),
        "per_cpu_s": round(len(texts) / cpu, 1),
    }


def ingest_run(settings: Settings, embedder: Embedder) -> tuple[Runtime, dict[str, Any]]:
    """Fresh index: full ingest, then an unchanged re-ingest (must embed nothing)."""
    rt = build_runtime(settings, embedder=embedder)
    t0, c0 = time.perf_counter(), time.process_time()
    first = ingest(rt)
    first_s, first_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    again = ingest(rt)
    again_s = time.perf_counter() - t0
    texts = clause_texts(rt)
    per_clause = len(texts) / max(first.clauses_total, 1)  # views embedded per clause
    raw = raw_embedding(embedder, texts)
    per_s = first.clauses_total / first_s
    chroma_dir = settings.chroma_dir
    return rt, {
        "documents": len(first.added),
        "clauses": first.clauses_total,
        "seconds": round(first_s, 3),
        "clauses_per_s": round(per_s, 1),
        "raw_embedding": raw,
        "texts_per_clause": round(per_clause, 2),
        # Texts per second, like for like: ingest embeds every view of every clause.
        "ingest_vs_raw": round(per_s * per_clause / raw["per_s"], 3),
        # CPU seconds are far less disturbed than wall time when others share the cores.
        "cpu_s": round(first_cpu, 3),
        "ingest_vs_raw_cpu": round(
            (first.clauses_total * per_clause / first_cpu) / raw["per_cpu_s"], 3
        ),
        "reingest_unchanged_s": round(again_s, 3),
        "reingest_embedded": again.clauses_embedded,
        "index_mb": dir_size_mb(chroma_dir) if Path(chroma_dir).exists() else None,
    }
