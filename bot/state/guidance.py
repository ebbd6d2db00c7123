"""Guidance records in the state database (implements bot.core.records.GuidanceRecords)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from bot.core.records import GuidanceRecord
from bot.state.convert import utc, utc_required
from bot.state.db import Database
from bot.state.tables import GuidanceRow


def _to_record(row: GuidanceRow) -> GuidanceRecord:
    return GuidanceRecord(
        id=row.id,
        agency_id=row.agency_id,
        question=row.question,
        text=row.text,
        author=row.author,
        created_at=utc_required(row.created_at),
        escalation_id=row.escalation_id,
        retired_at=utc(row.retired_at),
        retired_by=row.retired_by,
    )


class SqlGuidanceRecords:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, record: GuidanceRecord) -> None:
        with self._db.session() as s:
            s.add(
                GuidanceRow(
                    id=record.id,
                    agency_id=record.agency_id,
                    question=record.question,
                    text=record.text,
                    author=record.author,
                    created_at=record.created_at,
                    escalation_id=record.escalation_id,
                )
            )

    def get(self, guidance_id: str) -> GuidanceRecord | None:
        with self._db.session() as s:
            row = s.get(GuidanceRow, guidance_id)
            return _to_record(row) if row is not None else None

    def for_escalation(self, escalation_id: str) -> GuidanceRecord | None:
        with self._db.session() as s:
            row = s.scalars(
                select(GuidanceRow)
                .where(GuidanceRow.escalation_id == escalation_id, GuidanceRow.retired_at.is_(None))
                .limit(1)
            ).first()
            return _to_record(row) if row is not None else None

    def retire(self, guidance_id: str, by: str, at: datetime) -> GuidanceRecord | None:
        with self._db.session() as s:
            result = s.execute(
                update(GuidanceRow)
                .where(GuidanceRow.id == guidance_id, GuidanceRow.retired_at.is_(None))
                .values(retired_at=at, retired_by=by)
            )
            if getattr(result, "rowcount", 0) != 1:
                return None
        return self.get(guidance_id)

    def all(self, include_retired: bool = False) -> list[GuidanceRecord]:
        with self._db.session() as s:
            q = select(GuidanceRow).order_by(GuidanceRow.created_at)
            if not include_retired:
                q = q.where(GuidanceRow.retired_at.is_(None))
            return [_to_record(r) for r in s.scalars(q).all()]
