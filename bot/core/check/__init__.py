"""Checking a pasted draft post against the policies' clauses (issue 3)."""

from __future__ import annotations

from collections.abc import Callable

from bot.core.check.checker import RuleDraftChecker
from bot.core.check.ports import ClauseSearch, PiiDetector, PiiSpan


def build_checker(
    search: ClauseSearch,
    pii: PiiDetector | None = None,
    max_chars: int = 40000,
    version: Callable[[], str] | None = None,
) -> RuleDraftChecker:
    """Build the checker once per process; it is safe to reuse across drafts and threads.

    ``version`` (the index version) lets cached citations be dropped after a re-ingest.
    """
    return RuleDraftChecker(search, pii, max_chars, version)


__all__ = ["ClauseSearch", "PiiDetector", "PiiSpan", "RuleDraftChecker", "build_checker"]
