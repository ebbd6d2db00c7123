"""ORM tables. Users appear only as keyed hashes, except where a message must be
delivered back (an open escalation's reply address) or a supervisor report
needs a name (onboarding, which the user starts themselves)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.state.db import Base


class EscalationRow(Base):
    __tablename__ = "escalations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    agency_id: Mapped[str | None] = mapped_column(String(64), index=True)
    question: Mapped[str] = mapped_column(Text)
    asker_hash: Mapped[str] = mapped_column(String(64), index=True)
    # JSON: where to deliver the PIO's answer (Slack channel/thread/user, Teams
    # conversation reference). Cleared once answered.
    reply_to: Mapped[str | None] = mapped_column(Text)
    citation_ids: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # JSON: the PIO channel message (to update it when answered).
    pio_message: Mapped[str | None] = mapped_column(Text)
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answered_by: Mapped[str | None] = mapped_column(String(200))
    answer: Mapped[str | None] = mapped_column(Text)


class GuidanceRow(Base):
    __tablename__ = "guidance"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    agency_id: Mapped[str | None] = mapped_column(String(64), index=True)
    question: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    escalation_id: Mapped[str | None] = mapped_column(String(36))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    retired_by: Mapped[str | None] = mapped_column(String(200))


class FeedbackRow(Base):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(16))
    user_hash: Mapped[str] = mapped_column(String(64), index=True)
    agency_id: Mapped[str | None] = mapped_column(String(64))
    question: Mapped[str] = mapped_column(Text)
    helpful: Mapped[bool] = mapped_column(Boolean)
    citation_ids: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class QuestionEventRow(Base):
    """One asked question (never a draft post), for the PIO's report."""

    __tablename__ = "question_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(16))
    user_hash: Mapped[str] = mapped_column(String(64), index=True)
    agency_id: Mapped[str | None] = mapped_column(String(64), index=True)
    question: Mapped[str] = mapped_column(Text)
    covered: Mapped[bool] = mapped_column(Boolean)
    topics: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of section names
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class OnboardingRow(Base):
    __tablename__ = "onboarding_progress"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    agency_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Shown in the supervisor's completion report.
    user_label: Mapped[str] = mapped_column(String(200))
    step: Mapped[int] = mapped_column(Integer, default=0)
    answers: Mapped[str] = mapped_column(Text, default="{}")  # JSON: quiz item id -> choice
    score: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ProcessedEventRow(Base):
    """Slack event ids already handled, shared by every replica (retry dedupe)."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
