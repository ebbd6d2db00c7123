"""The onboarding facade adapters call: start/resume, next, answer, restart, report.

Platform-neutral and synchronous (adapters call it through ``asyncio.to_thread``).
It returns view values the Slack and Teams renderers draw; every clause in a
view is the stored clause the tour's quote resolved to, never the tour's text.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Protocol

from bot.core.feedback import hash_user
from bot.core.models import AgencyInfo, Clause, InputError
from bot.core.onboarding import flow
from bot.core.onboarding.flow import Progress, StepKind
from bot.core.onboarding.references import QuoteIndex
from bot.core.onboarding.tour import Tour, TourError
from bot.core.ports import ClauseStore


class OnboardingUnavailable(RuntimeError):
    """The tour cannot be shown; ``str(err)`` is fit for the user."""


@dataclass(frozen=True)
class StoredProgress:
    platform: str
    user_hash: str
    progress: Progress


class ProgressStore(Protocol):
    """Where progress lives (SQL in production, memory in unit tests)."""

    def modify(
        self,
        platform: str,
        user_hash: str,
        agency_id: str,
        change: Callable[[Progress | None], Progress],
    ) -> Progress:
        """Apply ``change`` to the stored progress (None when there is none) in one
        transaction, save and return the result."""
        ...

    def for_user(self, platform: str, user_hash: str) -> list[Progress]: ...

    def all(self, agency_id: str | None = None) -> list[StoredProgress]: ...


@dataclass(frozen=True)
class OnboardingUser:
    platform: str
    user_id: str
    # Shown in the supervisor's report (a display name or handle).
    label: str


# --- views -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyChoiceView:
    agencies: list[AgencyInfo]
    notice: str = ""


@dataclass(frozen=True)
class RuleView:
    agency_id: str
    agency_name: str
    title: str
    intro: str  # the tour's intro, on the first rule only
    number: int  # 1-based
    total: int
    step: int
    clause: Clause
    plain: str
    notice: str = ""


@dataclass(frozen=True)
class QuestionView:
    agency_id: str
    agency_name: str
    number: int
    total: int
    item_id: str
    question: str
    choices: list[str]
    notice: str = ""


@dataclass(frozen=True)
class AnswerView:
    agency_id: str
    agency_name: str
    question: str
    chosen: str
    correct: bool
    correct_answer: str
    explanation: str
    clause: Clause
    is_last: bool
    notice: str = ""


@dataclass(frozen=True)
class CompletionView:
    agency_id: str
    agency_name: str
    title: str
    score: int
    total: int
    completed_at: datetime
    notice: str = ""


View = AgencyChoiceView | RuleView | QuestionView | AnswerView | CompletionView


@dataclass(frozen=True)
class ReportRow:
    user_label: str
    platform: str
    agency_id: str
    status: str  # "completed" or "in progress"
    score: int | None
    questions: int
    completed_at: datetime | None
    step: int
    steps: int
    started_at: datetime


WELCOME_BACK = "Welcome back: continuing where you stopped (step {step} of {total})."
ALREADY_ANSWERED = "You answered this question before; your first answer is the one that counts."
NOT_CURRENT = "That button is from an earlier step; here is where you are now."


class Onboarding:
    def __init__(
        self,
        tours: Callable[[], Mapping[str, Tour]],
        store: ClauseStore,
        progress: ProgressStore,
        user_key: Callable[[], bytes],
        agencies: Sequence[AgencyInfo],
        default_agency: str | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._tours = tours
        self._store = store
        self._progress = progress
        self._user_key = user_key
        self._agencies = {a.id: a for a in agencies}
        self._default = default_agency
        self._now = now
        self._lock = threading.Lock()
        self._index: tuple[str, QuoteIndex] | None = None

    # --- public calls ----------------------------------------------------------------

    def start(self, user: OnboardingUser, agency_id: str | None = None) -> View:
        """`onboard`: the user's tour from where they stopped, or an agency choice."""
        if agency_id:
            return self._open(user, self._agency(agency_id))
        if self._default:
            return self._open(user, self._agency(self._default))
        tours = self._load()
        mine = [
            p
            for p in self._progress.for_user(user.platform, self._hash(user))
            if p.agency_id in tours
        ]
        if mine:
            unfinished = [p for p in mine if not flow.is_finished(tours[p.agency_id], p)]
            latest = max(unfinished or mine, key=lambda p: p.started_at)
            return self._open(user, latest.agency_id)
        return self.choose_agency()

    def choose_agency(self, notice: str = "") -> AgencyChoiceView:
        tours = self._load()
        if not tours:
            raise OnboardingUnavailable("No onboarding tours are set up yet.")
        return AgencyChoiceView([a for a in self._agencies.values() if a.id in tours], notice)

    def next(self, user: OnboardingUser, agency_id: str, step: int) -> View:
        """ "Next" under a rule offered at ``step``."""
        agency = self._agency(agency_id)
        tour = self._tour(agency)
        before: list[Progress | None] = []

        def change(current: Progress | None) -> Progress:
            before.append(current)
            base = current or flow.begin(agency, user.label, self._now())
            return flow.advance(tour, self._labelled(base, user), step, self._now())

        progress = self._progress.modify(user.platform, self._hash(user), agency, change)
        moved = before[0] is not None and progress.step != before[0].step
        return self._view(tour, progress, "" if moved or before[0] is None else NOT_CURRENT)

    def current(self, user: OnboardingUser, agency_id: str) -> View:
        """Show where the user is (the "Next" under an answer)."""
        agency = self._agency(agency_id)
        tour = self._tour(agency)
        progress = self._progress.modify(
            user.platform,
            self._hash(user),
            agency,
            lambda p: self._labelled(p or flow.begin(agency, user.label, self._now()), user),
        )
        return self._view(tour, progress)

    def answer(self, user: OnboardingUser, agency_id: str, item_id: str, choice: int) -> View:
        agency = self._agency(agency_id)
        tour = self._tour(agency)
        outcomes: list[flow.Outcome | None] = []

        def change(current: Progress | None) -> Progress:
            base = self._labelled(current or flow.begin(agency, user.label, self._now()), user)
            moved, outcome = flow.answer(tour, base, item_id, choice, self._now())
            outcomes.append(outcome)
            return moved

        progress = self._progress.modify(user.platform, self._hash(user), agency, change)
        outcome = outcomes[-1]
        if outcome is None:
            return self._view(tour, progress, NOT_CURRENT)
        item = outcome.item
        return AnswerView(
            agency_id=agency,
            agency_name=self._name(agency),
            question=item.question,
            chosen=item.choices[outcome.chosen],
            correct=outcome.correct,
            correct_answer=item.answer,
            explanation=item.explanation,
            clause=self._clause(tour, item.quote),
            is_last=item.id == tour.quiz[-1].id,
            notice="" if outcome.recorded else ALREADY_ANSWERED,
        )

    def restart(self, user: OnboardingUser, agency_id: str) -> View:
        agency = self._agency(agency_id)
        tour = self._tour(agency)
        progress = self._progress.modify(
            user.platform,
            self._hash(user),
            agency,
            lambda p: flow.restart(
                self._labelled(p or flow.begin(agency, user.label, self._now()), user), self._now()
            ),
        )
        return self._view(tour, progress)

    def report(self, agency_id: str | None = None) -> list[ReportRow]:
        """Everyone who started a tour: completions with score and date, others with step."""
        agency = self._agency(agency_id) if agency_id else None
        tours = self._load()
        rows: list[ReportRow] = []
        for stored in self._progress.all(agency):
            p = stored.progress
            tour = tours.get(p.agency_id)
            steps = tour.total_steps if tour else p.step
            done = p.completed_at is not None
            if tour is None or flow.is_finished(tour, p):
                status = "completed" if done else "in progress"
            else:
                status = "retaking" if done else "in progress"
            rows.append(
                ReportRow(
                    user_label=p.user_label,
                    platform=stored.platform,
                    agency_id=p.agency_id,
                    status=status,
                    score=p.score if done else None,
                    questions=len(tour.quiz) if tour else 0,
                    completed_at=p.completed_at,
                    step=min(p.step, steps),
                    steps=steps,
                    started_at=p.started_at,
                )
            )
        rows.sort(key=lambda r: (r.agency_id, r.status != "completed", r.user_label.lower()))
        return rows

    # --- helpers ---------------------------------------------------------------------

    def _open(self, user: OnboardingUser, agency: str) -> View:
        tour = self._tour(agency)
        existed: list[bool] = []

        def change(current: Progress | None) -> Progress:
            existed.append(current is not None)
            return self._labelled(current or flow.begin(agency, user.label, self._now()), user)

        progress = self._progress.modify(user.platform, self._hash(user), agency, change)
        notice = ""
        if existed[0] and not flow.is_finished(tour, progress) and progress.step > 0:
            notice = WELCOME_BACK.format(step=progress.step + 1, total=tour.total_steps)
        return self._view(tour, progress, notice)

    def _view(self, tour: Tour, progress: Progress, notice: str = "") -> View:
        pos = flow.position(tour, progress)
        name = self._name(tour.agency_id)
        if pos.kind is StepKind.RULE:
            rule = tour.rules[pos.index]
            return RuleView(
                agency_id=tour.agency_id,
                agency_name=name,
                title=tour.title,
                intro=tour.intro if pos.index == 0 else "",
                number=pos.index + 1,
                total=len(tour.rules),
                step=pos.step,
                clause=self._clause(tour, rule.quote),
                plain=rule.plain,
                notice=notice,
            )
        if pos.kind is StepKind.QUESTION:
            item = tour.quiz[pos.index]
            return QuestionView(
                agency_id=tour.agency_id,
                agency_name=name,
                number=pos.index + 1,
                total=len(tour.quiz),
                item_id=item.id,
                question=item.question,
                choices=list(item.choices),
                notice=notice,
            )
        assert progress.completed_at is not None
        return CompletionView(
            agency_id=tour.agency_id,
            agency_name=name,
            title=tour.title,
            score=progress.score,
            total=len(tour.quiz),
            completed_at=progress.completed_at,
            notice=notice,
        )

    def _labelled(self, progress: Progress, user: OnboardingUser) -> Progress:
        label = user.label.strip()[:200] or progress.user_label
        return progress if label == progress.user_label else replace(progress, user_label=label)

    def _hash(self, user: OnboardingUser) -> str:
        # Same form as feedback votes, so one user has one hash across features.
        return hash_user(f"{user.platform}:{user.user_id}", self._user_key())

    def _agency(self, agency_id: str) -> str:
        key = agency_id.strip().lower()
        if key not in self._agencies:
            known = ", ".join(sorted(self._agencies))
            raise InputError(f"Unknown agency '{agency_id[:60]}'. Known agencies: {known}.")
        return key

    def _name(self, agency_id: str) -> str:
        info = self._agencies.get(agency_id)
        return info.short_name if info else agency_id

    def _load(self) -> Mapping[str, Tour]:
        try:
            return self._tours()
        except TourError as err:
            raise OnboardingUnavailable(
                f"The onboarding tour cannot be loaded; an administrator must fix it: {err}"
            ) from err

    def _tour(self, agency: str) -> Tour:
        tour = self._load().get(agency)
        if tour is None:
            raise InputError(f"There is no onboarding tour for {self._name(agency)} yet.")
        return tour

    def _clause(self, tour: Tour, quote: str) -> Clause:
        clause = self._quotes().resolve(tour.agency_id, quote)
        if clause is None:
            # Never fall back to the tour file's own copy of the words.
            raise OnboardingUnavailable(
                f"The {self._name(tour.agency_id)} tour refers to a policy clause that is not "
                "in the index; an administrator must run `policybot ingest`."
            )
        return clause

    def _quotes(self) -> QuoteIndex:
        version = self._store.version()
        with self._lock:
            if self._index is None or self._index[0] != version:
                self._index = (version, QuoteIndex(self._store.clauses()))
            return self._index[1]
