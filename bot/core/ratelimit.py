"""Per-user rate limit on ask/check, shared by the Slack and Teams adapters.

In memory, per process: each replica counts on its own, so N replicas allow up
to N times the limit. That bounds one user hogging a worker's CPU (each call
embeds and searches); it is not an abuse wall across a fleet.

Adapters say who is asking by running the core call inside ``acting_as(user)``;
the ``contextvars`` value follows ``asyncio.to_thread`` into the worker thread.
Calls with no user (the CLI, batch evaluation) are never limited.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from bot.core.models import InputError

WINDOW_SECONDS = 60.0

_current_user: ContextVar[str | None] = ContextVar("policybot_current_user", default=None)


class RateLimited(InputError):
    """Too many requests from one user; ``str(err)`` is the polite message to show."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        seconds = max(1, math.ceil(retry_after))
        super().__init__(
            "You've sent me a lot of requests in the last minute. "
            f"Please wait about {seconds} seconds and try again."
        )


def current_user() -> str | None:
    return _current_user.get()


@contextmanager
def acting_as(user: str | None) -> Iterator[None]:
    """Core calls made inside this block (and threads started from it) count for ``user``."""
    token = _current_user.set(user or None)
    try:
        yield
    finally:
        _current_user.reset(token)


def set_current_user(user: str | None) -> None:
    """For a request handler whose whole task belongs to one user (tasks copy the context)."""
    _current_user.set(user or None)


class RateLimiter:
    """At most ``per_minute`` calls per user in any sliding 60-second window; 0 = no limit."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, user: str | None) -> None:
        """Count one call by ``user``; raise RateLimited when over the limit (not counted)."""
        if not user or self.per_minute <= 0:
            return
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(user, deque())
            while hits and now - hits[0] >= WINDOW_SECONDS:
                hits.popleft()
            if len(hits) >= self.per_minute:
                raise RateLimited(WINDOW_SECONDS - (now - hits[0]))
            hits.append(now)
            # Forget idle users so the table does not grow with every id ever seen.
            if len(self._hits) > 10_000:
                self._hits = {u: h for u, h in self._hits.items() if h and now - h[-1] < 60}

    def check_current(self) -> None:
        self.hit(current_user())
