"""Score the draft checker on a gold file the way score.py does, in-process.

    python -m bench.check_eval FILE [--presidio] [--lexical] [--agency]

Prints flag recall, grounded recall, false-alarm rate and the misses.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.check import build_checker  # noqa: E402
from bot.core.check.ports import ClauseSearch, PiiDetector  # noqa: E402
from bot.core.check.scoring import score_check  # noqa: E402


def _search(lexical: bool) -> ClauseSearch:
    if lexical:
        from tests.check.lexical import LexicalSearch

        return LexicalSearch(ROOT / "knowledge" / "policies")
    # The retriever the product uses (hybrid, real MiniLM), over an in-memory index.
    from bot.app import build_runtime
    from bot.embedding import SentenceEmbedder
    from bot.settings import Settings
    from bot.stores.memory_store import MemoryClauseStore
    from ingest.pipeline import run_ingest

    rt = build_runtime(
        Settings(knowledge_dir=ROOT / "knowledge"),
        embedder=SentenceEmbedder(),
        store=MemoryClauseStore(),
    )
    run_ingest(rt.manifest, rt.store, rt.embedder)
    return rt.retriever


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold")
    ap.add_argument("--presidio", action="store_true")
    ap.add_argument("--lexical", action="store_true")
    ap.add_argument("--agency", action="store_true", help="pass each item's agency")
    a = ap.parse_args()
    pii: PiiDetector | None = None
    if a.presidio:
        from bot.nlp.presidio import PresidioPii

        pii = PresidioPii.create()
    checker = build_checker(_search(a.lexical), pii)
    lines = Path(a.gold).read_text(encoding="utf-8").splitlines()
    items = [json.loads(x) for x in lines if x.strip()]
    t = time.perf_counter()
    rows: list[dict[str, Any]] = [
        checker.check(i["text"], i.get("agency") if a.agency else None).to_json() for i in items
    ]
    report = score_check(items, rows)
    report["seconds"] = round(time.perf_counter() - t, 2)
    for m in report.pop("misses"):
        print("  " + m)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
