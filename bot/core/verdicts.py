"""A verdict from a clause's own wording, never from a model.

"shall not / must not / prohibited / may not" -> prohibited, softened to
allowed_with_conditions by an exception ("without the written permission of",
"unless expressly authorized", "except as authorized by this policy");
"shall / must / required" -> required; "may" -> allowed;
"advised not to / cautioned / should not" -> advised_against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.models import Clause, Verdict

_NEG = re.compile(
    r"\b(shall not|shall never|must not|must never|may not|cannot|can not|are not to|is not to|"
    r"not authorized|not permitted|not be permitted|shall be prohibited|strictly prohibited|"
    r"is prohibited|are prohibited|prohibits|prohibited|should not be used|no\b[^.;:]{0,60}\bshall be)\b",
    re.IGNORECASE,
)
_CONDITION = re.compile(
    r"\b(without (?:the )?(?:prior )?(?:written )?(?:permission|approval|authorization)[^.;]*|"
    r"unless [^.;]*|except as [^.;]*|except where [^.;]*|other than [^.;)]*|"
    r"only with [^.;]*|with (?:the )?(?:prior )?written (?:permission|approval|authorization)[^.;]*|"
    r"shall obtain authorization[^.;]*|where authorization [^.;]*)",
    re.IGNORECASE,
)
_ADVISED_AGAINST = re.compile(
    r"\b(advised not to|advisable not to|should not|cautioned|not conducive|"
    r"should carefully consider|use good judgment)\b",
    re.IGNORECASE,
)
_ADVISED = re.compile(r"\b(it is advisable|advisable to|is advised|should)\b", re.IGNORECASE)
_REQUIRED = re.compile(
    r"\b(shall|must|required|is responsible|are responsible|will be|is expected|are expected)\b",
    re.IGNORECASE,
)
_ALLOWED = re.compile(
    r"\b(may|can|are encouraged|is permitted|are permitted|recognizes the rights)\b", re.IGNORECASE
)
_PROHIBITING_LEAD = re.compile(
    r"\b(prohibited|shall not|must not|may not|not be displayed)\b", re.IGNORECASE
)
_PERMITTING_LEAD = re.compile(r"\bmay\b", re.IGNORECASE)
_MODAL = re.compile(r"\b(shall|must|may|should|will|can|required|prohibited)\b", re.IGNORECASE)


def _has_modal(text: str) -> bool:
    return bool(_MODAL.search(text))


_CAUTIONING_LEAD = re.compile(r"\b(cautioned|advised)\b", re.IGNORECASE)


@dataclass(frozen=True)
class ClauseReading:
    verdict: Verdict
    condition: str  # the exception or condition, verbatim from the clause, or ""


def read_clause(clause: Clause) -> ClauseReading:
    text = clause.text
    cond = _CONDITION.search(text)
    condition = cond.group(0).rstrip(" ,;") if cond else ""
    if _NEG.search(text):
        if condition:
            return ClauseReading(Verdict.ALLOWED_WITH_CONDITIONS, condition)
        return ClauseReading(Verdict.PROHIBITED, "")
    if _ADVISED_AGAINST.search(text):
        return ClauseReading(Verdict.ADVISED_AGAINST, condition)
    # List items take their force from the lead-in ("The following are prohibited:").
    if clause.context and _PROHIBITING_LEAD.search(clause.context):
        if condition:
            return ClauseReading(Verdict.ALLOWED_WITH_CONDITIONS, condition)
        return ClauseReading(Verdict.PROHIBITED, "")
    if clause.context and _CAUTIONING_LEAD.search(clause.context):
        return ClauseReading(Verdict.ADVISED_AGAINST, condition)
    if clause.context and not _has_modal(text) and _PERMITTING_LEAD.search(clause.context):
        return ClauseReading(Verdict.ALLOWED, condition)
    if condition and re.search(r"\bauthori[sz]ation|permission|approv", condition, re.I):
        return ClauseReading(Verdict.ALLOWED_WITH_CONDITIONS, condition)
    if _ADVISED.search(text):
        return ClauseReading(Verdict.INFORMATIONAL, condition)
    if _ALLOWED.search(text) and not _REQUIRED.search(text):
        return ClauseReading(Verdict.ALLOWED, condition)
    if _REQUIRED.search(text):
        return ClauseReading(Verdict.REQUIRED, condition)
    return ClauseReading(Verdict.INFORMATIONAL, condition)


def _trim(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit].rstrip(",;:") + " …"


def summarize(clause: Clause, reading: ClauseReading) -> str:
    """One line built from the clause's own words (with its condition when there is one)."""
    body = clause.text.rstrip(";,: ")
    if clause.context and len(body) < 120 and clause.context.rstrip().endswith(":"):
        body = f"{clause.context.rstrip(': ')}: {body[0].lower() + body[1:] if body else body}"
    line = _trim(body)
    if reading.condition and reading.condition.lower() not in line.lower():
        line = f"{line} (condition: {_trim(reading.condition, 120)})"
    return line
