"""``RuleDraftChecker``: the ``check(draft, agency_id)`` behind ``Assistant.check``.

Build it once (``build_checker``) and reuse it: recognizers are compiled at
import, the optional NLP detector is loaded once, and citations are cached per
category and agency. A draft lives only in memory for the length of a call:
nothing here writes or logs it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence

from bot.core.check.categories import CATEGORIES
from bot.core.check.detectors import Hit, Recognizers
from bot.core.check.grounding import ClauseGrounder
from bot.core.check.language import looks_english
from bot.core.check.ports import ClauseSearch, PiiDetector, PiiSpan
from bot.core.models import (
    CheckResult,
    CheckVerdict,
    Citation,
    Evidence,
    Finding,
    InputError,
    Severity,
)

log = logging.getLogger(__name__)

MAX_FINDINGS = 50
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The segmenter may end a clause inside a quotation, before its closing mark.
_QUOTED = re.compile(r"[“\"]([^”\"]{20,300}?)(?:[”\"]|\s*$)")
_STATEMENT_THAT = re.compile(r"\bstatement\b[^,]*?\bthat,?\s+(.{20,200}?)(?:;|$)", re.IGNORECASE)
_DEFAULT_DISCLAIMER = "The views expressed here are my own and not those of my employer."
NOT_ENGLISH_NOTICE = (
    "This draft does not look like English, so only the language-neutral checks ran "
    "(phone, case and Social Security numbers, dates of birth). Have a person read it "
    "before it goes out."
)


def disclaimer_text(citations: list[Citation]) -> str:
    """The disclaimer wording an agency's own clause prescribes, else a plain one."""
    for cit in citations:
        m = _QUOTED.search(cit.clause.text)
        if m:
            return m.group(1).strip()
    for cit in citations:
        m = _STATEMENT_THAT.search(cit.clause.text)
        if m:
            said = m.group(1).strip().rstrip(".;")
            said = re.sub(r"\bbelong solely to you\b", "belong solely to me", said)
            said = re.sub(r"\byour employer\b", "my employer", said)
            return said[0].upper() + said[1:] + "."
    return _DEFAULT_DISCLAIMER


class RuleDraftChecker:
    def __init__(
        self,
        search: ClauseSearch,
        pii: PiiDetector | None = None,
        max_chars: int = 40000,
        version: Callable[[], str] | None = None,
    ) -> None:
        self._grounder = ClauseGrounder(search, version=version)
        self._pii = pii
        self._max_chars = max_chars
        self._recognizers = Recognizers()

    def warm_up(self, agency_ids: Sequence[str]) -> None:
        """Find every category's clauses for every scope now, not on a user's first draft."""
        for scope in [None, *agency_ids]:
            for cat in CATEGORIES.values():
                self._grounder.ground(cat, scope)

    def check(self, draft: str, agency_id: str | None = None) -> CheckResult:
        text = self._validate(draft)
        english = looks_english(text)
        pii: list[PiiSpan] = []
        if english and self._pii is not None:
            pii = self._pii.detect(text)
        hits = _dedupe(self._recognizers.find(text, pii, english))
        findings = [self._finding(text, h, agency_id) for h in hits[:MAX_FINDINGS]]
        notices = []
        if not english:
            notices.append(NOT_ENGLISH_NOTICE)
        if len(hits) > MAX_FINDINGS:
            notices.append(f"Showing the first {MAX_FINDINGS} of {len(hits)} problems.")
        verdict = CheckVerdict.OK
        if any(f.severity is Severity.VIOLATION for f in findings):
            verdict = CheckVerdict.VIOLATION
        elif findings:
            verdict = CheckVerdict.REVIEW
        # Counts only: the draft itself never reaches a log.
        log.debug(
            "checked draft: %d chars, %d findings, verdict %s", len(text), len(findings), verdict
        )
        return CheckResult(verdict, findings, " ".join(notices))

    def _validate(self, draft: str) -> str:
        if not isinstance(draft, str):
            raise InputError("The draft must be text.")
        if not draft.strip():
            raise InputError("The draft is empty: paste the post you want checked.")
        if len(draft) > self._max_chars:
            raise InputError(
                f"The draft is {len(draft):,} characters; the limit is {self._max_chars:,}. "
                "Check it in parts."
            )
        if len(_CONTROL.findall(draft)) > max(2, len(draft) // 50):
            raise InputError("The draft looks like binary data, not text: paste the post itself.")
        return draft

    def _finding(self, text: str, hit: Hit, agency_id: str | None) -> Finding:
        cat = CATEGORIES[hit.category]
        grounding = self._grounder.ground(cat, agency_id)
        severity = hit.severity or cat.severity
        explanation = hit.explanation or cat.explanation
        suggestion = hit.suggestion or cat.suggestion
        if not grounding.specific:
            # The agency's policy does not name this problem: a person decides.
            severity = Severity.REVIEW
            explanation += (
                " Your agency's policy has no clause naming this; check with your supervisor."
            )
        if cat.id == "disclaimer_missing":
            suggestion = f'Add: "{disclaimer_text(grounding.citations)}"'
        return Finding(
            category=cat.id,
            severity=severity,
            evidence=Evidence(hit.start, hit.end, text[hit.start : hit.end]),
            explanation=explanation,
            suggestion=suggestion,
            citations=list(grounding.citations),
        )


def _dedupe(hits: list[Hit]) -> list[Hit]:
    """One finding per span: the first recognizer to claim overlapping words keeps them
    unless a later hit of the same category covers more."""
    order = list(CATEGORIES)
    hits = sorted(hits, key=lambda h: (h.start, -(h.end - h.start), order.index(h.category)))
    out: list[Hit] = []
    for h in hits:
        clash = next(
            (
                o
                for o in out
                if o.start < h.end
                and h.start < o.end
                and (o.category == h.category or (o.start, o.end) == (h.start, h.end))
            ),
            None,
        )
        if clash is None:
            out.append(h)
    return out
