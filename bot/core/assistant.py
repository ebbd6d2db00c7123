"""The one facade every adapter (CLI, Slack, Teams) talks to.

Adapters translate platform events into these calls and render the returned
values; they never reach past this class into retrieval or storage.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from bot.core.answer import clean_question, silent_answer
from bot.core.check.language import looks_english
from bot.core.feedback import hash_user
from bot.core.models import AgencyInfo, Answer, CheckResult, Clause, InputError
from bot.core.onboarding.service import Onboarding
from bot.core.ratelimit import RateLimiter
from bot.core.records import QuestionEvent, QuestionLog, citation_topics

if TYPE_CHECKING:
    from bot.core.guidance import GuidanceLibrary

log = logging.getLogger(__name__)

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
        *,
        guidance: GuidanceLibrary | None = None,
        question_log: QuestionLog | None = None,
        user_key: bytes = b"",
        clauses: Callable[[Sequence[str]], list[Clause]] | None = None,
        onboarding: Onboarding | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        self._guidance = guidance
        self._question_log = question_log
        self._user_key = user_key
        self._clauses = clauses
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
        # A shallow copy keeps every collaborator (guidance, question log,
        # onboarding...) without listing them twice.
        twin = copy.copy(self)
        twin._limiter = limiter
        return twin

    def agencies(self) -> list[AgencyInfo]:
        return list(self._agencies.values())

    def agency_name(self, agency_id: str) -> str:
        """The agency's full name (the id itself if unknown)."""
        info = self._agencies.get(agency_id)
        return info.name if info else agency_id

    def scope_name(self, agency_id: str | None) -> str:
        """Who a question was asked of: an agency's name, or all of them."""
        return self.agency_name(agency_id) if agency_id else "All agencies"

    def resolve_agency(self, agency_id: str | None) -> str | None:
        """Validate an agency id (None means all agencies)."""
        if agency_id is None or agency_id == "":
            return None
        key = agency_id.strip().lower()
        if key not in self._agencies:
            known = ", ".join(sorted(self._agencies))
            raise InputError(f"Unknown agency '{agency_id}'. Known agencies: {known}.")
        return key

    def ask(
        self, question: str, agency_id: str | None = None, *, asker: str | None = None
    ) -> Answer:
        """Answer a question with quoted clauses. Raises InputError on unusable input.

        ``asker`` ("slack:U123", "teams:<aad id>") logs the question for the PIO's
        report under a keyed hash of that id.
        """
        agency = self.resolve_agency(agency_id) if agency_id else self.default_agency
        if self._limiter is not None:
            self._limiter.check_current()
        if not looks_english(question):
            answer = silent_answer(clean_question(question), NOT_ENGLISH_NOTICE)
            if asker and self._question_log is not None:
                self._log_question(asker, answer, agency)
            return answer
        answer = self._answerer.answer(question, agency)
        scope = self.scope(answer, agency)
        if self._guidance is not None:
            try:
                found = self._guidance.similar(answer.question or question, scope)
            except Exception:
                # Guidance is a supplement: the policy answer still goes out.
                log.exception("guidance lookup failed")
                found = []
            if found:
                answer = dataclasses.replace(answer, guidance=found)
        if asker and self._question_log is not None:
            self._log_question(asker, answer, scope)
        return answer

    def _log_question(self, asker: str, answer: Answer, scope: str | None) -> None:
        platform = asker.split(":", 1)[0]
        event = QuestionEvent(
            platform=platform,
            user_hash=hash_user(asker, self._user_key),
            agency_id=scope,
            question=answer.question[:2000],
            covered=answer.covered,
            topics=citation_topics([c.clause.section for c in answer.citations]),
            created_at=datetime.now(UTC),
        )
        try:
            assert self._question_log is not None
            self._question_log.record(event)
        except Exception:
            # The user still gets the answer; the report misses one question.
            log.exception("logging the question failed")

    def scope(self, answer: Answer, agency_id: str | None = None) -> str | None:
        """The agency an answer speaks for: the one asked about, else the only one quoted."""
        if agency_id:
            return self.resolve_agency(agency_id)
        if self.default_agency:
            return self.default_agency
        ids = {v.agency_id for v in answer.verdicts}
        ids |= {c.clause.agency_id for c in answer.citations}
        return ids.pop() if len(ids) == 1 else None

    def clauses(self, clause_ids: Sequence[str]) -> list[Clause]:
        """Stored clauses by id, in the given order (unknown ids left out)."""
        if self._clauses is None or not clause_ids:
            return []
        return self._clauses(clause_ids)

    def cited_clauses(self, clause_ids: Sequence[str]) -> list[Clause]:
        """``clauses``, for a message that can go out without its quotes: a failed
        lookup is logged and gives none (a PIO escalation must not be lost to it)."""
        try:
            return self.clauses(clause_ids)
        except Exception:
            log.exception("clause lookup failed for %d cited clauses", len(clause_ids))
            return []

    def check(self, draft: str, agency_id: str | None = None) -> CheckResult:
        """Check a draft post. The draft is never stored or logged."""
        agency = self.resolve_agency(agency_id) if agency_id else self.default_agency
        if self._limiter is not None:
            self._limiter.check_current()
        return self._checker.check(draft, agency)

    def health(self) -> None:
        """Raise IndexUnavailable when the policy index cannot be reached."""
        self._health()

    def warm_up(self) -> None:
        """Load the model and find each check category's clauses before the first user.

        Without it the first draft of each kind pays for its clause searches.
        """
        warm_answers = getattr(self._answerer, "warm_up", None)
        if callable(warm_answers):
            warm_answers()
        self._answerer.answer("May I friend a client on social media?", None)
        warm = getattr(self._checker, "warm_up", None)
        if callable(warm):
            warm(list(self._agencies))
