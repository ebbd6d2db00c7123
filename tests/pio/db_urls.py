"""SQLite always; PostgreSQL too when POLICYBOT_TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.state.db import Database, sqlite_url

PG_ENV = "POLICYBOT_TEST_DATABASE_URL"


def url_for(kind: str, tmp_path: Path) -> str:
    if kind == "sqlite":
        return sqlite_url(tmp_path)
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} not set")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    database = Database.open(url_for(request.param, tmp_path))
    yield database
    database.close()
