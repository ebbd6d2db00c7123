"""A core (answerer and checker at once) whose calls fail the way a broken dependency
would: for the adapters' error paths, and to prove a path never reaches a core."""

from __future__ import annotations

from bot.core.models import Answer, CheckResult


class RaisingCore:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def answer(self, question: str, agency_id: str | None = None) -> Answer:
        raise self.error

    def check(self, draft: str, agency_id: str | None = None) -> CheckResult:
        raise self.error
