"""Retry writes that must not be lost when the database is briefly unavailable
(SQLite locked by another writer, PostgreSQL restarting)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import OperationalError

log = logging.getLogger(__name__)

T = TypeVar("T")


def with_retries(
    fn: Callable[[], T],
    *,
    attempts: int = 8,
    first_delay: float = 0.2,
    max_delay: float = 5.0,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Call ``fn``; on OperationalError wait (doubling) and call again, ``attempts`` times."""
    delay = first_delay
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except OperationalError as err:
            if attempt == attempts:
                raise
            log.warning(
                "database busy or unreachable (attempt %d/%d): %s; retrying in %.1fs",
                attempt,
                attempts,
                type(err.orig).__name__ if err.orig is not None else "OperationalError",
                delay,
            )
            sleep(delay)
            delay = min(delay * 2, max_delay)
    raise AssertionError("unreachable")
