"""Where warm `ask` time goes: cProfile over the golden questions on a fresh
index of the bundled corpus (for the retrieval/answer owners).

    python -m bench.profile_ask [--top 25]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
from pathlib import Path

from bench.stats import offline_env

offline_env()

if True:  # after the offline environment is set
    from bench import latency
    from bot.app import build_runtime, ingest
    from bot.embedding import SentenceEmbedder
    from bot.settings import Settings


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.profile_ask")
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="policybot-profile-") as tmp:
        settings = Settings(data_dir=Path(tmp), chroma_url=None, agency=None, llm_provider=None)
        rt = build_runtime(settings, embedder=SentenceEmbedder())
        ingest(rt)
        items = latency.golden_questions()
        for it in items[:10]:
            rt.assistant.ask(it["question"], it.get("agency"))
        prof = cProfile.Profile()
        prof.enable()
        for it in items:
            rt.assistant.ask(it["question"], it.get("agency"))
        prof.disable()
    stats = pstats.Stats(prof).sort_stats("cumulative")
    stats.print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
