"""The question log (asked questions only, never drafts) in the state database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.core.records import QuestionEvent
from bot.state.convert import dumps, loads_list, utc_required
from bot.state.db import Database
from bot.state.tables import QuestionEventRow


class SqlQuestionLog:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, event: QuestionEvent) -> None:
        with self._db.session() as s:
            s.add(
                QuestionEventRow(
                    platform=event.platform,
                    user_hash=event.user_hash,
                    agency_id=event.agency_id,
                    question=event.question,
                    covered=event.covered,
                    topics=dumps(event.topics),
                    created_at=event.created_at,
                )
            )

    def since(self, start: datetime | None, agency_id: str | None = None) -> list[QuestionEvent]:
        with self._db.session() as s:
            q = select(QuestionEventRow).order_by(QuestionEventRow.id)
            if start is not None:
                q = q.where(QuestionEventRow.created_at >= start)
            if agency_id is not None:
                q = q.where(QuestionEventRow.agency_id == agency_id)
            return [
                QuestionEvent(
                    platform=r.platform,
                    user_hash=r.user_hash,
                    agency_id=r.agency_id,
                    question=r.question,
                    covered=r.covered,
                    topics=loads_list(r.topics),
                    created_at=utc_required(r.created_at),
                )
                for r in s.scalars(q).all()
            ]
