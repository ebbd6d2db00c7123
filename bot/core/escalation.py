"""Questions sent to the agency's Public Information Officer (PIO), and their answers.

Platform-neutral: adapters post and deliver the messages; this holds the rules
(one answer per escalation, who answered and when, guidance saved from answers,
which escalations are due a reminder).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.core.feedback import hash_user
from bot.core.guidance import GuidanceLibrary
from bot.core.records import Escalation, EscalationStore, GuidanceRecord

MAX_QUESTION_CHARS = 2000
MAX_ANSWER_CHARS = 3000

NOT_SET_UP = (
    "Escalation to the PIO is not set up here yet, so I could not send your question. "
    "Ask your administrator to set {setting}, or contact your PIO directly."
)


def _now() -> datetime:
    return datetime.now(UTC)


class EscalationError(Exception):
    """Something the PIO or asker should be told; ``str(err)`` is the message."""


class AlreadyAnswered(EscalationError):
    def __init__(self, escalation: Escalation) -> None:
        when = (
            escalation.answered_at.strftime("%Y-%m-%d %H:%M UTC") if escalation.answered_at else ""
        )
        super().__init__(
            f"This question was already answered by {escalation.answered_by or 'a PIO'}"
            + (f" on {when}." if when else ".")
        )
        self.escalation = escalation


@dataclass(frozen=True)
class Answered:
    escalation: Escalation
    # Where to deliver the answer (the reply address, read before it is cleared).
    reply_to: dict[str, Any]


class EscalationDesk:
    def __init__(
        self,
        store: EscalationStore,
        user_key: bytes,
        guidance: GuidanceLibrary | None = None,
        reminder_hours: float = 24.0,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self.store = store
        self.guidance = guidance
        self._key = user_key
        self._reminder = timedelta(hours=reminder_hours)
        self._clock = clock

    @property
    def reminder_hours(self) -> float:
        return self._reminder.total_seconds() / 3600

    def user_hash(self, platform: str, user_id: str) -> str:
        return hash_user(f"{platform}:{user_id}", self._key)

    def open(
        self,
        *,
        platform: str,
        user_id: str,
        question: str,
        agency_id: str | None,
        citation_ids: Sequence[str],
        reply_to: dict[str, Any],
    ) -> Escalation:
        if not question.strip():
            raise EscalationError("There is no question to send to the PIO.")
        escalation = Escalation(
            id=uuid.uuid4().hex[:12],
            platform=platform,
            agency_id=agency_id,
            question=question[:MAX_QUESTION_CHARS],
            asker_hash=self.user_hash(platform, user_id),
            reply_to=dict(reply_to),
            citation_ids=list(citation_ids)[:50],
            created_at=self._clock(),
        )
        self.store.create(escalation)
        return escalation

    def get(self, escalation_id: str) -> Escalation:
        escalation = self.store.get(escalation_id)
        if escalation is None:
            raise EscalationError("I cannot find that escalation any more.")
        return escalation

    def posted(self, escalation_id: str, message: dict[str, Any]) -> None:
        self.store.set_pio_message(escalation_id, message)

    def answer(self, escalation_id: str, text: str, answered_by: str) -> Answered:
        text = text.strip()
        if not text:
            raise EscalationError("Type an answer first.")
        if len(text) > MAX_ANSWER_CHARS:
            raise EscalationError(f"Keep the answer under {MAX_ANSWER_CHARS} characters.")
        before = self.get(escalation_id)
        if not before.is_open:
            raise AlreadyAnswered(before)
        done = self.store.mark_answered(escalation_id, text, answered_by, self._clock())
        if done is None:  # someone else answered between the read and the update
            raise AlreadyAnswered(self.get(escalation_id))
        return Answered(done, before.reply_to or {})

    def delivered(self, escalation_id: str) -> None:
        """The answer reached the asker: forget where they were."""
        self.store.clear_reply_to(escalation_id)

    def save_guidance(self, escalation_id: str, author: str) -> GuidanceRecord:
        if self.guidance is None:
            raise EscalationError("Saving guidance is not available on this deployment.")
        escalation = self.get(escalation_id)
        if escalation.is_open or not escalation.answer:
            raise EscalationError("Answer the question before saving it as guidance.")
        return self.guidance.save(
            question=escalation.question,
            text=escalation.answer,
            author=author,
            agency_id=escalation.agency_id,
            escalation_id=escalation.id,
        )

    def retire_guidance(self, guidance_id: str, by: str) -> GuidanceRecord:
        if self.guidance is None:
            raise EscalationError("Guidance is not available on this deployment.")
        record = self.guidance.retire(guidance_id, by)
        if record is None:
            current = self.guidance.get(guidance_id)
            if current is None:
                raise EscalationError("I cannot find that guidance.")
            raise EscalationError(f"That guidance was already retired by {current.retired_by}.")
        return record

    def due_reminders(self, platform: str | None = None) -> list[Escalation]:
        cutoff = self._clock() - self._reminder
        due = self.store.due_reminders(cutoff)
        return [e for e in due if platform is None or e.platform == platform]

    def reminded(self, escalation_id: str) -> None:
        self.store.mark_reminded(escalation_id, self._clock())
