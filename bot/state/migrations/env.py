"""Alembic environment: runs on the connection handed in by bot.state.db.upgrade,
or on sqlalchemy.url when invoked from the alembic CLI."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import bot.state.tables  # noqa: F401  (registers the tables on Base.metadata)
from bot.state.db import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    conn = config.attributes.get("connection")
    if conn is not None:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as c:
        context.configure(connection=c, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()
