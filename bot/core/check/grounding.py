"""Category -> governing clauses, through the retriever.

Only the category's own queries are sent to the retriever, never the draft:
the draft stays out of any query log and the citations for a category are the
same for every draft (so they are cached per category and agency).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.core.check.categories import Category
from bot.core.check.ports import ClauseSearch
from bot.core.models import Citation

# Reciprocal-rank fusion constant: ranks from several queries add up, the
# retriever's own score scale does not matter.
_RRF_K = 10


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    for a, b in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"')):
        text = text.replace(a, b)
    return re.sub(r"\s+", " ", text).lower()


@dataclass(frozen=True)
class Grounding:
    citations: list[Citation]
    # False when the agency's policy has no clause naming this kind of problem
    # and the citations are its closest general rule.
    specific: bool


class ClauseGrounder:
    def __init__(
        self,
        search: ClauseSearch,
        per_agency: int = 2,
        k: int = 30,
        limit: int = 8,
        version: Callable[[], str] | None = None,
    ) -> None:
        self._search = search
        # The index version the caches were filled from: after a re-ingest the
        # cached citations could quote clauses that changed, so they are dropped.
        self._version = version
        self._seen_version: str | None = None
        self._per_agency = per_agency
        self._k = k
        self._limit = limit
        self._cache: dict[tuple[str, str | None], Grounding] = {}
        # Categories share queries (the confidentiality ones); search each once per scope.
        self._results: dict[tuple[str, str | None], list[Citation]] = {}
        self._lock = threading.Lock()

    def ground(self, category: Category, agency_id: str | None) -> Grounding:
        key = (category.id, agency_id)
        current = self._version() if self._version is not None else None
        with self._lock:
            if current != self._seen_version:
                self._cache.clear()
                self._results.clear()
                self._seen_version = current
            hit = self._cache.get(key)
        if hit is not None:
            return hit
        cites = self._pick(category.queries, category.cues, agency_id)
        specific = bool(cites)
        if not cites and category.fallback_queries:
            cites = self._pick(category.fallback_queries, category.fallback_cues, agency_id)
        result = Grounding(cites, specific)
        with self._lock:
            self._cache[key] = result
        return result

    def _query(self, query: str, agency_id: str | None) -> list[Citation]:
        key = (query, agency_id)
        with self._lock:
            hit = self._results.get(key)
        if hit is None:
            scope = [agency_id] if agency_id else None
            hit = self._search.search(query, scope, k=self._k)
            with self._lock:
                self._results[key] = hit
        return hit

    def _pick(
        self, queries: Sequence[str], cues: Sequence[str], agency_id: str | None
    ) -> list[Citation]:
        fused: dict[str, float] = {}
        top: dict[str, float] = {}
        best: dict[str, Citation] = {}
        for qi, q in enumerate(queries):
            # A category lists its queries most telling first.
            weight = 1.0 / (1 + 0.3 * qi)
            for rank, cit in enumerate(self._query(q, agency_id)):
                if agency_id and cit.clause.agency_id != agency_id:
                    continue  # never show another agency's rule as this one's
                rr = weight / (_RRF_K + rank + 1)
                fused[cit.id] = fused.get(cit.id, 0.0) + rr
                top[cit.id] = max(top.get(cit.id, 0.0), rr)
                best.setdefault(cit.id, cit)
        folded_cues = [_fold(c) for c in cues]
        # A clause must use the category's own words to govern it; the cue count
        # breaks near-ties between clauses that do.
        scored = []
        for cid, total in fused.items():
            # The clause some query finds first wins; agreement between queries breaks ties.
            score = top[cid] + 0.2 * total
            quote = _fold(best[cid].clause.text)
            n = sum(c in quote for c in folded_cues)
            if n:
                scored.append((score * (1 + 0.25 * (n - 1)), cid))
        scored.sort(reverse=True)
        cap = self._per_agency + 1 if agency_id else self._per_agency
        per: dict[str, int] = {}
        out: list[Citation] = []
        for _, cid in scored:
            cit = best[cid]
            agency = cit.clause.agency_id
            if per.get(agency, 0) >= cap:
                continue
            per[agency] = per.get(agency, 0) + 1
            out.append(cit)
            if len(out) >= self._limit:
                break
        return out
