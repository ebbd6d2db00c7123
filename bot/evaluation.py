"""Scoring golden sets: the same numbers for `policybot eval` and the tests.

A gold phrase is found when it is a substring of a cited quote (case, white
space and curly quotes folded), as in the shared scorer.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core.assistant import Assistant
from bot.core.check.scoring import norm, score_check


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def first_hit(gold: Iterable[str], quotes: list[str]) -> int | None:
    g = [norm(x) for x in gold]
    for rank, q in enumerate(quotes, 1):
        if any(x in norm(q) for x in g):
            return rank
    return None


@dataclass
class AskScore:
    questions: int = 0
    answerable: int = 0  # the questions hit@k is over: those with a gold clause
    hit1: float = 0.0
    hit3: float = 0.0
    mrr: float = 0.0
    coverage_accuracy: float = 0.0
    mean_quote_chars: float = 0.0
    misses: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "questions": self.questions,
            "hit@1": round(self.hit1, 3),
            "hit@3": round(self.hit3, 3),
            "mrr@10": round(self.mrr, 3),
            "coverage_accuracy": round(self.coverage_accuracy, 3),
            "mean_quote_chars": round(self.mean_quote_chars),
        }


def score_questions(assistant: Assistant, items: list[dict[str, Any]]) -> AskScore:
    s = AskScore(questions=len(items))
    covered_n = cov_ok = 0
    lens: list[int] = []
    for item in items:
        ans = assistant.ask(item["question"], item.get("agency"))
        expect = bool(item.get("covered", True))
        cov_ok += ans.covered == expect
        quotes = [c.clause.text for c in ans.citations]
        lens += [len(q) for q in quotes[:5]]
        if not expect:
            if ans.covered:
                s.misses.append(f"answered out-of-scope: {item['question']}")
            continue
        covered_n += 1
        rank = first_hit(item["gold"], quotes)
        s.hit1 += rank == 1
        s.hit3 += rank is not None and rank <= 3
        s.mrr += 1 / rank if rank else 0.0
        if ans.asked_like:
            s.misses.append(
                f"silent, asked like {ans.asked_like!r}, which a tuning file leaves open: "
                f"{item['question']}"
            )
        elif not ans.covered:
            # Told apart from a wrong quote: the fix is the bar or the label, not the ranking.
            s.misses.append(f"silent, no clause close enough: {item['question']}")
        elif rank is None:
            s.misses.append(f"answered, but no gold clause quoted: {item['question']}")
        elif rank > 1:
            s.misses.append(f"rank {rank}: {item['question']}")
    s.answerable = covered_n
    n = max(covered_n, 1)
    s.hit1, s.hit3, s.mrr = s.hit1 / n, s.hit3 / n, s.mrr / n
    s.coverage_accuracy = cov_ok / max(len(items), 1)
    s.mean_quote_chars = sum(lens) / max(len(lens), 1)
    return s


@dataclass
class CheckScore:
    drafts: int = 0
    flag_recall: float = 0.0
    grounded_recall: float = 0.0
    false_alarm_rate: float = 0.0
    misses: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "drafts": self.drafts,
            "flag_recall": round(self.flag_recall, 3),
            "grounded_recall": round(self.grounded_recall, 3),
            "false_alarm_rate": round(self.false_alarm_rate, 3),
        }


def score_drafts(assistant: Assistant, items: list[dict[str, Any]]) -> CheckScore:
    # One scoring rule for drafts: the checker's own (shared with its golden tests).
    rows = [assistant.check(i["text"], i.get("agency")).to_json() for i in items]
    got = score_check(items, rows)
    return CheckScore(
        drafts=got["drafts"],
        flag_recall=got["flag_recall"],
        grounded_recall=got["grounded_recall"],
        false_alarm_rate=got["false_alarm_rate"],
        misses=got["misses"],
    )
