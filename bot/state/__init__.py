"""Relational state (escalations, guidance, feedback, onboarding, question log) via SQLAlchemy.

SQLite in the data dir by default, PostgreSQL by URL for several replicas. The
schema changes only through the Alembic migrations in ``migrations/``.
"""
