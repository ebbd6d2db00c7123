"""`make bench`: one run, one table, bench/out/results.json.

Everything runs against a fresh temporary index of the bundled corpus; the
subprocess parts (cold start, server) read their own copy of it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.stats import OUT, offline_env, pct, self_peak_rss_mb, table

offline_env()

if True:  # after the offline environment is set
    from bench import cold, ingest_bench, latency, server_bench
    from bot.embedding import SentenceEmbedder
    from bot.settings import Settings


def _settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, chroma_url=None, agency=None, llm_provider=None)


def _copy_data(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    return dest


def goals(r: dict[str, Any]) -> dict[str, dict[str, Any]]:
    ask95 = r["ask"]["latency_ms"]["p95"]
    floor95 = r["floor"]["latency_ms"]["p95"]
    check95 = r["check"]["le_280_chars_ms"]["p95"]
    out: dict[str, dict[str, Any]] = {
        "ask_p95_within_2.5x_floor": {
            "value": round(ask95 / floor95, 2),
            "goal": "<= 2.5",
            "met": ask95 <= 2.5 * floor95,
        },
        "check_p95_280_chars_ms": {"value": check95, "goal": "< 80", "met": check95 < 80},
        "ingest_vs_raw_embedding": {
            "value": r["ingest"]["ingest_vs_raw"],
            "goal": ">= 0.85",
            "met": r["ingest"]["ingest_vs_raw"] >= 0.85,
        },
        "ingest_vs_raw_embedding_cpu_time": {
            "value": r["ingest"]["ingest_vs_raw_cpu"],
            "goal": ">= 0.85",
            "met": r["ingest"]["ingest_vs_raw_cpu"] >= 0.85,
        },
    }
    burst = r.get("serve", {}).get("bursts", {}).get("50")
    if burst:
        p99 = burst["ack_ms"]["p99"]
        out["slack_ack_p99_at_50_ms"] = {"value": p99, "goal": "< 300", "met": p99 < 300}
    return out


def report(r: dict[str, Any]) -> str:
    ing = r["ingest"]
    parts = [
        table(
            "ingest (bundled corpus)",
            [
                ("documents / clauses", f"{ing['documents']} / {ing['clauses']}"),
                ("ingest", f"{ing['seconds']:.2f} s  ({ing['clauses_per_s']:.0f} clauses/s)"),
                ("raw embedding", f"{ing['raw_embedding']['per_s']:.0f} texts/s"),
                ("ingest / raw (wall)", f"{ing['ingest_vs_raw']:.0%}"),
                ("ingest / raw (CPU time)", f"{ing['ingest_vs_raw_cpu']:.0%}"),
                (
                    "re-ingest unchanged",
                    f"{ing['reingest_unchanged_s']:.2f} s, "
                    f"{ing['reingest_embedded']} clauses embedded",
                ),
                ("index on disk", f"{ing['index_mb']} MB"),
            ],
        ),
        table(
            "warm latency (in-process)",
            [
                ("ask", pct(r["ask"]["latency_ms"], "p50", "p95")),
                ("ask, CPU time", pct(r["ask"]["cpu_ms"], "p50", "p95")),
                ("floor: embed + search", pct(r["floor"]["latency_ms"], "p50", "p95")),
                ("floor, CPU time", pct(r["floor"]["cpu_ms"], "p50", "p95")),
                ("  of which embed", pct(r["floor"]["embed_only_ms"], "p50", "p95")),
                ("check (all drafts)", pct(r["check"]["latency_ms"], "p50", "p95")),
                ("check (<= 280 chars)", pct(r["check"]["le_280_chars_ms"], "p50", "p95")),
                ("check, CPU time", pct(r["check"]["cpu_ms"], "p50", "p95")),
                ("check repeated (cached)", pct(r["check"]["repeat_cached_ms"], "p50", "p95")),
            ],
        ),
    ]
    lc, pb = r["langchain"], r["policybot_quality"]
    parts.append(
        table(
            "golden questions: PolicyBot vs LangChain tutorial baseline",
            [
                ("PolicyBot hit@1 / hit@3", f"{pb['hit@1']:.3f} / {pb['hit@3']:.3f}"),
                ("PolicyBot ask", pct(r["ask"]["latency_ms"], "p50", "p95")),
                (
                    "tutorial hit@1 / hit@3",
                    f"{lc['hit@1']:.3f} / {lc['hit@3']:.3f}  "
                    f"({lc['chunks']} chunks of ~{lc['mean_chunk_chars']} chars)",
                ),
                ("tutorial search", pct(lc["latency_ms"], "p50", "p95")),
            ],
        )
    )
    if "cold" in r:
        c = r["cold"]
        parts.append(
            table(
                "cold start: policybot ask (fresh process)",
                [
                    ("start to answer", f"median {c['median_s']} s  runs {c['seconds']}"),
                    ("peak RSS", f"{c['peak_rss_mb']} MB"),
                ],
            )
        )
    if "serve" in r:
        s = r["serve"]
        rows = [("startup to healthy", f"{s['startup_to_healthy_s']} s")]
        for n, b in s["bursts"].items():
            rows.append(
                (
                    f"N={n}",
                    f"ack {pct(b['ack_ms'], 'p50', 'p99')} | answer "
                    f"{pct(b['answer_ms'], 'p50', 'p95')} | answered {b['answered']}/{n}, "
                    f"exactly once: {b['answered_exactly_once']}",
                )
            )
        parts.append(table("policybot serve + Slack (subprocess, signed events)", rows))
    parts.append(
        table(
            "goals",
            [
                (k, f"{v['value']} (goal {v['goal']}): {'met' if v['met'] else 'MISSED'}")
                for k, v in r["goals"].items()
            ],
        )
    )
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.run")
    ap.add_argument("--quick", action="store_true", help="skip the subprocess parts")
    ap.add_argument("--out", type=Path, default=OUT / "results.json")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    r: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "loadavg_at_start": os.getloadavg(),
        },
    }
    with tempfile.TemporaryDirectory(prefix="policybot-bench-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        embedder = SentenceEmbedder()
        r["model_load_s"] = round(time.perf_counter() - t0, 2)
        data = work / "data"
        rt, r["ingest"] = ingest_bench.ingest_run(_settings(data), embedder)
        print("ingest done", flush=True)
        r["ask"], r["floor"] = latency.ask_and_floor(rt)
        r["check"] = latency.warm_check(rt)
        r["policybot_quality"] = latency.policybot_quality(rt)
        r["langchain"] = latency.langchain_baseline(rt, work)
        print("in-process latency done", flush=True)
        if not args.quick:
            # The cold-start process never talks to Slack.
            env = server_bench.server_env(
                _copy_data(data, work / "cold"), "http://127.0.0.1:9/api/", None
            )
            r["cold"] = cold.cold_ask(env)
            print("cold start done", flush=True)
            r["serve"] = server_bench.serve_bench(_copy_data(data, work / "serve"))
        r["bench_process_peak_rss_mb"] = self_peak_rss_mb()
    r["goals"] = goals(r)
    r["machine"]["loadavg_at_end"] = os.getloadavg()
    r["wall_s"] = round(time.perf_counter() - started, 1)
    print(report(r))
    print(
        f"\nwall {r['wall_s']} s; load average at start/end "
        f"{r['machine']['loadavg_at_start']} / {r['machine']['loadavg_at_end']}"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(r, indent=2))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
