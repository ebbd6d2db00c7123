"""A tiny in-memory ClauseSearch for unit tests of detectors, offsets and verdicts.

It splits the bundled policies into sentences/list items and ranks them by
word overlap. Grounding and golden-set tests use the real retriever instead."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from bot.core.models import Citation, Clause

_AGENCY = {
    "la-dcfs": "Los Angeles County DCFS",
    "lccs": "Lucas County Children Services",
    "la-cio": "County of Los Angeles CIO",
    "ct-dcf": "Connecticut DCF",
    "ma-dys": "Massachusetts DYS",
}
_WORD = re.compile(r"[a-z]+")


def _agency_of(name: str) -> str:
    return next(a for a in _AGENCY if name.startswith(a))


class LexicalSearch:
    def __init__(self, policies: Path) -> None:
        self.clauses: list[Clause] = []
        for path in sorted(policies.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            agency = _agency_of(path.name)
            for m in re.finditer(r"[^\n.;]+(?:[.;]|$)", text, re.MULTILINE):
                body = m.group(0).strip(" -\t")
                if len(body) < 8:
                    continue
                start = text.index(body, m.start())
                self.clauses.append(
                    Clause(
                        id=f"{path.stem}:{len(self.clauses)}",
                        policy_id=path.stem,
                        agency_id=agency,
                        agency=_AGENCY[agency],
                        policy=path.stem,
                        section="",
                        context="",
                        text=body,
                        start=start,
                        end=start + len(body),
                        ordinal=len(self.clauses),
                    )
                )
        self._tf = [Counter(_WORD.findall(c.text.lower())) for c in self.clauses]
        df: Counter[str] = Counter()
        for tf in self._tf:
            df.update(tf.keys())
        n = len(self.clauses)
        self._idf = {w: math.log(1 + n / d) for w, d in df.items()}

    def search(
        self, query: str, agency_ids: Sequence[str] | None = None, k: int = 5
    ) -> list[Citation]:
        words = set(_WORD.findall(query.lower()))
        scored = []
        for clause, tf in zip(self.clauses, self._tf, strict=True):
            if agency_ids and clause.agency_id not in agency_ids:
                continue
            score = sum(self._idf.get(w, 0.0) for w in words if w in tf)
            score /= math.sqrt(1 + sum(tf.values()))
            if score > 0:
                scored.append(Citation(clause, score))
        scored.sort(key=lambda c: -c.score)
        return scored[:k]
