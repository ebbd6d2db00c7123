"""Platform-neutral value types shared by the core and every adapter.

The JSON shapes produced by ``to_json`` are a public contract (CLI ``--json``,
``--batch``, the eval scorer, Slack and Teams renderers): add keys, never rename.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Verdict(StrEnum):
    PROHIBITED = "prohibited"
    ALLOWED_WITH_CONDITIONS = "allowed_with_conditions"
    REQUIRED = "required"
    ALLOWED = "allowed"
    ADVISED_AGAINST = "advised_against"
    INFORMATIONAL = "informational"


# Short labels users read in chat and in the terminal.
VERDICT_LABELS: dict[Verdict, str] = {
    Verdict.PROHIBITED: "Not allowed",
    Verdict.ALLOWED_WITH_CONDITIONS: "Only with permission / conditions",
    Verdict.REQUIRED: "Required",
    Verdict.ALLOWED: "Allowed",
    Verdict.ADVISED_AGAINST: "Advised against",
    Verdict.INFORMATIONAL: "For your information",
}


@dataclass(frozen=True)
class Clause:
    """One quotable unit of a policy: a sentence or a list item.

    ``text`` is always ``cleaned_document[start:end]``: the verbatim quote.
    ``context`` is the lead-in that gives a list item its meaning; it is shown
    beside the quote but never inside it.
    """

    id: str
    policy_id: str
    agency_id: str
    agency: str
    policy: str
    section: str
    context: str
    text: str
    start: int
    end: int
    ordinal: int
    governs: str = "staff"

    def embedding_text(self) -> str:
        """The clause with the words that give it meaning (heading, lead-in)."""
        parts = [self.section, self.context, self.text]
        return " \n".join(p for p in parts if p)

    def embedding_views(self) -> tuple[str, str]:
        """Texts whose embeddings are averaged into the clause's vector.

        In context, a list item means what its lead-in says; alone, its own
        words are not drowned by a long heading. Measured on the golden
        questions, the mean of both ranks the governing clause first more often
        than either view (docs/retrieval.md).
        """
        return self.embedding_text(), self.text


@dataclass(frozen=True)
class Citation:
    clause: Clause
    score: float

    @property
    def id(self) -> str:
        return self.clause.id

    def to_json(self) -> dict[str, Any]:
        c = self.clause
        return {
            "id": c.id,
            "policy_id": c.policy_id,
            "agency_id": c.agency_id,
            "agency": c.agency,
            "policy": c.policy,
            "section": c.section,
            "context": c.context,
            "quote": c.text,
            "score": round(float(self.score), 4),
        }


@dataclass(frozen=True)
class AgencyVerdict:
    agency_id: str
    agency: str
    verdict: Verdict
    summary: str
    citation_ids: list[str]

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    def to_json(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "agency_id": self.agency_id,
            "verdict": self.verdict.value,
            "summary": self.summary,
            "citation_ids": list(self.citation_ids),
        }


@dataclass(frozen=True)
class Guidance:
    """A PIO answer saved for reuse. Never policy text; always labelled as guidance."""

    id: str
    agency_id: str
    question: str
    text: str
    author: str
    created: str
    score: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "agency_id": self.agency_id,
            "question": self.question,
            "text": self.text,
            "author": self.author,
            "created": self.created,
            "score": round(float(self.score), 4),
        }


@dataclass(frozen=True)
class Answer:
    question: str
    covered: bool
    answer: str
    verdicts: list[AgencyVerdict] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    guidance: list[Guidance] = field(default_factory=list)
    # A note for the user about how the question was read (e.g. it was trimmed).
    notice: str = ""
    # When it is silent because it was asked like a question a tuning file leaves open,
    # that question: `policybot eval` names it, so a wrong label can be found.
    asked_like: str = ""

    def citation(self, citation_id: str) -> Citation | None:
        return next((c for c in self.citations if c.id == citation_id), None)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "question": self.question,
            "covered": self.covered,
            "answer": self.answer,
            "verdicts": [v.to_json() for v in self.verdicts],
            "citations": [c.to_json() for c in self.citations],
        }
        if self.guidance:
            out["guidance"] = [g.to_json() for g in self.guidance]
        if self.notice:
            out["notice"] = self.notice
        return out


class Severity(StrEnum):
    VIOLATION = "violation"
    REVIEW = "review"


class CheckVerdict(StrEnum):
    OK = "ok"
    REVIEW = "review"
    VIOLATION = "violation"


@dataclass(frozen=True)
class Evidence:
    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Finding:
    category: str
    severity: Severity
    evidence: Evidence
    explanation: str
    suggestion: str
    citations: list[Citation] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "severity": self.severity.value,
            "evidence": self.evidence.to_json(),
            "explanation": self.explanation,
            "suggestion": self.suggestion,
            "citations": [c.to_json() for c in self.citations],
        }


@dataclass(frozen=True)
class CheckResult:
    verdict: CheckVerdict
    findings: list[Finding] = field(default_factory=list)
    # Said to the user alongside the verdict (e.g. "the draft is not in English").
    notice: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "verdict": self.verdict.value,
            "findings": [f.to_json() for f in self.findings],
        }
        if self.notice:
            out["notice"] = self.notice
        return out


@dataclass(frozen=True)
class AgencyInfo:
    id: str
    name: str
    short_name: str
    policies: list[str]
    aliases: list[str] = field(default_factory=list)
    # The aliases that name the agency only as written ("BEST" is also a word).
    exact_case: list[str] = field(default_factory=list)
    # Document number -> title ("TD 12-06" -> "Department Use of Social Media"):
    # staff cite policies by number, which means nothing to the embedding model.
    numbers: dict[str, str] = field(default_factory=dict)
    # The government the agency belongs to, in the words staff use for its
    # property ("state", "county"): "my state laptop" comes from its staff.
    jurisdiction: list[str] = field(default_factory=list)


class InputError(ValueError):
    """Bad user input; ``str(err)`` is a one-line message fit to show the user."""


class IndexUnavailable(RuntimeError):
    """The policy index cannot be reached (e.g. the Chroma server is down)."""

    USER_MESSAGE = "The policy index is unavailable right now, try again shortly."
