"""The schema is built by the migrations alone, on SQLite by default and on
PostgreSQL when POLICYBOT_TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import inspect

from bot.state.db import Database, sqlite_url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path)
    url = os.environ.get("POLICYBOT_TEST_DATABASE_URL")
    if not url:
        pytest.skip("POLICYBOT_TEST_DATABASE_URL not set")
    return url


def test_migrations_create_every_table_and_rerun_is_a_no_op(db_url: str) -> None:
    db = Database.open(db_url)
    tables = set(inspect(db.engine).get_table_names())
    assert {
        "escalations",
        "guidance",
        "feedback",
        "question_events",
        "onboarding_progress",
        "alembic_version",
    } <= tables
    db.close()
    again = Database.open(db_url)  # second start of a replica: nothing to do, no error
    assert set(inspect(again.engine).get_table_names()) == tables
    again.close()
