"""The SQL onboarding progress store over the migrated schema, on SQLite and (when
POLICYBOT_TEST_DATABASE_URL is set) PostgreSQL."""

from __future__ import annotations

import os
import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.onboarding.flow import Progress
from bot.state.db import Database, sqlite_url
from bot.state.onboarding import SqlProgressStore, file_key

T0 = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path)
    url = os.environ.get("POLICYBOT_TEST_DATABASE_URL")
    if not url:
        pytest.skip("POLICYBOT_TEST_DATABASE_URL not set")
    return url


def test_progress_round_trips_and_is_found_by_user_and_agency(db_url: str) -> None:
    store = SqlProgressStore(lambda: Database.open(db_url))
    user = uuid.uuid4().hex  # PostgreSQL runs may share a database: unique users
    seen: list[Progress | None] = []

    def first(current: Progress | None) -> Progress:
        seen.append(current)
        return Progress("ct-dcf", "Casey", T0, step=3, answers={"q1": 1})

    store.modify("slack", user, "ct-dcf", first)
    assert seen == [None]

    def finish(current: Progress | None) -> Progress:
        assert current is not None
        seen.append(current)
        return Progress(
            "ct-dcf", "Casey W.", current.started_at, 17, {"q1": 1, "q2": 0}, 6, T0 + timedelta(1)
        )

    done = store.modify("slack", user, "ct-dcf", finish)
    assert seen[1] == Progress("ct-dcf", "Casey", T0, step=3, answers={"q1": 1})
    store.modify("teams", user, "ma-dys", lambda p: Progress("ma-dys", "Casey", T0))

    [back] = store.for_user("slack", user)
    assert back == done and back.completed_at is not None and back.completed_at.tzinfo
    mine = [s for s in store.all("ct-dcf") if s.user_hash == user]
    assert [(s.platform, s.progress.score) for s in mine] == [("slack", 6)]
    assert {s.platform for s in store.all() if s.user_hash == user} == {"slack", "teams"}
    store.db.close()


def test_user_key_file_is_created_once_private_and_stable(tmp_path: Path) -> None:
    key = file_key(tmp_path / "d" / "feedback.key")
    first = key()
    assert len(first) == 32 and key() == first
    assert (tmp_path / "d" / "feedback.key").stat().st_mode & 0o077 == 0


def test_clicks_at_the_same_time_are_not_lost(db_url: str) -> None:
    """Each modify sees the previous one's result, even from several threads at once."""
    store = SqlProgressStore(lambda: Database.open(db_url))
    user = uuid.uuid4().hex
    store.modify("slack", user, "ct-dcf", lambda p: Progress("ct-dcf", "Casey", T0))

    def bump(current: Progress | None) -> Progress:
        assert current is not None
        return Progress("ct-dcf", "Casey", current.started_at, step=current.step + 1)

    def clicks() -> None:
        for _ in range(25):
            store.modify("slack", user, "ct-dcf", bump)

    threads = [threading.Thread(target=clicks) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    [progress] = store.for_user("slack", user)
    assert progress.step == 100
    store.db.close()
