"""No lost escalation while the database is briefly unavailable (issue 8)."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from bot.core.records import Escalation
from bot.state.db import Database, sqlite_url
from bot.state.escalations import SqlEscalations
from bot.state.retry import with_retries
from tests.pio.db_urls import PG_ENV


def new_escalation(i: str) -> Escalation:
    return Escalation(
        id=f"lock-{i}-{time.time_ns() % 10**9}",
        platform="teams",
        agency_id="ct-dcf",
        question="May I reply to a reporter on X?",
        asker_hash="h",
        reply_to={"user_id": "29:1"},
        citation_ids=[],
        created_at=datetime.now(UTC),
    )


def release_later(release: threading.Event, done: threading.Event, fn: object) -> threading.Thread:
    def run() -> None:
        release.wait(5)
        fn()  # type: ignore[operator]
        done.set()

    t = threading.Thread(target=run)
    t.start()
    return t


def test_escalation_lands_after_a_sqlite_lock_is_released(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    url = sqlite_url(tmp_path)
    Database.open(url).close()
    # No busy-wait on this engine: the lock surfaces at once as OperationalError,
    # so it is the retry with backoff that saves the escalation.
    db = Database(create_engine(url, connect_args={"timeout": 0}))
    store = SqlEscalations(db, attempts=12, first_delay=0.05)
    locker = sqlite3.connect(url.split("///", 1)[1], isolation_level=None, check_same_thread=False)
    locker.execute("BEGIN EXCLUSIVE")
    released = threading.Event()
    start_release = threading.Event()

    def unlock() -> None:
        locker.execute("COMMIT")

    # Release once the first attempt has failed (seen in the log), not after a fixed time.
    class Trigger(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "database busy" in record.getMessage():
                start_release.set()

    trigger = Trigger()
    logging.getLogger("bot.state.retry").addHandler(trigger)
    try:
        thread = release_later(start_release, released, unlock)
        e = new_escalation("sqlite")
        store.create(e)
        thread.join()
    finally:
        logging.getLogger("bot.state.retry").removeHandler(trigger)
        locker.close()
    assert released.is_set()  # the lock was really held during the first attempt
    assert "database busy or unreachable" in caplog.text
    assert store.get(e.id) == e
    db.close()


def test_escalation_lands_after_a_postgresql_lock_is_released(
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} not set")
    caplog.set_level(logging.WARNING)
    Database.open(url).close()
    # lock_timeout turns "waiting for the lock" into the error a restart or lock produces.
    db = Database(create_engine(url, connect_args={"options": "-c lock_timeout=50"}))
    store = SqlEscalations(db, attempts=12, first_delay=0.05)
    locker_engine = create_engine(url)
    conn = locker_engine.connect()
    trans = conn.begin()
    conn.execute(text("LOCK TABLE escalations IN ACCESS EXCLUSIVE MODE"))
    start_release, released = threading.Event(), threading.Event()

    class Trigger(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "database busy" in record.getMessage():
                start_release.set()

    trigger = Trigger()
    logging.getLogger("bot.state.retry").addHandler(trigger)
    try:
        thread = release_later(start_release, released, trans.commit)
        e = new_escalation("pg")
        store.create(e)
        thread.join()
    finally:
        logging.getLogger("bot.state.retry").removeHandler(trigger)
        conn.close()
        locker_engine.dispose()
    assert released.is_set()
    assert store.get(e.id) == e
    db.close()


def test_retries_double_the_wait_and_give_up_after_the_last_attempt() -> None:
    waits: list[float] = []
    calls = {"n": 0}

    def flaky() -> str:
        calls["n"] += 1
        if calls["n"] < 4:
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        return "stored"

    assert with_retries(flaky, attempts=5, first_delay=0.1, sleep=waits.append) == "stored"
    assert waits == [0.1, 0.2, 0.4]

    def down() -> None:
        raise OperationalError("INSERT", {}, Exception("server closed the connection"))

    with pytest.raises(OperationalError):
        with_retries(down, attempts=3, first_delay=0.1, sleep=waits.append)
