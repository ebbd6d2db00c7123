""" "Helpful" / "Not helpful" votes on answers, from any platform.

A vote keeps the question (never a draft post), the cited clause ids and a
keyed hash of the user id, so feedback can be counted without keeping who.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class Feedback:
    platform: str
    user_hash: str
    question: str
    helpful: bool
    citation_ids: list[str]
    agency_id: str | None
    created: str


class FeedbackRecorder(Protocol):
    def record(self, feedback: Feedback) -> None: ...

    def all(self) -> list[Feedback]: ...


def hash_user(user_id: str, key: bytes) -> str:
    """Keyed hash: stable per user, not reversible without the key."""
    return hmac.new(key, user_id.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def make_feedback(
    *,
    platform: str,
    user_id: str,
    key: bytes,
    question: str,
    helpful: bool,
    citation_ids: list[str],
    agency_id: str | None,
) -> Feedback:
    return Feedback(
        platform=platform,
        user_hash=hash_user(f"{platform}:{user_id}", key),
        question=question[:2000],
        helpful=helpful,
        citation_ids=list(citation_ids),
        agency_id=agency_id,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
    )


class JsonlFeedbackLog:
    """Append-only JSON-lines file in the data dir (replaced by the SQL store later)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()

    def record(self, feedback: Feedback) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(asdict(feedback), ensure_ascii=False)
        with self._lock, self._path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")

    def all(self) -> list[Feedback]:
        if not self._path.exists():
            return []
        with self._path.open(encoding="utf-8") as fh:
            return [Feedback(**json.loads(line)) for line in fh if line.strip()]


class MemoryFeedback:
    def __init__(self) -> None:
        self.items: list[Feedback] = []

    def record(self, feedback: Feedback) -> None:
        self.items.append(feedback)

    def all(self) -> list[Feedback]:
        return list(self.items)
