"""Feedback votes in the state database (a FeedbackRecorder and a VoteLog)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.core.feedback import Feedback
from bot.core.records import Vote
from bot.state.convert import dumps, loads_list, utc_required
from bot.state.db import Database
from bot.state.tables import FeedbackRow


def _created(feedback: Feedback) -> datetime:
    try:
        parsed = datetime.fromisoformat(feedback.created)
    except ValueError:
        return datetime.now(UTC)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class SqlFeedback:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, feedback: Feedback) -> None:
        with self._db.session() as s:
            s.add(
                FeedbackRow(
                    platform=feedback.platform,
                    user_hash=feedback.user_hash,
                    agency_id=feedback.agency_id,
                    question=feedback.question,
                    helpful=feedback.helpful,
                    citation_ids=dumps(feedback.citation_ids),
                    created_at=_created(feedback),
                )
            )

    def all(self) -> list[Feedback]:
        with self._db.session() as s:
            rows = s.scalars(select(FeedbackRow).order_by(FeedbackRow.id)).all()
            return [
                Feedback(
                    platform=r.platform,
                    user_hash=r.user_hash,
                    question=r.question,
                    helpful=r.helpful,
                    citation_ids=loads_list(r.citation_ids),
                    agency_id=r.agency_id,
                    created=utc_required(r.created_at).isoformat(timespec="seconds"),
                )
                for r in rows
            ]

    def since(self, start: datetime | None, agency_id: str | None = None) -> list[Vote]:
        with self._db.session() as s:
            q = select(FeedbackRow).order_by(FeedbackRow.id)
            if start is not None:
                q = q.where(FeedbackRow.created_at >= start)
            if agency_id is not None:
                q = q.where(FeedbackRow.agency_id == agency_id)
            return [
                Vote(
                    platform=r.platform,
                    user_hash=r.user_hash,
                    agency_id=r.agency_id,
                    question=r.question,
                    helpful=r.helpful,
                    citation_ids=loads_list(r.citation_ids),
                    created_at=utc_required(r.created_at),
                )
                for r in s.scalars(q).all()
            ]
