"""Onboarding progress in the state database (the ``onboarding_progress`` table)."""

from __future__ import annotations

import json
import os
import secrets
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.core.onboarding.flow import Progress
from bot.core.onboarding.service import StoredProgress
from bot.state.db import Database
from bot.state.tables import OnboardingRow


def _aware(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything stored is UTC.
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _answers(raw: str | None) -> dict[str, int]:
    try:
        data: Any = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): int(v) for k, v in data.items() if isinstance(v, int)}


def _to_progress(row: OnboardingRow) -> Progress:
    started = _aware(row.started_at)
    assert started is not None
    return Progress(
        agency_id=row.agency_id,
        user_label=row.user_label,
        started_at=started,
        step=row.step,
        answers=_answers(row.answers),
        score=row.score,
        completed_at=_aware(row.completed_at),
    )


def _apply(row: OnboardingRow, progress: Progress) -> None:
    row.user_label = progress.user_label[:200]
    row.step = progress.step
    row.answers = json.dumps(progress.answers, sort_keys=True)
    row.score = progress.score
    row.started_at = progress.started_at
    row.completed_at = progress.completed_at


class SqlProgressStore:
    """``ProgressStore`` over SQLAlchemy; the database is opened on first use."""

    def __init__(self, database: Callable[[], Database]) -> None:
        self._open = database
        self._db: Database | None = None
        # SQLite has no SELECT ... FOR UPDATE: two clicks at once in this process
        # would both read the same step. PostgreSQL replicas rely on the row lock.
        self._write = threading.Lock()
        self._opening = threading.Lock()

    @property
    def db(self) -> Database:
        with self._opening:
            # Opened once: migrations must not run twice at the same time.
            if self._db is None:
                self._db = self._open()
            return self._db

    def modify(
        self,
        platform: str,
        user_hash: str,
        agency_id: str,
        change: Callable[[Progress | None], Progress],
    ) -> Progress:
        with self._write, self.db.session() as s:
            # FOR UPDATE on PostgreSQL: two clicks at once must not both score.
            row = s.execute(
                select(OnboardingRow)
                .where(
                    OnboardingRow.platform == platform,
                    OnboardingRow.user_hash == user_hash,
                    OnboardingRow.agency_id == agency_id,
                )
                .with_for_update()
            ).scalar_one_or_none()
            progress = change(_to_progress(row) if row is not None else None)
            if row is None:
                row = OnboardingRow(platform=platform, user_hash=user_hash, agency_id=agency_id)
                _apply(row, progress)
                s.add(row)
            else:
                _apply(row, progress)
            return progress

    def for_user(self, platform: str, user_hash: str) -> list[Progress]:
        with self.db.session() as s:
            rows = s.scalars(
                select(OnboardingRow).where(
                    OnboardingRow.platform == platform, OnboardingRow.user_hash == user_hash
                )
            ).all()
            return [_to_progress(r) for r in rows]

    def all(self, agency_id: str | None = None) -> list[StoredProgress]:
        query = select(OnboardingRow)
        if agency_id:
            query = query.where(OnboardingRow.agency_id == agency_id)
        with self.db.session() as s:
            return [
                StoredProgress(r.platform, r.user_hash, _to_progress(r))
                for r in s.scalars(query).all()
            ]


def file_key(path: Path) -> Callable[[], bytes]:
    """A per-deployment secret for hashing user ids, kept in a 0600 file.

    The same file Teams keys its vote hashes with (``<data_dir>/feedback.key``),
    read lazily so commands that never hash a user never create it.
    """

    def key() -> bytes:
        if path.exists():
            return path.read_bytes()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_bytes()
        secret = secrets.token_bytes(32)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secret)
        return secret

    return key
