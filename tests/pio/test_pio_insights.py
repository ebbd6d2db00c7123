"""The PIO's report, reminders and weekly summary, on real questions through the
real Assistant; drafts checked alongside never show up anywhere."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.app import Runtime
from bot.cli.main import main
from bot.core.escalation import EscalationDesk
from bot.core.feedback import hash_user, make_feedback
from bot.core.insights import render_text
from bot.core.ports import Embedder
from bot.core.records import Escalation
from bot.pio import post_weekly_summary, send_reminders
from bot.services import Services, build_services
from bot.stores.guidance_vectors import MemoryGuidanceVectors
from tests.conftest import make_settings
from tests.pio.support import assistant_over

DRAFT_MARKER = "Qzmarker7731"
DRAFT = f"So proud of {DRAFT_MARKER} Jaylen, 15, our foster youth, at Lincoln High today!"
COVERED = "Can I accept a friend request from the mother of a youth?"
SILENT = "Where do I park my car at the regional office?"
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class RecordingNotifier:
    def __init__(self) -> None:
        self.reminded: list[str] = []
        self.summaries: list[str] = []

    async def remind(self, escalation: Escalation) -> bool:
        self.reminded.append(escalation.id)
        return True

    async def post_summary(self, text: str) -> bool:
        self.summaries.append(text)
        return True


@pytest.fixture
def services(tmp_path: Path, embedder: Embedder) -> Services:
    settings = make_settings(tmp_path)
    return build_services(settings, embedder=embedder, guidance_vectors=MemoryGuidanceVectors())


def fill(services: Services, runtime: Runtime, tmp_path: Path) -> None:
    assistant = assistant_over(runtime, make_settings(tmp_path), services)
    assistant.ask(COVERED, "ma-dys", asker="slack:UCASEY01")
    assistant.ask(COVERED, "ma-dys", asker="teams:aad-robin")
    assistant.ask(SILENT, "ma-dys", asker="slack:UCASEY01")
    assistant.ask(COVERED, "ct-dcf", asker="slack:UCASEY01")
    assistant.ask("Can I check this draft?", "ma-dys")  # no asker (CLI): not logged
    for _ in range(2):  # drafts are checked but never logged
        # A refusal is fine too: only what is kept matters here.
        with contextlib.suppress(Exception):
            assistant.check(DRAFT, "ma-dys")
    services.feedback.record(
        make_feedback(
            platform="slack",
            user_id="UCASEY01",
            key=services.user_key,
            question=SILENT,
            helpful=False,
            citation_ids=[],
            agency_id="ma-dys",
        )
    )
    clock = Clock(T0)
    desk = EscalationDesk(services.escalations, services.user_key, clock=clock)
    answered = desk.open(
        platform="slack",
        user_id="UCASEY01",
        question=SILENT,
        agency_id="ma-dys",
        citation_ids=[],
        reply_to={"user": "UCASEY01"},
    )
    desk.open(
        platform="teams",
        user_id="aad-robin",
        question="Can I go live on TikTok?",
        agency_id="ma-dys",
        citation_ids=[],
        reply_to={"user_id": "29:1"},
    )
    clock.now = T0 + timedelta(hours=3)
    desk.answer(answered.id, "Ask facilities.", "Pat PIO")


def test_report_counts_gaps_votes_escalations_and_holds_no_draft(
    services: Services, runtime: Runtime, tmp_path: Path
) -> None:
    fill(services, runtime, tmp_path)
    report = services.report()
    data = report.to_json()
    assert data["questions"] == 4 and data["questions_by_agency"] == {"ma-dys": 3, "ct-dcf": 1}
    assert data["distinct_askers"] == 2
    assert SILENT in data["policy_gaps"] and COVERED not in data["policy_gaps"]
    assert data["top_topics"] and all(t["count"] >= 1 for t in data["top_topics"])
    assert data["not_helpful"] == [SILENT] and data["votes"] == {"helpful": 0, "not_helpful": 1}
    assert data["escalations"]["total"] == 2 and data["escalations"]["open"] == 1
    assert data["escalations"]["median_hours_to_answer"] == 3.0
    rendered = render_text(report)
    dumped = json.dumps(data) + rendered
    assert DRAFT_MARKER not in dumped and "UCASEY01" not in dumped and "aad-robin" not in dumped
    # Nor anywhere in the database.
    with services.db.session() as s:
        for table in ("question_events", "feedback", "escalations", "guidance"):
            rows = s.execute(text(f"SELECT * FROM {table}")).all()
            assert DRAFT_MARKER not in repr(rows)
            assert "UCASEY01" not in repr([r for r in rows if table != "escalations"])
    only_ct = services.report(agency_id="ct-dcf").to_json()
    assert only_ct["questions"] == 1 and only_ct["escalations"]["total"] == 0
    later = services.report(since=datetime.now(UTC) + timedelta(days=1)).to_json()
    assert later["questions"] == 0


def test_cli_report_json_and_forget(
    services: Services,
    runtime: Runtime,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fill(services, runtime, tmp_path)
    monkeypatch.setenv("POLICYBOT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("POLICYBOT_DATABASE_URL", raising=False)
    monkeypatch.delenv("POLICYBOT_HASH_KEY", raising=False)
    assert main(["report", "--json", "--agency", "ma-dys"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["questions"] == 3 and DRAFT_MARKER not in json.dumps(out)
    assert main(["forget", "slack:UCASEY01"]) == 0
    said = capsys.readouterr().out
    # 3 questions, 1 vote, 1 escalation were Casey's.
    assert "Removed 5 records" in said
    h = hash_user("slack:UCASEY01", services.user_key)
    assert all(q.user_hash != h for q in services.questions.since(None))
    assert services.report().to_json()["questions"] == 1
    assert main(["forget", "UCASEY01"]) == 2  # platform missing: usage error


async def test_reminders_repost_open_escalations_once_per_period(services: Services) -> None:
    clock = Clock(T0)
    desk = EscalationDesk(services.escalations, services.user_key, reminder_hours=24, clock=clock)
    waiting = desk.open(
        platform="slack",
        user_id="U1",
        question="Can I go live?",
        agency_id="ma-dys",
        citation_ids=[],
        reply_to={"user": "U1"},
    )
    answered = desk.open(
        platform="slack",
        user_id="U2",
        question="Can I tweet?",
        agency_id="ma-dys",
        citation_ids=[],
        reply_to={"user": "U2"},
    )
    on_teams = desk.open(
        platform="teams",
        user_id="aad",
        question="Can I post?",
        agency_id=None,
        citation_ids=[],
        reply_to={},
    )
    desk.answer(answered.id, "No.", "Pat")
    slack, teams = RecordingNotifier(), RecordingNotifier()
    notifiers = {"slack": slack, "teams": teams}
    clock.now = T0 + timedelta(hours=23)
    assert await send_reminders(desk, notifiers) == 0
    clock.now = T0 + timedelta(hours=25)
    assert await send_reminders(desk, notifiers) == 2
    assert slack.reminded == [waiting.id] and teams.reminded == [on_teams.id]
    assert await send_reminders(desk, notifiers) == 0  # just reminded
    clock.now = T0 + timedelta(hours=50)
    assert await send_reminders(desk, {"slack": slack}) == 1  # Teams not configured: skipped
    assert slack.reminded == [waiting.id, waiting.id]


async def test_weekly_summary_goes_to_each_pio_channel(
    services: Services, runtime: Runtime, tmp_path: Path
) -> None:
    fill(services, runtime, tmp_path)
    slack = RecordingNotifier()
    assert await post_weekly_summary(services, {}, datetime.now(UTC)) == 0
    assert await post_weekly_summary(services, {"slack": slack}, datetime.now(UTC)) == 1
    [summary] = slack.summaries
    assert "Questions asked: 4" in summary and SILENT in summary
    assert DRAFT_MARKER not in summary and "UCASEY01" not in summary
