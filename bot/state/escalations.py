"""Escalations in the state database (implements bot.core.records.EscalationStore)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update

from bot.core.records import ANSWERED, OPEN, Escalation
from bot.state.convert import dumps, loads_dict, loads_list, utc, utc_required
from bot.state.db import Database
from bot.state.retry import with_retries
from bot.state.tables import EscalationRow


def _to_record(row: EscalationRow) -> Escalation:
    return Escalation(
        id=row.id,
        platform=row.platform,
        agency_id=row.agency_id,
        question=row.question,
        asker_hash=row.asker_hash,
        reply_to=loads_dict(row.reply_to),
        citation_ids=loads_list(row.citation_ids),
        created_at=utc_required(row.created_at),
        status=row.status,
        pio_message=loads_dict(row.pio_message),
        reminded_at=utc(row.reminded_at),
        answered_at=utc(row.answered_at),
        answered_by=row.answered_by,
        answer=row.answer,
    )


class SqlEscalations:
    def __init__(self, db: Database, *, attempts: int = 8, first_delay: float = 0.2) -> None:
        self._db = db
        self._attempts = attempts
        self._first_delay = first_delay

    def create(self, escalation: Escalation) -> None:
        def insert() -> None:
            with self._db.session() as s:
                s.add(
                    EscalationRow(
                        id=escalation.id,
                        platform=escalation.platform,
                        agency_id=escalation.agency_id,
                        question=escalation.question,
                        asker_hash=escalation.asker_hash,
                        reply_to=dumps(escalation.reply_to) if escalation.reply_to else None,
                        citation_ids=dumps(escalation.citation_ids),
                        status=escalation.status,
                        created_at=escalation.created_at,
                        pio_message=dumps(escalation.pio_message)
                        if escalation.pio_message
                        else None,
                        reminded_at=escalation.reminded_at,
                        answered_at=escalation.answered_at,
                        answered_by=escalation.answered_by,
                        answer=escalation.answer,
                    )
                )

        # The asker was told nothing yet: wait out a locked or restarting database
        # rather than lose their question.
        with_retries(insert, attempts=self._attempts, first_delay=self._first_delay)

    def get(self, escalation_id: str) -> Escalation | None:
        with self._db.session() as s:
            row = s.get(EscalationRow, escalation_id)
            return _to_record(row) if row is not None else None

    def set_pio_message(self, escalation_id: str, message: dict[str, Any]) -> None:
        with self._db.session() as s:
            s.execute(
                update(EscalationRow)
                .where(EscalationRow.id == escalation_id)
                .values(pio_message=dumps(message))
            )

    def mark_answered(
        self, escalation_id: str, answer: str, answered_by: str, at: datetime
    ) -> Escalation | None:
        with self._db.session() as s:
            # One statement decides the race between two PIOs answering at once.
            result = s.execute(
                update(EscalationRow)
                .where(EscalationRow.id == escalation_id, EscalationRow.status == OPEN)
                .values(status=ANSWERED, answer=answer, answered_by=answered_by, answered_at=at)
            )
            if getattr(result, "rowcount", 0) != 1:
                return None
        return self.get(escalation_id)

    def clear_reply_to(self, escalation_id: str) -> None:
        with self._db.session() as s:
            s.execute(
                update(EscalationRow).where(EscalationRow.id == escalation_id).values(reply_to=None)
            )

    def due_reminders(self, cutoff: datetime) -> list[Escalation]:
        with self._db.session() as s:
            rows = s.scalars(
                select(EscalationRow)
                .where(
                    EscalationRow.status == OPEN,
                    EscalationRow.created_at <= cutoff,
                    or_(EscalationRow.reminded_at.is_(None), EscalationRow.reminded_at <= cutoff),
                )
                .order_by(EscalationRow.created_at)
            ).all()
            return [_to_record(r) for r in rows]

    def mark_reminded(self, escalation_id: str, at: datetime) -> None:
        with self._db.session() as s:
            s.execute(
                update(EscalationRow)
                .where(EscalationRow.id == escalation_id)
                .values(reminded_at=at)
            )

    def since(self, start: datetime | None, agency_id: str | None = None) -> list[Escalation]:
        with self._db.session() as s:
            q = select(EscalationRow).order_by(EscalationRow.created_at)
            if start is not None:
                q = q.where(EscalationRow.created_at >= start)
            if agency_id is not None:
                q = q.where(EscalationRow.agency_id == agency_id)
            return [_to_record(r) for r in s.scalars(q).all()]
