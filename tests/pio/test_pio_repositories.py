"""The SQL repositories behind the core's ports, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta

from bot.core.feedback import hash_user, make_feedback
from bot.core.records import Escalation, GuidanceRecord, QuestionEvent
from bot.state.db import Database
from bot.state.escalations import SqlEscalations
from bot.state.events import DbEventDeduper
from bot.state.feedback import SqlFeedback
from bot.state.forget import forget_user
from bot.state.guidance import SqlGuidanceRecords
from bot.state.questions import SqlQuestionLog
from bot.state.tables import OnboardingRow

KEY = b"k" * 32
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def uid() -> str:
    return uuid.uuid4().hex[:12]


def escalation(agency: str, created: datetime, asker: str = "h") -> Escalation:
    return Escalation(
        id=uid(),
        platform="slack",
        agency_id=agency,
        question="Can I livestream?",
        asker_hash=asker,
        reply_to={"user": "U1", "channel": "D1"},
        citation_ids=["ma-dys-01:abc"],
        created_at=created,
    )


def test_escalation_is_answered_once_with_who_and_when(db: Database) -> None:
    store = SqlEscalations(db)
    e = escalation(uid(), T0)
    store.create(e)
    got = store.get(e.id)
    assert got == e  # round-trips, timezone included
    assert got is not None and got.reply_to == {"user": "U1", "channel": "D1"}
    done = store.mark_answered(e.id, "No.", "Pat PIO", T0 + timedelta(hours=2))
    assert done is not None and done.status == "answered" and done.answered_by == "Pat PIO"
    assert done.answered_at == T0 + timedelta(hours=2)
    assert store.mark_answered(e.id, "Yes.", "Other PIO", T0 + timedelta(hours=3)) is None
    final = store.get(e.id)
    assert final is not None and final.answer == "No." and final.answered_by == "Pat PIO"
    store.clear_reply_to(e.id)
    assert store.get(e.id).reply_to is None  # type: ignore[union-attr]
    store.set_pio_message(e.id, {"channel": "CPIO", "ts": "1.2"})
    assert store.get(e.id).pio_message == {"channel": "CPIO", "ts": "1.2"}  # type: ignore[union-attr]
    # Every field of a new record is kept, not only the ones a fresh escalation has.
    full = dataclasses.replace(
        escalation(uid(), T0),
        pio_message={"conversation": "19:x", "service_url": "http://b/"},
        reminded_at=T0 + timedelta(hours=1),
    )
    store.create(full)
    assert store.get(full.id) == full


def test_due_reminders_skip_answered_recent_and_recently_reminded(db: Database) -> None:
    store = SqlEscalations(db)
    agency = uid()
    old, recent, answered = (
        escalation(agency, T0),
        escalation(agency, T0 + timedelta(hours=30)),
        escalation(agency, T0),
    )
    for e in (old, recent, answered):
        store.create(e)
    store.mark_answered(answered.id, "x", "p", T0)
    mine = {old.id, recent.id, answered.id}
    cutoff = T0 + timedelta(hours=25)
    assert [e.id for e in store.due_reminders(cutoff) if e.id in mine] == [old.id]
    store.mark_reminded(old.id, T0 + timedelta(hours=25, minutes=1))
    assert [e.id for e in store.due_reminders(cutoff) if e.id in mine] == []
    later = T0 + timedelta(hours=50)
    assert {e.id for e in store.due_reminders(later) if e.id in mine} == {old.id, recent.id}
    assert {e.id for e in store.since(None, agency)} == mine
    assert store.since(T0 + timedelta(hours=1), agency) == [recent]


def test_guidance_records_retire_once(db: Database) -> None:
    records = SqlGuidanceRecords(db)
    esc = uid()
    r = GuidanceRecord(uid(), "ma-dys", "q?", "answer", "Pat", T0, escalation_id=esc)
    records.add(r)
    assert records.get(r.id) == r and records.for_escalation(esc) == r
    retired = records.retire(r.id, "Sam", T0 + timedelta(days=1))
    assert retired is not None and not retired.active and retired.retired_by == "Sam"
    assert records.retire(r.id, "Sam", T0) is None
    assert r.id not in {x.id for x in records.all()}
    assert r.id in {x.id for x in records.all(include_retired=True)}
    assert records.for_escalation(esc) is None


def test_feedback_and_question_log_keep_hashes_not_ids(db: Database) -> None:
    agency = uid()
    fb = SqlFeedback(db)
    vote = make_feedback(
        platform="teams",
        user_id="aad-1",
        key=KEY,
        question="Q?",
        helpful=False,
        citation_ids=["a:1"],
        agency_id=agency,
    )
    fb.record(vote)
    [got] = fb.since(None, agency)
    assert got.helpful is False and got.citation_ids == ["a:1"]
    assert got.user_hash == hash_user("teams:aad-1", KEY) and "aad-1" not in got.user_hash
    log = SqlQuestionLog(db)
    event = QuestionEvent("slack", hash_user("slack:U9", KEY), agency, "Q?", False, ["Photos"], T0)
    log.record(event)
    assert log.since(None, agency) == [event]
    assert log.since(T0 + timedelta(seconds=1), agency) == []


def test_event_dedupe_is_shared_between_replicas(db: Database) -> None:
    other_replica = Database(db.engine)  # same database, its own sessions
    clock = [T0]
    a = DbEventDeduper(db, ttl_seconds=3600, clock=lambda: clock[0])
    b = DbEventDeduper(other_replica, ttl_seconds=3600, clock=lambda: clock[0])
    event = "Ev" + uid()
    assert a.first_time(event) is True
    assert b.first_time(event) is False  # Slack's retry reached the other replica
    assert a.first_time(event) is False
    clock[0] = T0 + timedelta(hours=2)
    assert a.purge() >= 1
    assert b.first_time(event) is True  # long past Slack's retries: a new delivery


def test_forget_removes_one_users_rows_and_counts_them(db: Database) -> None:
    user, other = f"slack:U{uid()}", f"slack:U{uid()}"
    h, h2 = hash_user(user, KEY), hash_user(other, KEY)
    SqlQuestionLog(db).record(QuestionEvent("slack", h, None, "Q1", True, [], T0))
    SqlQuestionLog(db).record(QuestionEvent("slack", h, None, "Q2", False, [], T0))
    SqlQuestionLog(db).record(QuestionEvent("slack", h2, None, "Q3", True, [], T0))
    SqlFeedback(db).record(
        make_feedback(
            platform="slack",
            user_id=user.split(":")[1],
            key=KEY,
            question="Q1",
            helpful=True,
            citation_ids=[],
            agency_id=None,
        )
    )
    SqlEscalations(db).create(escalation("ma-dys", T0, asker=h))
    SqlEscalations(db).create(escalation("ma-dys", T0, asker=h2))
    with db.session() as s:
        s.add(
            OnboardingRow(
                platform="slack",
                user_hash=h,
                agency_id="ma-dys",
                user_label="Casey",
                step=1,
                answers="{}",
                score=0,
                started_at=T0,
            )
        )
    gone = forget_user(db, user, KEY)
    assert (gone.questions, gone.feedback, gone.escalations, gone.onboarding) == (2, 1, 1, 1)
    assert gone.total == 5
    assert [q.question for q in SqlQuestionLog(db).since(None) if q.user_hash == h2] == ["Q3"]
    assert [e for e in SqlEscalations(db).since(None) if e.asker_hash == h] == []
    assert forget_user(db, user, KEY).total == 0


def test_a_bare_postgresql_url_uses_psycopg3() -> None:
    from bot.state.db import normalize_url

    assert normalize_url("postgresql://u:p@db:5432/x") == "postgresql+psycopg://u:p@db:5432/x"
    assert normalize_url("postgres://u@db/x") == "postgresql+psycopg://u@db/x"
    assert normalize_url("postgresql+psycopg://u@db/x") == "postgresql+psycopg://u@db/x"
    assert normalize_url("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"
