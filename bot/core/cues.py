"""What a question's wording says beyond its topic: whose employee is asking,
whether they ask for a permission, and which rare name of the policies they type.

All are cues, not rules: they nudge the ranking between clauses the question
matches about equally well, and never decide on their own what is cited.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from bot.core.models import AgencyInfo, Clause

# Things an employer owns or issues. "my state laptop", "a county email address",
# "the Commonwealth's network" say which government the asker works for; "state
# law", "a state trooper" or "out of state" do not, so only these nouns count.
_PROPERTY = (
    r"laptops?|computers?|pcs?|desktops?|tablets?|ipads?|phones?|cell(?:phone)?s?|"
    r"smartphones?|devices?|machines?|equipment|e-?mail(?:\s+address)?|accounts?|logins?|"
    r"passwords?|networks?|systems?|internet|wi-?fi|resources|it|cars?|vans?|vehicles?|"
    r"property|time"
)
_ISSUED = r"(?:[-\s](?:issued|owned|provided))?(?:'s)?"


@functools.lru_cache(maxsize=64)
def _property_cue(word: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?<![\w-]){re.escape(word)}{_ISSUED}\s+(?:\w+\s+)?(?:{_PROPERTY})(?![\w-])",
        re.IGNORECASE,
    )


def employer_agencies(question: str, agencies: Sequence[AgencyInfo]) -> list[str]:
    """Agencies whose government the question names as the owner of what it asks
    about ("on my state laptop": the state agencies; "my county email": the county
    ones). Empty when no such words, or when every agency would match."""
    # Runs for every question: each government word is looked for once, however
    # many agencies share it (three county agencies here).
    words = {w.lower() for a in agencies for w in a.jurisdiction}
    named = {w for w in words if _property_cue(w).search(question)}
    found = [a.id for a in agencies if named & {w.lower() for w in a.jurisdiction}]
    return found if len(found) < len(agencies) else []


# "Do I need permission", "does it have to be approved", "whose OK do I need",
# "who has to sign off": the asker wants to know whether (or from whom) an
# approval is needed. "approved by the department" on its own is not that.
_ASKS_PERMISSION = re.compile(
    r"\b(?:need|needs|require[sd]?|have\s+to\s+(?:get|ask\s+for|obtain)|get|getting|obtain|"
    r"ask\s+for|seek)\s+(?:\w+(?:'s)?\s+){0,3}?"
    r"(?:permission|approval|authori[sz]ation|sign-?off|ok|okay|go-ahead|consent)\b"
    r"|\b(?:has|have|need|needs)\s+to\s+(?:be\s+)?(?:approve|approved|authori[sz]e|authori[sz]ed"
    r"|sign\s+off)\b"
    r"|\bwhose\s+(?:permission|approval|ok|okay|consent)\b"
    r"|\b(?:permission|approval|authori[sz]ation|sign-?off|consent)\s+(?:is\s+|be\s+)?"
    r"(?:required|needed|necessary)\b",
    re.IGNORECASE,
)
# A clause that makes something depend on someone's approval.
_GRANTS_PERMISSION = re.compile(
    r"\b(?:authori[sz]\w*|approv\w*|permission|consent|written\s+release)\b", re.IGNORECASE
)


def asks_permission(question: str) -> bool:
    return bool(_ASKS_PERMISSION.search(question))


def names_permission(clause_text: str) -> bool:
    return bool(_GRANTS_PERMISSION.search(clause_text))


# A name in capitals ("CORI", "JJEMS", "DISO") that few clauses say: asking about it
# asks about them. More clauses than this and it names the agency or a whole policy.
_NAME_CLAUSES = 2
_CAPITALS = re.compile(r"\b[A-Z]{3,}\b")
_WORD = re.compile(r"[a-z]+")


def rare_names(clauses: Sequence[Clause]) -> dict[str, frozenset[str]]:
    """Names in capitals -> the ids of the (at most two) clauses whose own words say
    them. A word the policies also write in lower case ("BEST" against "best") is a
    word, not a name, and is left out."""
    lower = {w for c in clauses for w in _WORD.findall(f"{c.text} {c.context}")}
    saying: dict[str, set[str]] = {}
    for c in clauses:
        for name in _CAPITALS.findall(c.text):
            saying.setdefault(name.lower(), set()).add(c.id)
    return {
        name: frozenset(ids)
        for name, ids in saying.items()
        if len(ids) <= _NAME_CLAUSES and name not in lower
    }


def names_asked(question: str, names: dict[str, frozenset[str]]) -> frozenset[str]:
    """The clauses saying a rare name the question types in capitals. Only in capitals:
    "CARE" is a name in "419-213-CARE", but "foster care" asks about no phone line."""
    found = [names.get(word.lower(), frozenset()) for word in _CAPITALS.findall(question)]
    return frozenset().union(*found)
