"""Seen-event memory so Slack's retries (X-Slack-Retry-Num) never produce a second answer."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol


class EventDeduper(Protocol):
    def first_time(self, event_id: str) -> bool:
        """Record ``event_id``; True only the first time it is seen (within the TTL)."""
        ...


class MemoryEventDeduper:
    """Bounded, TTL'd, in-process. One replica only: a shared store replaces it to scale out.

    Slack retries an event three times over about an hour; an hour's TTL covers them.
    """

    def __init__(
        self,
        ttl_seconds: float = 3600.0,
        max_size: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl_seconds
        self._max = max_size
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, event_id: str) -> bool:
        now = self._clock()
        with self._lock:
            while self._seen:
                oldest, at = next(iter(self._seen.items()))
                if now - at < self._ttl and len(self._seen) < self._max:
                    break
                del self._seen[oldest]
            if event_id in self._seen:
                return False
            self._seen[event_id] = now
            return True
