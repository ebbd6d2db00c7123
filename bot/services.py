"""The state-backed services (escalations, guidance, feedback, question log, dedupe),
built once per process from Settings by the composition root and passed to adapters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.core.escalation import EscalationDesk
from bot.core.guidance import GuidanceLibrary
from bot.core.insights import Report, build_report
from bot.core.ports import Embedder
from bot.core.records import GuidanceVectors
from bot.settings import Settings
from bot.state.db import Database
from bot.state.escalations import SqlEscalations
from bot.state.events import DbEventDeduper
from bot.state.feedback import SqlFeedback
from bot.state.forget import Forgotten, forget_user
from bot.state.guidance import SqlGuidanceRecords
from bot.state.questions import SqlQuestionLog
from bot.userkey import load_user_key


@dataclass
class Services:
    settings: Settings
    db: Database
    user_key: bytes
    escalations: SqlEscalations
    desk: EscalationDesk
    guidance: GuidanceLibrary | None
    feedback: SqlFeedback
    questions: SqlQuestionLog
    deduper: DbEventDeduper

    def report(
        self,
        since: datetime | None = None,
        agency_id: str | None = None,
        now: datetime | None = None,
    ) -> Report:
        return build_report(
            self.questions.since(since, agency_id),
            self.feedback.since(since, agency_id),
            self.escalations.since(since, agency_id),
            since=since,
            agency_id=agency_id,
            now=now or datetime.now(UTC),
        )

    def forget(self, user: str) -> Forgotten:
        return forget_user(self.db, user, self.user_key)

    def close(self) -> None:
        self.db.close()


def build_guidance_vectors(settings: Settings) -> GuidanceVectors:
    from bot.stores.guidance_vectors import ChromaGuidanceVectors

    if settings.chroma_url:
        return ChromaGuidanceVectors.http(settings.chroma_url, settings.guidance_collection)
    return ChromaGuidanceVectors.persistent(settings.chroma_dir, settings.guidance_collection)


def build_services(
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    guidance_vectors: GuidanceVectors | None = None,
    db: Database | None = None,
) -> Services:
    """Guidance needs an embedder; without one, answers are never saved as guidance."""
    db = db or Database.open(settings.state_url)
    key = load_user_key(settings)
    guidance: GuidanceLibrary | None = None
    if embedder is not None:
        guidance = GuidanceLibrary(
            SqlGuidanceRecords(db),
            guidance_vectors or build_guidance_vectors(settings),
            embedder,
            min_score=settings.guidance_min_score,
        )
    escalations = SqlEscalations(db)
    return Services(
        settings=settings,
        db=db,
        user_key=key,
        escalations=escalations,
        desk=EscalationDesk(
            escalations, key, guidance, reminder_hours=settings.escalation_reminder_hours
        ),
        guidance=guidance,
        feedback=SqlFeedback(db),
        questions=SqlQuestionLog(db),
        deduper=DbEventDeduper(db),
    )
