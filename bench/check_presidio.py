"""Presidio alone vs our recognizers vs both, on the golden draft set.

    python -m bench.check_presidio [FILE]

"presidio alone" flags a draft when presidio finds any PERSON, LOCATION,
PHONE_NUMBER, US_SSN, DATE_TIME or EMAIL_ADDRESS entity (score >= 0.4).
Prints flag recall / false-alarm rate per variant, load time and per-draft time.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.check import build_checker  # noqa: E402
from tests.check.lexical import LexicalSearch  # noqa: E402


def _rates(items: list[dict], flags: list[bool]) -> dict[str, float]:
    pos = [f for i, f in zip(items, flags, strict=True) if i["flag"]]
    neg = [f for i, f in zip(items, flags, strict=True) if not i["flag"]]
    return {
        "flag_recall": round(sum(pos) / max(len(pos), 1), 3),
        "false_alarm_rate": round(sum(neg) / max(len(neg), 1), 3),
    }


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "tests/golden/drafts.jsonl")
    items = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    t = time.perf_counter()
    from bot.nlp.presidio import PresidioPii

    pii = PresidioPii.create()
    load = time.perf_counter() - t
    search = LexicalSearch(ROOT / "knowledge" / "policies")
    t = time.perf_counter()
    alone = [bool(pii.detect(i["text"])) for i in items]
    per_presidio = (time.perf_counter() - t) / len(items)
    ours = build_checker(search)
    both = build_checker(search, pii)
    t = time.perf_counter()
    own = [ours.check(i["text"], i.get("agency")).verdict.value != "ok" for i in items]
    per_own = (time.perf_counter() - t) / len(items)
    comb = [both.check(i["text"], i.get("agency")).verdict.value != "ok" for i in items]
    print(
        json.dumps(
            {
                "drafts": len(items),
                "presidio_alone": _rates(items, alone),
                "recognizers": _rates(items, own),
                "combined": _rates(items, comb),
                "presidio_load_s": round(load, 2),
                "presidio_ms_per_draft": round(per_presidio * 1000, 1),
                "recognizers_ms_per_draft": round(per_own * 1000, 2),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
