"""The one facade every adapter (CLI, Slack, Teams) talks to.

Adapters translate platform events into these calls and render the returned
values; they never reach past this class into retrieval or storage.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from bot.core.answer import clean_question, silent_text
from bot.core.check.language import looks_english
from bot.core.models import AgencyInfo, Answer, CheckResult, InputError
from bot.core.onboarding.service import Onboarding
from bot.core.ratelimit import RateLimiter

# The policies are English and retrieval is tuned for English: a question in another
# language gets "silent" and this note rather than quotes matched by accident.
NOT_ENGLISH_NOTICE = (
    "I can only read questions in English (the policies are in English). "
    "Please ask again in English."
)


class Answerer(Protocol):
    def answer(self, question: str, agency_id: str | None = None) -> Answer: ...


class DraftChecker(Protocol):
    def check(self, draft: str, agency_id: str | None = None) -> CheckResult: ...


class Assistant:
    def __init__(
        self,
        answerer: Answerer,
        checker: DraftChecker,
        agencies: Sequence[AgencyInfo],
        health: Callable[[], None],
        default_agency: str | None = None,
        onboarding: Onboarding | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        self._answerer = answerer
        self._checker = checker
        self._agencies = {a.id: a for a in agencies}
        self._health = health
        self.default_agency = self.resolve_agency(default_agency)
        # New-hire tours (None when the deployment has none set up).
        self.onboarding = onboarding
        self._limiter = limiter

    def limited(self, limiter: RateLimiter) -> Assistant:
        """The same assistant, with ask/check counted per user (see bot.core.ratelimit)."""
        return Assistant(
            self._answerer,
            self._checker,
            list(self._agencies.values()),
            self._health,
            self.default_agency,
            self.onboarding,
            limiter,
        )

    def agencies(self) -> list[AgencyInfo]:
        return list(self._agencies.values())

    def resolve_agency(self, agency_id: str | None) -> str | None:
        """Validate an agency id (None means all agencies)."""
        if agency_id is None or agency_id == "":
            return None
        key = agency_id.strip().lower()
        if key not in self._agencies:
            known = ", ".join(sorted(self._agencies))
            raise InputError(f"Unknown agency '{agency_id}'. Known agencies: {known}.")
        return key

    def ask(self, question: str, agency_id: str | None = None) -> Answer:
        """Answer a question with quoted clauses. Raises InputError on unusable input."""
        agency = self.resolve_agency(agency_id) if agency_id else self.default_agency
        if self._limiter is not None:
            self._limiter.check_current()
        if not looks_english(question):
            text = clean_question(question)
            return Answer(text, False, silent_text(text), notice=NOT_ENGLISH_NOTICE)
        return self._answerer.answer(question, agency)

    def check(self, draft: str, agency_id: str | None = None) -> CheckResult:
        """Check a draft post. The draft is never stored or logged."""
        agency = self.resolve_agency(agency_id) if agency_id else self.default_agency
        if self._limiter is not None:
            self._limiter.check_current()
        return self._checker.check(draft, agency)

    def health(self) -> None:
        """Raise IndexUnavailable when the policy index cannot be reached."""
        self._health()
