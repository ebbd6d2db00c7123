"""The PIO's summary: what staff asked, where the policies were silent, what
was not helpful, how escalations went. Built from the question log, votes and
escalations only: draft posts are never stored, so they cannot appear here.
Users appear only as keyed hashes (counted, never listed by name)."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.core.records import Escalation, QuestionEvent, Vote

MAX_LISTED = 20


@dataclass(frozen=True)
class Report:
    since: datetime | None
    agency_id: str | None
    generated_at: datetime
    questions_by_agency: dict[str, int]
    distinct_askers: int
    top_topics: list[tuple[str, int]]
    gaps: list[str]
    not_helpful: list[str]
    helpful_votes: int
    not_helpful_votes: int
    escalations: int
    escalations_open: int
    median_hours_to_answer: float | None
    open_escalations: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "agency_id": self.agency_id,
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
            "questions": sum(self.questions_by_agency.values()),
            "questions_by_agency": dict(self.questions_by_agency),
            "distinct_askers": self.distinct_askers,
            "top_topics": [{"topic": t, "count": n} for t, n in self.top_topics],
            "policy_gaps": list(self.gaps),
            "not_helpful": list(self.not_helpful),
            "votes": {"helpful": self.helpful_votes, "not_helpful": self.not_helpful_votes},
            "escalations": {
                "total": self.escalations,
                "open": self.escalations_open,
                "median_hours_to_answer": self.median_hours_to_answer,
                "open_questions": list(self.open_escalations),
            },
        }


def _distinct(items: list[str]) -> list[str]:
    """Each question once (case and spacing ignored), first spelling kept."""
    out: list[str] = []
    keys: set[str] = set()
    for q in items:
        norm = " ".join(q.split())
        if norm and norm.lower() not in keys:
            keys.add(norm.lower())
            out.append(norm)
    return out[:MAX_LISTED]


def build_report(
    questions: list[QuestionEvent],
    votes: list[Vote],
    escalations: list[Escalation],
    *,
    since: datetime | None,
    agency_id: str | None,
    now: datetime,
) -> Report:
    by_agency = Counter(q.agency_id or "all agencies" for q in questions)
    topics = Counter(t for q in questions for t in q.topics)
    hours = [
        (e.answered_at - e.created_at).total_seconds() / 3600
        for e in escalations
        if e.answered_at is not None
    ]
    still_open = [e for e in escalations if e.is_open]
    return Report(
        since=since,
        agency_id=agency_id,
        generated_at=now,
        questions_by_agency=dict(by_agency.most_common()),
        distinct_askers=len({q.user_hash for q in questions}),
        top_topics=topics.most_common(10),
        gaps=_distinct([q.question for q in questions if not q.covered]),
        not_helpful=_distinct([v.question for v in votes if not v.helpful]),
        helpful_votes=sum(1 for v in votes if v.helpful),
        not_helpful_votes=sum(1 for v in votes if not v.helpful),
        escalations=len(escalations),
        escalations_open=len(still_open),
        median_hours_to_answer=round(statistics.median(hours), 1) if hours else None,
        open_escalations=_distinct([e.question for e in still_open]),
    )


def render_text(report: Report) -> str:
    """Plain text (fits a terminal, a Slack message and a Teams message)."""
    scope = f" for {report.agency_id}" if report.agency_id else ""
    period = f" since {report.since.date().isoformat()}" if report.since else ""
    lines = [f"PolicyBot insights{scope}{period}"]
    total = sum(report.questions_by_agency.values())
    lines.append(f"Questions asked: {total} (by {report.distinct_askers} people)")
    for agency, n in report.questions_by_agency.items():
        lines.append(f"  {agency}: {n}")
    lines.append("Most common topics:")
    lines.extend(f"  {t} ({n})" for t, n in report.top_topics)
    if not report.top_topics:
        lines.append("  none yet")
    lines.append("Questions the policies did not cover (policy gaps):")
    lines.extend(f"  - {q}" for q in report.gaps)
    if not report.gaps:
        lines.append("  none")
    lines.append(
        f'"Not helpful" answers: {report.not_helpful_votes} (helpful: {report.helpful_votes})'
    )
    lines.extend(f"  - {q}" for q in report.not_helpful)
    median = (
        f"{report.median_hours_to_answer} h" if report.median_hours_to_answer is not None else "n/a"
    )
    lines.append(
        f"Escalations to the PIO: {report.escalations}, open: {report.escalations_open}, "
        f"median time to answer: {median}"
    )
    lines.extend(f"  open: {q}" for q in report.open_escalations)
    return "\n".join(lines)
