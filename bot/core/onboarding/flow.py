"""The tour as a pure state machine: progress in, progress (and what to show) out.

Steps run over the rules, then the quiz questions. Every transition names the
step it was offered at, so a double click or an old button replays harmlessly
instead of skipping ahead or scoring twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from bot.core.onboarding.tour import QuizItem, RuleItem, Tour


@dataclass(frozen=True)
class Progress:
    """One user's place in one agency's tour.

    ``answers`` belong to the current run; ``score`` and ``completed_at`` are
    the last finished run's, kept while a user retakes the tour so the
    supervisor's report does not lose a completion.
    """

    agency_id: str
    user_label: str
    started_at: datetime
    step: int = 0
    answers: dict[str, int] = field(default_factory=dict)
    score: int = 0
    completed_at: datetime | None = None


class StepKind(StrEnum):
    RULE = "rule"
    QUESTION = "question"
    DONE = "done"


@dataclass(frozen=True)
class Position:
    kind: StepKind
    step: int
    # Index into tour.rules or tour.quiz (0 for DONE).
    index: int


def begin(agency_id: str, user_label: str, now: datetime) -> Progress:
    return Progress(agency_id=agency_id, user_label=user_label, started_at=now)


def position(tour: Tour, progress: Progress) -> Position:
    # A tour edited to be shorter must not leave anyone past its end.
    step = min(max(progress.step, 0), tour.total_steps)
    if step < len(tour.rules):
        return Position(StepKind.RULE, step, step)
    if step < tour.total_steps:
        return Position(StepKind.QUESTION, step, step - len(tour.rules))
    return Position(StepKind.DONE, step, 0)


def is_finished(tour: Tour, progress: Progress) -> bool:
    return position(tour, progress).kind is StepKind.DONE


def retaking(tour: Tour, progress: Progress) -> bool:
    """Finished once and now going through the tour again."""
    return progress.completed_at is not None and not is_finished(tour, progress)


def run_score(tour: Tour, answers: dict[str, int]) -> int:
    return sum(1 for item in tour.quiz if answers.get(item.id) == item.answer_index)


def _finish_if_done(tour: Tour, progress: Progress, now: datetime) -> Progress:
    if progress.step >= tour.total_steps:
        return replace(
            progress,
            step=tour.total_steps,
            score=run_score(tour, progress.answers),
            completed_at=now,
        )
    return progress


def advance(tour: Tour, progress: Progress, from_step: int, now: datetime) -> Progress:
    """Past a rule the user has read. Only the current rule's "Next" moves on."""
    pos = position(tour, progress)
    if pos.kind is not StepKind.RULE or pos.step != from_step:
        return progress
    return _finish_if_done(tour, replace(progress, step=pos.step + 1), now)


@dataclass(frozen=True)
class Outcome:
    item: QuizItem
    chosen: int
    correct: bool
    # False when the question had been answered before: nothing was changed.
    recorded: bool


def answer(
    tour: Tour, progress: Progress, item_id: str, choice: int, now: datetime
) -> tuple[Progress, Outcome | None]:
    """Record an answer to the current question. None when the item is unknown or not due.

    A question answered before keeps its first answer (and its score); the
    outcome of that first answer is returned again.
    """
    found = tour.question(item_id)
    if found is None:
        return progress, None
    step, item = found
    if item_id in progress.answers:
        first = progress.answers[item_id]
        return progress, Outcome(item, first, first == item.answer_index, recorded=False)
    if position(tour, progress).step != step or not 0 <= choice < len(item.choices):
        return progress, None
    answers = {**progress.answers, item_id: choice}
    moved = _finish_if_done(tour, replace(progress, step=step + 1, answers=answers), now)
    return moved, Outcome(item, choice, choice == item.answer_index, recorded=True)


def restart(progress: Progress, now: datetime) -> Progress:
    """Back to the first rule; the last completion (date and score) stays on record."""
    return replace(progress, step=0, answers={}, started_at=now)


def current_rule(tour: Tour, progress: Progress) -> RuleItem | None:
    pos = position(tour, progress)
    return tour.rules[pos.index] if pos.kind is StepKind.RULE else None


def current_question(tour: Tour, progress: Progress) -> QuizItem | None:
    pos = position(tour, progress)
    return tour.quiz[pos.index] if pos.kind is StepKind.QUESTION else None
