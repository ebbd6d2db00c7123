"""Slack event ids seen by any replica (implements bot.slack.dedupe.EventDeduper)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.state.db import Database
from bot.state.tables import ProcessedEventRow

log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


class DbEventDeduper:
    """The primary key decides: the replica whose insert wins handles the event."""

    def __init__(
        self,
        db: Database,
        ttl_seconds: float = 3600.0,
        clock: Callable[[], datetime] = _now,
        purge_every: int = 500,
    ) -> None:
        self._db = db
        self._ttl = timedelta(seconds=ttl_seconds)
        self._clock = clock
        self._purge_every = purge_every
        self._inserts = 0

    def first_time(self, event_id: str) -> bool:
        now = self._clock()
        try:
            with self._db.session() as s:
                s.add(ProcessedEventRow(event_id=event_id[:128], seen_at=now))
        except IntegrityError:
            return False
        except OperationalError:
            # Database unreachable: answering twice beats never answering.
            log.warning("event dedupe unavailable; handling event %s", event_id)
            return True
        self._inserts += 1
        if self._inserts % self._purge_every == 1:
            self.purge()
        return True

    def purge(self) -> int:
        """Forget ids older than the TTL (Slack stops retrying after about an hour)."""
        cutoff = self._clock() - self._ttl
        with self._db.session() as s:
            result = s.execute(delete(ProcessedEventRow).where(ProcessedEventRow.seen_at < cutoff))
            return int(getattr(result, "rowcount", 0) or 0)
