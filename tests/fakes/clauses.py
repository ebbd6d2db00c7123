"""A clause on its own, for tests of what reads one (verdicts, cues, the reranker)
without an ingested policy around it."""

from __future__ import annotations

from bot.core.models import Clause


def make_clause(text: str, cid: str = "p:0", context: str = "", ordinal: int = 0) -> Clause:
    return Clause(cid, "p", "a", "Agency", "Policy", "Rules", context, text, 0, len(text), ordinal)
