"""Cold start: `policybot ask` as a fresh process, start to answer, and its peak RSS."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

QUESTION = "May I friend a foster parent on Facebook?"


def policybot_cmd() -> list[str]:
    """`policybot` from this checkout (the venv's console script may point at another)."""
    return [sys.executable, "-m", "bot.cli.main"]


def checkout_env(env: dict[str, str]) -> dict[str, str]:
    root = str(Path(__file__).resolve().parent.parent)
    return {**env, "PYTHONPATH": root + os.pathsep + env.get("PYTHONPATH", "")}


def cold_ask(env: dict[str, str], runs: int = 3) -> dict[str, Any]:
    walls: list[float] = []
    rss: list[float] = []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [*policybot_cmd(), "ask", QUESTION, "--json"],
            env=checkout_env(env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        # wait4 gives this child's own rusage (peak RSS in KiB on Linux).
        _, status, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - t0)
        out = proc.stdout.read() if proc.stdout else b""
        if os.waitstatus_to_exitcode(status) != 0 or b'"citations"' not in out:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise RuntimeError(f"policybot ask failed: {err[-2000:]}")
        rss.append(usage.ru_maxrss / 1024)
    return {
        "runs": runs,
        "seconds": [round(w, 2) for w in walls],
        "median_s": round(sorted(walls)[len(walls) // 2], 2),
        "peak_rss_mb": round(max(rss), 1),
    }
