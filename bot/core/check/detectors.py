"""Recognizers: find the words in a draft that break a rule.

Each recognizer returns ``Hit``s — a category and a span of the draft as given
(Python str indices). Most rules need two signals together (a client cue and a
detail, a workplace target and a negative word) so ordinary posts about one's
own family, church or team stay clear. Signals are read per sentence, with the
neighbouring sentences as context, so a 5,000-word draft costs a linear scan.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bot.core.check import lexicon as lx
from bot.core.check.ports import PiiSpan
from bot.core.models import Severity


@dataclass(frozen=True)
class Hit:
    category: str
    start: int
    end: int
    # Overrides of the category's wording / severity for this kind of hit.
    explanation: str | None = None
    suggestion: str | None = None
    severity: Severity | None = None


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    # The sentence with its neighbours: cues there still describe this sentence.
    ctx_start: int
    ctx_end: int


_ABBREV_END = re.compile(
    r"(?:\b[A-Z]|\b(?:Det|Sgt|Dr|Mr|Mrs|Ms|Lt|Ofc|Cpl|St|Ave|Jr|Sr|vs|etc|No|Capt|Gov|Sen|Rep))\.$"
)


def _sentences(text: str) -> list[_Sentence]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in lx.SENTENCE_END.finditer(text):
        if "\n" not in m.group(0) and _ABBREV_END.search(text, max(0, m.start() - 5), m.start()):
            continue  # "Det. Kowalski", "J.R. from my caseload": one sentence
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    out = []
    for i, (s, e) in enumerate(spans):
        cs = spans[max(i - 1, 0)][0]
        ce = spans[min(i + 1, len(spans) - 1)][1]
        out.append(_Sentence(s, e, cs, ce))
    return out


def _find(p: re.Pattern[str], text: str, s: int, e: int) -> Iterator[re.Match[str]]:
    return p.finditer(text, s, e)


def _has(p: re.Pattern[str], text: str, s: int, e: int) -> bool:
    return p.search(text, s, e) is not None


_PLURAL_GENERIC = re.compile(
    r"^(?:the |our |all the |all our )?(?:kids|children|youths?|teens|families|parents|clients)\b",
    re.IGNORECASE,
)
_SERVE_CUE = re.compile(r"\b(?:I|we)\s+(?:just\s+|recently\s+|have\s+)?\w", re.IGNORECASE)


def _is_generic(cue: str) -> bool:
    """ "The families we serve" is job pride, not a client: plural and unnamed."""
    return bool(_PLURAL_GENERIC.match(cue)) and bool(_SERVE_CUE.search(cue))


_DETAIL_WORDING: dict[str, tuple[str, str]] = {
    "name": (
        "Names or may name someone you serve.",
        "Remove the name (first names and nicknames identify a child too).",
    ),
    "initials": (
        "Gives initials of someone you serve; initials still identify.",
        "Remove the initials.",
    ),
    "age": ("Gives the age of someone you serve.", "Remove the age."),
    "school": (
        "Names or describes the school of someone you serve.",
        "Remove the school and grade.",
    ),
    "street": ("Gives a street or address.", "Remove the street or address."),
    "placement": (
        "Tells where someone you serve is placed or housed (placement, unit, room).",
        "Remove the placement, unit or room.",
    ),
    "place": ("Names a place tied to someone you serve.", "Remove the place name."),
    "dob": ("Gives a date of birth of someone you serve.", "Remove the date of birth."),
}


def _detail(kind: str, s: int, e: int) -> Hit:
    expl, sugg = _DETAIL_WORDING[kind]
    return Hit("client_info", s, e, expl, sugg)


class Recognizers:
    """All rule recognizers, compiled once (at import of ``lexicon``); stateless per draft."""

    def find(self, text: str, pii: Sequence[PiiSpan] = (), english: bool = True) -> list[Hit]:
        if not english:
            return list(self._neutral(text, 0, len(text), client_ctx=False))
        hits: list[Hit] = []
        on_pulse = _has(lx.PULSE, text, 0, len(text))
        for sent in _sentences(text):
            hits.extend(self._sentence(text, sent, pii, on_pulse))
        hits.extend(self._disclaimer(text))
        return hits

    # -- per sentence --------------------------------------------------------

    def _sentence(
        self, text: str, st: _Sentence, pii: Sequence[PiiSpan], on_pulse: bool
    ) -> Iterator[Hit]:
        s, e, cs, ce = st.start, st.end, st.ctx_start, st.ctx_end
        cues = [m for m in _find(lx.CLIENT_CUE, text, cs, ce) if not _is_generic(m.group(0))]
        client_ctx = bool(cues)
        own = _has(lx.OWN_MATTER, text, s, e)
        third = _has(lx.THIRD_PARTY, text, cs, ce)
        work = _has(lx.WORK_CONTEXT, text, cs, ce) or _has(lx.AGENCY_MENTION, text, cs, ce)
        coworker = _has(lx.COWORKER, text, s, e)
        persons = [p for p in pii if p.kind == "PERSON" and s <= p.start < e]

        # People served, and the details that identify them.
        for m in _find(lx.CLIENT_CUE, text, s, e):
            if not _is_generic(m.group(0)):
                yield Hit("client_info", m.start(), m.end())
        if client_ctx:
            yield from self._details(text, st, cues, pii)
        # Case and court details about a family that is not the author's own.
        if client_ctx or (third and not own) or (persons and not own):
            for m in _find(lx.CASE_TERM, text, s, e):
                yield Hit("case_details", m.start(), m.end())
        if client_ctx or coworker:
            for m in _find(lx.MEDICAL_TERM, text, s, e):
                yield Hit("medical", m.start(), m.end())
        for m in _find(lx.CORI_STRONG, text, s, e):
            if not text[max(s, m.start() - 3) : m.start()].lower().endswith("my "):
                yield Hit("criminal_record", m.start(), m.end())
        if client_ctx:
            for m in _find(lx.CORI_TERM, text, s, e):
                yield Hit("criminal_record", m.start(), m.end())
        if client_ctx or coworker or work:
            for m in _find(lx.INVESTIGATION, text, s, e):
                yield Hit("investigation", m.start(), m.end())
        if client_ctx or _has(lx.CLIENTISH, text, s, e):
            for m in _find(lx.PHOTO, text, s, e):
                yield Hit("youth_photo", m.start(), m.end())
            for m in _find(lx.CONTACT_VERB, text, s, e):
                yield Hit("client_contact", m.start(), m.end())
        yield from self._neutral(text, s, e, client_ctx=client_ctx or third)
        yield from self._agency(text, st)
        yield from self._conduct(text, st, coworker, work, client_ctx, on_pulse)

    def _details(
        self, text: str, st: _Sentence, cues: list[re.Match[str]], pii: Sequence[PiiSpan]
    ) -> Iterator[Hit]:
        s, e = st.start, st.end
        for m in lx.NAME_CS.finditer(text, s, e):
            word = m.group(0)
            if word.split()[0] in lx.NOT_NAMES or m.start() == s:
                continue
            near = any(c.start() - 30 <= m.start() <= c.end() + 30 for c in cues)
            if near:
                yield _detail("name", m.start(), m.end())
        for p in pii:
            if (
                s <= p.start < e
                and p.kind == "PERSON"
                and text[p.start : p.end].split()[0] not in lx.NOT_NAMES
            ):
                yield _detail("name", p.start, p.end)
            elif s <= p.start < e and p.kind in ("LOCATION", "GPE"):
                yield _detail("place", p.start, p.end)
        for m in lx.INITIALS_CS.finditer(text, s, e):
            if m.group(0) not in ("I", "A"):
                yield _detail("initials", m.start(), m.end())
        for pat, kind in (
            (lx.AGE, "age"),
            (lx.SCHOOL_CS, "school"),
            (lx.SCHOOL, "school"),
            (lx.STREET_CS, "street"),
            (lx.PLACEMENT, "placement"),
        ):
            for m in pat.finditer(text, s, e):
                yield _detail(kind, m.start(), m.end())

    # -- identifiers readable in any language -----------------------------------

    def _neutral(self, text: str, s: int, e: int, client_ctx: bool) -> Iterator[Hit]:
        for m in lx.PHONE.finditer(text, s, e):
            if _has(lx.OWN_PHONE, text, s, e) and not client_ctx:
                continue
            if client_ctx:
                yield Hit(
                    "personal_identifiers",
                    m.start(),
                    m.end(),
                    "Gives a phone number of someone you serve.",
                    "Remove the phone number.",
                )
            else:
                yield Hit(
                    "personal_identifiers",
                    m.start(),
                    m.end(),
                    "Contains a phone number; make sure it is not a client's or coworker's.",
                    "Remove the number unless it is your own or a public office line.",
                    Severity.REVIEW,
                )
        for m in lx.SSN.finditer(text, s, e):
            yield Hit(
                "personal_identifiers",
                m.start(),
                m.end(),
                "Contains what looks like a Social Security number.",
                "Remove the number.",
            )
        for m in lx.CASE_NUMBER.finditer(text, s, e):
            yield Hit(
                "personal_identifiers",
                m.start(),
                m.end(),
                "Contains a case or file number.",
                "Remove the case number.",
            )
        for m in lx.DOB.finditer(text, s, e):
            born_on = m.group(0).lower().startswith("born")
            if born_on and (not client_ctx or _has(lx.OWN_BIRTH, text, s, e)):
                continue
            yield Hit(
                "personal_identifiers",
                m.start(),
                m.end(),
                "Gives a date of birth.",
                "Remove the date of birth.",
            )

    # -- the agency's name, voice, insignia and buildings ------------------------

    def _agency(self, text: str, st: _Sentence) -> Iterator[Hit]:
        s, e = st.start, st.end
        if _has(lx.INSIGNIA_CONTEXT, text, s, e):
            for m in lx.INSIGNIA.finditer(text, s, e):
                yield Hit("agency_insignia", m.start(), m.end())
        for m in lx.ON_BEHALF.finditer(text, s, e):
            yield Hit("speaking_for_agency", m.start(), m.end())
        for m in lx.AGENCY_ENDORSES.finditer(text, s, e):
            yield Hit("speaking_for_agency", m.start(), m.end())
        named = _has(lx.AGENCY_MENTION, text, s, e) or _has(lx.AS_EMPLOYEE, text, s, e)
        if named:
            for m in lx.PROMOTION.finditer(text, s, e):
                yield Hit("agency_name_use", m.start(), m.end())
        for m in lx.FACILITY.finditer(text, s, e):
            yield Hit("agency_facility", m.start(), m.end())
        if _has(lx.PHOTO, text, s, e) and (
            _has(lx.AGENCY_MENTION, text, s, e) or _has(lx.WORK_CONTEXT, text, s, e)
        ):
            for m in lx.FACILITY_GENERIC.finditer(text, s, e):
                yield Hit("agency_facility", m.start(), m.end())

    def _disclaimer(self, text: str) -> Iterator[Hit]:
        mention = lx.AGENCY_MENTION.search(text)
        if mention and not lx.DISCLAIMER.search(text):
            yield Hit("disclaimer_missing", mention.start(), mention.end())

    # -- conduct -------------------------------------------------------------

    def _conduct(
        self,
        text: str,
        st: _Sentence,
        coworker: bool,
        work: bool,
        client_ctx: bool,
        on_pulse: bool,
    ) -> Iterator[Hit]:
        s, e = st.start, st.end
        if _has(lx.WORKPLACE_TARGET, text, s, e):
            for m in lx.NEGATIVE.finditer(text, s, e):
                yield Hit("workplace_grievance", m.start(), m.end())
        for m in lx.QUIT.finditer(text, s, e):
            yield Hit("workplace_grievance", m.start(), m.end())
        if (work or client_ctx) and not _has(lx.NEGATIVE, text, s, e):
            for m in lx.OPERATIONS.finditer(text, s, e):
                yield Hit(
                    "workplace_grievance",
                    m.start(),
                    m.end(),
                    "Comments on how the agency operates (staffing, caseloads, budget).",
                    "Leave agency operations to official channels.",
                    Severity.REVIEW,
                )
        for pat in (lx.THREAT, lx.SLUR, lx.DISCRIMINATION):
            for m in pat.finditer(text, s, e):
                yield Hit("harassment", m.start(), m.end())
        if coworker:
            for m in lx.INSULT.finditer(text, s, e):
                yield Hit("harassment", m.start(), m.end())
        for pat in (lx.OFFICER_CS, lx.OFFICER_AT):
            for m in pat.finditer(text, s, e):
                yield Hit("law_enforcement", m.start(), m.end())
        for m in lx.RELATIVE_OFFICER.finditer(text, s, e):
            yield Hit(
                "law_enforcement",
                m.start(),
                m.end(),
                "Identifies someone as a law-enforcement employee.",
                "Leave out that they work in law enforcement.",
                Severity.REVIEW,
            )
        pulse_sev = Severity.VIOLATION if on_pulse else None
        where = " on Pulse" if on_pulse else ""
        for m in lx.PROFANITY.finditer(text, s, e):
            yield Hit(
                "profanity",
                m.start(),
                m.end(),
                severity=pulse_sev,
                explanation=f"Contains profanity{where}.",
            )
        # Drinks after work are nobody's business; on shift, with youth, or on Pulse they are.
        if on_pulse or client_ctx or _has(lx.WORK_SETTING, text, st.ctx_start, st.ctx_end):
            for m in lx.ALCOHOL_DRUGS.finditer(text, s, e):
                yield Hit(
                    "alcohol_drugs",
                    m.start(),
                    m.end(),
                    severity=pulse_sev,
                    explanation=f"Mentions alcohol or drugs{where or ' in a work setting'}.",
                )
        for m in lx.SEXUAL.finditer(text, s, e):
            yield Hit("sexual_content", m.start(), m.end(), severity=pulse_sev)
        if on_pulse:
            for m in lx.ADVERTISING.finditer(text, s, e):
                yield Hit("advertising_spam", m.start(), m.end())
