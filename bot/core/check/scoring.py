"""Score check results against a gold file, the same way shared/eval/score.py does.

Used by the golden-set test and ``bench/check_eval.py``; pure functions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

MAX_QUOTE = 700


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s or "")
    for a, b in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"')):
        s = s.replace(a, b)
    s = re.sub(r"[*_`]", "", s)
    return re.sub(r"\s+", " ", s).strip().lower()


def grounded(gold: Sequence[str], row: dict[str, Any]) -> bool:
    g = [norm(x) for x in gold]
    cited = [
        norm(c.get("quote", ""))
        for f in row.get("findings", [])
        for c in f.get("citations", [])
        if len(c.get("quote", "")) <= MAX_QUOTE
    ]
    return any(x in q for q in cited for x in g)


def score_check(items: Sequence[dict[str, Any]], rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    flagged = ground = fp = 0
    pos = [i for i in items if i["flag"]]
    neg = [i for i in items if not i["flag"]]
    misses: list[str] = []
    for item, row in zip(items, rows, strict=True):
        verdict = row.get("verdict")
        if item["flag"]:
            if verdict in ("review", "violation"):
                flagged += 1
                if grounded(item["gold"], row):
                    ground += 1
                else:
                    misses.append(f"flagged, wrong clause: {item['text'][:70]}")
            else:
                misses.append(f"missed: {item['text'][:70]}")
        elif verdict != "ok":
            fp += 1
            misses.append(f"false alarm ({verdict}): {item['text'][:70]}")
    return {
        "drafts": len(items),
        "flag_recall": round(flagged / max(len(pos), 1), 3),
        "grounded_recall": round(ground / max(len(pos), 1), 3),
        "false_alarm_rate": round(fp / max(len(neg), 1), 3),
        "misses": misses,
    }
