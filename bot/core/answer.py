"""Answer a question with quoted clauses, a verdict per agency, or "the policies are silent"."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.cues import employer_agencies
from bot.core.models import VERDICT_LABELS, AgencyInfo, AgencyVerdict, Answer, Citation, InputError
from bot.core.reasoner import Reasoner, screen
from bot.core.retrieval import Hit, HybridRetriever, asking_sentence, refers_back
from bot.core.text import tokens
from bot.core.verdicts import read_clause, summarize

log = logging.getLogger(__name__)

MAX_CITATIONS = 5
# An agency gets its own verdict when its best clause is this close to the best overall.
AGENCY_MARGIN = 0.15
# Words of the policies' matter: social media and the internet, what staff put on
# work equipment ("shall not download games, advertisements or applications"), and the
# policies' own words for the equipment and the presences they govern ("electronic
# devices", "State of Connecticut equipment", "personal text messages").
_TOPIC = frozenset(
    tokens(
        "social media facebook fb twitter tweet instagram insta tiktok snapchat linkedin youtube "
        "pulse intranet online internet web website site blog post posting share friend follow "
        "unfollow tag like comment page account profile app apps dm message chat selfie photo "
        "picture pic video upload hashtag logo seal insignia letterhead spokesperson press "
        "reporter media disclaimer password username email e-mail feed group channel network "
        "networking skype podcast webinar forum directive snap ig gram reddit whatsapp discord "
        "pinterest tumblr myspace vine craigslist browse browsing download downloading install "
        "installing game games equipment computer computers device devices text texts texting "
        "presence presences"
    )
)
# "like" is a topic word for liking a post, not in "I'd like to stay through the summer"
# or "I feel like my caseload is too high": those are read without it.
_LIKE_NOT_LIKING = re.compile(
    r"\b(?:(?:i|we|you|they|he|she)['’]d|would|feel|feels|felt|look|looks|looked|seem|seems|"
    r"seemed|sound|sounds)\s+like\b",
    re.I,
)
# Words before a policy number that make it a reference ("policy 12-15", "TD 12-06", "#1004").
_NUMBER_PREFIX = r"(?:policy|directive|td|no\.?|number|#)\s*#?\s*"


@dataclass(frozen=True)
class Coverage:
    """The cosines from which a question counts as one the policies address."""

    with_topic: float  # the best clause's, when the question has a topic word
    alone: float  # the best clause's, when it has none ("which rule wins, state or DCF?")
    # The least a question asking how or where to do something needs, topic word or
    # not ("how do I add alt text to our Facebook photos?"): the policies state rules,
    # not procedures, and only clauses that describe the very procedure (asking for an
    # exception, where to record an approval) answer one.
    how_to: float


# Measured with the packaged MiniLM: off-topic questions (comp time, sick days) reach 0.60
# and answerable ones without a topic word start at 0.17, so a topic word is needed
# below 0.5. How-to questions overlap too (answerable from 0.31, out of scope up to
# 0.41), so they get the ordinary bar.
PACKAGED_COVERAGE = Coverage(with_topic=0.20, alone=0.50, how_to=0.20)
# A model tuned with the abstain column (bot.tuning) keeps out-of-scope questions far
# from every clause: on the tuning files, those without a topic word reach 0.29 and
# the answerable ones start at 0.40; 0.35 is the middle (docs/retrieval.md, session 12).
# A how-to question's topic word says little ("how do I reset my email password?"),
# so it needs the same close match; answerable ones start at 0.37 (session 13).
TUNED_COVERAGE = Coverage(with_topic=0.20, alone=0.35, how_to=0.35)
# "How do I…", "where can we…": a question asking for a procedure. Not "how should I
# handle…", which asks what conduct is right: that is what the policies are about.
_HOW_TO = re.compile(r"\b(?:how|where)\s+(?:do|can|would|could)\s+(?:i|we|you)\b", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _closeness(hit: Hit, whole_message: bool) -> float:
    return hit.message if whole_message and hit.message is not None else hit.dense


@dataclass(frozen=True)
class PolicyReference:
    """A policy the question cites by number, and where the number ends in it."""

    agency_id: str
    end: int
    title: str


def clean_question(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return " ".join(_CONTROL.sub(" ", text).split())


def silent_answer(question: str, notice: str = "", asked_like: str = "") -> Answer:
    """The policies are silent, as an answer: a plain sentence and the PIO, no citations."""
    text = (
        "The policies are silent on this: none of the social-media policies I know addresses "
        "it, so I won't guess. Ask your Public Information Officer (PIO), who can give you a "
        "reliable answer."
    )
    return Answer(question, False, text, notice=notice, asked_like=asked_like)


def _name_pattern(alias: str, exact: bool) -> re.Pattern[str]:
    """An agency's name as a whole word ("DYS", not the start of "DYSON")."""
    return re.compile(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", 0 if exact else re.IGNORECASE)


class PolicyAnswerer:
    def __init__(
        self,
        retriever: HybridRetriever,
        agencies: Sequence[AgencyInfo],
        reasoner: Reasoner | None = None,
        max_question_chars: int = 2000,
        coverage: Coverage = PACKAGED_COVERAGE,
    ) -> None:
        self._retriever = retriever
        self._coverage = coverage
        self._agencies = {a.id: a for a in agencies}
        # Compiled once: every question is matched against every agency's names.
        self._names = [
            (a.id, _name_pattern(alias, exact=alias in a.exact_case))
            for a in agencies
            for alias in [a.short_name, *a.aliases]
        ]
        self._reasoner = reasoner
        self._max = max_question_chars

    def warm_up(self) -> None:
        """Compute the reranker's clause vectors before the first user."""
        self._retriever.warm_up()

    def mentioned_agencies(self, question: str) -> list[str]:
        """Agencies the question names ("At DYS, can I…", "in Connecticut") or whose
        policy it cites by number ("Who does TD 12-06 apply to?")."""
        return self._mentioned(question, self.policy_references(question))

    def _mentioned(self, question: str, references: list[PolicyReference]) -> list[str]:
        cited = {r.agency_id for r in references}
        spans = [
            (aid, m.start(), m.end()) for aid, name in self._names for m in name.finditer(question)
        ]
        # "LA" names both Los Angeles County agencies, but not inside "LA DCFS",
        # which names one of them.
        named = {
            aid
            for aid, start, end in spans
            if not any(
                other != aid and o_start <= start and end <= o_end and o_end - o_start > end - start
                for other, o_start, o_end in spans
            )
        }
        return [a.id for a in self._agencies.values() if a.id in cited or a.id in named]

    def policy_references(self, question: str) -> list[PolicyReference]:
        """The policies the question cites by number, in any agency."""
        # Staff write "policy 12-15", "Policy #1004", "TD 12-06" or "directive 12-06".
        # A bare "12-15" is too often a range of hours or dates to count.
        found: list[PolicyReference] = []
        for a in self._agencies.values():
            for number, title in a.numbers.items():
                core = next((w for w in reversed(number.split()) if re.search(r"\d", w)), "")
                if not core:
                    continue
                pattern = rf"(?i)(?<![\w.-]){_NUMBER_PREFIX}{re.escape(core)}(?![\w-]|\.\d)"
                found += [
                    PolicyReference(a.id, m.end(), title) for m in re.finditer(pattern, question)
                ]
        return found

    @staticmethod
    def search_text(question: str, references: list[PolicyReference]) -> str:
        """The question with each cited policy number followed by the policy's title.

        "Who does TD 12-06 apply to?" means nothing to the embedding model; "Who
        does TD 12-06 (Department Use of Social Media (Technology Directive)) apply
        to?" matches "This Technology Directive applies to all departments"."""
        # From the end backwards, so earlier positions stay valid.
        for ref in sorted(references, key=lambda r: -r.end):
            question = f"{question[: ref.end]} ({ref.title}){question[ref.end :]}"
        return question

    def covered(self, question: str, hits: list[Hit], cites_policy: bool = False) -> bool:
        """Do the policies address this? A topic word and a real match, or a very close match.

        A question that cites a policy by number is on topic whatever its words. The
        match is the closest of the clauses the answer would quote, not the first of
        them: lexical matches can rank a looser clause first ("quick scroll thru
        facebook at my desk… at DCFS?" ranks a definition of social media, cosine 0.20,
        over "Employees may not use social media during working hours", 0.26)."""
        if not hits:
            return False
        on_topic = cites_policy or bool(_TOPIC & set(tokens(_LIKE_NOT_LIKING.sub(" ", question))))
        bars = self._coverage
        bar = bars.with_topic if on_topic else bars.alone
        if not cites_policy and _HOW_TO.search(question):
            bar = max(bar, bars.how_to)
        # "The lobby metal detector keeps going off. Who do I report that to?": a
        # sentence asking about "that" has no matter of its own, so how near it alone
        # comes to a clause ("please contact …") does not show the policies address
        # the message; the whole message's cosine does (docs/retrieval.md, session 22).
        asked = asking_sentence(question)
        whole = bool(asked) and refers_back(asked)
        return max(_closeness(h, whole) for h in hits[:MAX_CITATIONS]) >= bar

    def answer(self, question: str, agency_id: str | None = None) -> Answer:
        text = clean_question(question)
        if not re.search(r"\w", text):
            raise InputError("Please ask a question in words, e.g. “May I friend a foster parent?”")
        notice = ""
        if len(text) > self._max:
            text = text[: self._max]
            notice = (
                f"Your question was long, so I read its first {self._max} characters. "
                "Ask about one thing at a time for the best answer."
            )
        references = self.policy_references(text)
        scope = [agency_id] if agency_id else self._mentioned(text, references) or None
        employer = [] if scope else employer_agencies(text, list(self._agencies.values()))
        search = self.search_text(text, references)
        hits = self._retriever.retrieve(search, scope, k=12, prefer=employer, precedents=True)
        if not self.covered(text, hits, bool(references)):
            return silent_answer(text, notice)
        # Asked like a question the agency has marked out of scope: its clauses may be
        # close in words ("press release"), but they were judged not to answer it.
        if like := self._retriever.left_open(search):
            return silent_answer(text, notice, asked_like=like.question)
        top = hits[:MAX_CITATIONS]
        citations = [Citation(h.clause, h.score) for h in top]
        verdicts = self._verdicts(hits, citations)
        lines = [f"{v.agency} — {v.label}: {v.summary}" for v in verdicts]
        answer_text = "\n".join(lines)
        if self._reasoner is not None:
            answer_text = self._phrase(text, verdicts, citations) or answer_text
        return Answer(
            question=text,
            covered=True,
            answer=answer_text,
            verdicts=verdicts,
            citations=citations,
            notice=notice,
        )

    def _verdicts(self, hits: list[Hit], citations: list[Citation]) -> list[AgencyVerdict]:
        # Which agencies' rules are close enough to state is judged without the
        # precedents' votes: they say which clause of a policy answers, and one
        # agency's precedent must not hide another agency's rule on the same thing.
        best = max(h.score - h.precedent for h in hits)
        out: list[AgencyVerdict] = []
        seen: set[str] = set()
        cited = {c.id for c in citations}
        for h in hits[:MAX_CITATIONS]:
            agency = h.clause.agency_id
            if agency in seen or h.score - h.precedent < best - AGENCY_MARGIN:
                continue
            seen.add(agency)
            reading = read_clause(h.clause)
            ids = [c.id for c in citations if c.clause.agency_id == agency and c.id in cited]
            out.append(
                AgencyVerdict(
                    agency_id=agency,
                    agency=h.clause.agency,
                    verdict=reading.verdict,
                    summary=summarize(h.clause, reading),
                    citation_ids=ids,
                )
            )
        return out

    def _phrase(
        self, question: str, verdicts: list[AgencyVerdict], citations: list[Citation]
    ) -> str:
        assert self._reasoner is not None
        try:
            raw = self._reasoner.phrase(question, verdicts, citations)
        except Exception:  # the model is optional: its failure must not cost the answer
            log.warning("the language model failed; answering without it", exc_info=True)
            return ""
        return screen(raw, citations)


__all__ = [
    "PACKAGED_COVERAGE",
    "TUNED_COVERAGE",
    "VERDICT_LABELS",
    "Coverage",
    "PolicyAnswerer",
    "silent_answer",
]
