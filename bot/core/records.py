"""What the bot keeps about its use, and the ports that store it.

Implementations live in ``bot.state`` (SQL) and ``bot.stores`` (vectors); the
core only sees these protocols. Users appear as keyed hashes everywhere except
an open escalation's reply address, which is needed to deliver the answer and
is cleared once it has been delivered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.core.ports import Vectors

OPEN = "open"
ANSWERED = "answered"


@dataclass(frozen=True)
class Escalation:
    id: str
    platform: str
    agency_id: str | None
    question: str
    asker_hash: str
    # Platform data needed to deliver the answer (and to mention the asker).
    reply_to: dict[str, Any] | None
    citation_ids: list[str]
    created_at: datetime
    status: str = OPEN
    pio_message: dict[str, Any] | None = None
    reminded_at: datetime | None = None
    answered_at: datetime | None = None
    answered_by: str | None = None
    answer: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status == OPEN


@dataclass(frozen=True)
class GuidanceRecord:
    id: str
    agency_id: str | None
    question: str
    text: str
    author: str
    created_at: datetime
    escalation_id: str | None = None
    retired_at: datetime | None = None
    retired_by: str | None = None

    @property
    def active(self) -> bool:
        return self.retired_at is None


@dataclass(frozen=True)
class QuestionEvent:
    """One asked question (never a draft post)."""

    platform: str
    user_hash: str
    agency_id: str | None
    question: str
    covered: bool
    topics: list[str]
    created_at: datetime


@dataclass(frozen=True)
class Vote:
    platform: str
    user_hash: str
    agency_id: str | None
    question: str
    helpful: bool
    citation_ids: list[str] = field(default_factory=list)
    created_at: datetime | None = None


class EscalationStore(Protocol):
    def create(self, escalation: Escalation) -> None:
        """Store a new escalation; must not lose it when the database is briefly busy."""
        ...

    def get(self, escalation_id: str) -> Escalation | None: ...

    def set_pio_message(self, escalation_id: str, message: dict[str, Any]) -> None: ...

    def mark_answered(
        self, escalation_id: str, answer: str, answered_by: str, at: datetime
    ) -> Escalation | None:
        """Atomically open -> answered; None when it was not open (already answered)."""
        ...

    def clear_reply_to(self, escalation_id: str) -> None: ...

    def due_reminders(self, cutoff: datetime) -> list[Escalation]:
        """Open escalations created before ``cutoff`` not reminded since ``cutoff``."""
        ...

    def mark_reminded(self, escalation_id: str, at: datetime) -> None: ...

    def since(self, start: datetime | None, agency_id: str | None = None) -> list[Escalation]: ...


class GuidanceRecords(Protocol):
    def add(self, record: GuidanceRecord) -> None: ...

    def get(self, guidance_id: str) -> GuidanceRecord | None: ...

    def for_escalation(self, escalation_id: str) -> GuidanceRecord | None: ...

    def retire(self, guidance_id: str, by: str, at: datetime) -> GuidanceRecord | None:
        """Mark retired; None when unknown or already retired."""
        ...

    def all(self, include_retired: bool = False) -> list[GuidanceRecord]: ...


class GuidanceVectors(Protocol):
    """Embedded guidance questions, kept apart from the policy clauses."""

    def upsert(self, guidance_id: str, agency_id: str | None, vector: Vectors) -> None: ...

    def delete(self, guidance_id: str) -> None: ...

    def search(self, query: Vectors, k: int, agency_id: str | None) -> list[tuple[str, float]]:
        """Nearest guidance ids of exactly this agency scope (cosine, best first)."""
        ...


class QuestionLog(Protocol):
    def record(self, event: QuestionEvent) -> None: ...

    def since(
        self, start: datetime | None, agency_id: str | None = None
    ) -> list[QuestionEvent]: ...


class VoteLog(Protocol):
    def since(self, start: datetime | None, agency_id: str | None = None) -> list[Vote]: ...


def citation_topics(sections: Sequence[str], limit: int = 3) -> list[str]:
    """Distinct section names, best first."""
    out: list[str] = []
    for s in sections:
        if s and s not in out:
            out.append(s)
        if len(out) >= limit:
            break
    return out
