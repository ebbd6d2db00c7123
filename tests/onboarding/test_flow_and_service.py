"""The tour state machine and the onboarding service over the real SQL progress store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from bot.app import Runtime
from bot.core.models import InputError
from bot.core.onboarding import flow
from bot.core.onboarding.service import (
    AgencyChoiceView,
    AnswerView,
    CompletionView,
    Onboarding,
    OnboardingUnavailable,
    OnboardingUser,
    QuestionView,
    RuleView,
)
from bot.core.onboarding.tour import Tour, load_tours
from bot.core.ports import ClauseStore
from bot.state.db import Database, sqlite_url
from bot.state.onboarding import SqlProgressStore
from bot.state.tables import OnboardingRow
from bot.stores.memory_store import MemoryClauseStore
from ingest.manifest import load_manifest
from tests.conftest import KNOWLEDGE

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
MANIFEST = load_manifest(KNOWLEDGE)
AGENCY_IDS = [a.id for a in MANIFEST.agencies()]


@pytest.fixture(scope="module")
def ct() -> Tour:
    return load_tours(KNOWLEDGE / "onboarding", AGENCY_IDS)["ct-dcf"]


# --- pure flow --------------------------------------------------------------------------


def test_next_moves_only_from_the_step_it_was_offered_at(ct: Tour) -> None:
    p = flow.begin("ct-dcf", "casey", T0)
    p = flow.advance(ct, p, 0, T0)
    assert p.step == 1
    # A double click on rule 1's button, or an old message's button, changes nothing.
    assert flow.advance(ct, p, 0, T0) == p
    assert flow.advance(ct, p, 5, T0) == p


def test_answers_score_once_and_completion_is_recorded(ct: Tour) -> None:
    p = flow.begin("ct-dcf", "casey", T0)
    for step in range(len(ct.rules)):
        p = flow.advance(ct, p, step, T0)
    first, second = ct.quiz[0], ct.quiz[1]
    # Not the current question yet: refused.
    assert flow.answer(ct, p, second.id, 0, T0) == (p, None)
    p, outcome = flow.answer(ct, p, first.id, first.answer_index, T0)
    assert outcome is not None and outcome.correct and outcome.recorded
    wrong = (second.answer_index + 1) % len(second.choices)
    p, outcome = flow.answer(ct, p, second.id, wrong, T0)
    assert outcome is not None and not outcome.correct
    # Answering again returns the first answer and scores nothing.
    again, outcome = flow.answer(ct, p, second.id, second.answer_index, T0)
    assert again == p and outcome is not None and not outcome.correct and not outcome.recorded
    for item in ct.quiz[2:]:
        p, _ = flow.answer(ct, p, item.id, item.answer_index, T0 + timedelta(hours=1))
    assert flow.is_finished(ct, p)
    assert p.score == len(ct.quiz) - 1 and p.completed_at == T0 + timedelta(hours=1)
    # A retake starts over but keeps the last completion on record.
    r = flow.restart(p, T0 + timedelta(days=1))
    assert r.step == 0 and r.answers == {}
    assert r.score == p.score and r.completed_at == p.completed_at
    assert flow.retaking(ct, r)


# --- service ----------------------------------------------------------------------------


def _service(
    runtime: Runtime,
    data: Path,
    *,
    key: bytes = b"k" * 32,
    default: str | None = None,
    store: ClauseStore | None = None,
) -> Onboarding:
    tours = load_tours(KNOWLEDGE / "onboarding", AGENCY_IDS)
    return Onboarding(
        lambda: tours,
        store or runtime.store,
        SqlProgressStore(lambda: Database.open(sqlite_url(data))),
        lambda: key,
        MANIFEST.agencies(),
        default,
    )


USER = OnboardingUser("slack", "U123", "casey.worker")


def test_start_without_an_agency_asks_which_one(runtime: Runtime, tmp_path: Path) -> None:
    view = _service(runtime, tmp_path).start(USER)
    assert isinstance(view, AgencyChoiceView)
    assert sorted(a.id for a in view.agencies) == sorted(AGENCY_IDS)


def test_default_agency_starts_its_tour_with_the_stored_clause(
    runtime: Runtime, tmp_path: Path, ct: Tour
) -> None:
    view = _service(runtime, tmp_path, default="ct-dcf").start(USER)
    assert isinstance(view, RuleView) and view.number == 1 and view.intro
    stored = {c.id: c for c in runtime.store.clauses()}
    assert stored[view.clause.id] == view.clause
    assert ct.rules[0].quote in view.clause.text and view.clause.agency_id == "ct-dcf"


def test_progress_survives_a_restart_of_the_process_and_is_keyed_by_a_hash(
    runtime: Runtime, tmp_path: Path
) -> None:
    one = _service(runtime, tmp_path)
    assert isinstance(one.start(USER, "ma-dys"), RuleView)
    for step in range(3):
        one.next(USER, "ma-dys", step)
    # A new process (new service, same database): resume at rule 4 with a welcome back.
    two = _service(runtime, tmp_path)
    view = two.start(USER)
    assert isinstance(view, RuleView) and view.agency_id == "ma-dys" and view.number == 4
    assert "Welcome back" in view.notice
    with Database.open(sqlite_url(tmp_path)).session() as s:
        row = s.scalars(select(OnboardingRow)).one()
        assert row.user_hash != "U123" and "U123" not in row.user_hash
        assert row.user_label == "casey.worker" and row.step == 3
    # The key source is injected: another key is another (unknown) user.
    assert isinstance(_service(runtime, tmp_path, key=b"x" * 32).start(USER), AgencyChoiceView)


def test_quiz_feedback_differs_for_right_and_wrong_and_completion_reports(
    runtime: Runtime, tmp_path: Path, ct: Tour
) -> None:
    svc = _service(runtime, tmp_path)
    svc.start(USER, "ct-dcf")
    for step in range(len(ct.rules)):
        svc.next(USER, "ct-dcf", step)
    q1 = svc.current(USER, "ct-dcf")
    assert isinstance(q1, QuestionView) and q1.item_id == ct.quiz[0].id
    right = svc.answer(USER, "ct-dcf", q1.item_id, ct.quiz[0].answer_index)
    q2 = ct.quiz[1]
    wrong = svc.answer(USER, "ct-dcf", q2.id, (q2.answer_index + 1) % len(q2.choices))
    assert isinstance(right, AnswerView) and isinstance(wrong, AnswerView)
    assert right.correct and not wrong.correct
    assert wrong.correct_answer == q2.answer and wrong.chosen != q2.answer
    assert ct.quiz[0].quote in right.clause.text and q2.quote in wrong.clause.text
    for item in ct.quiz[2:]:
        svc.answer(USER, "ct-dcf", item.id, item.answer_index)
    done = svc.current(USER, "ct-dcf")
    assert isinstance(done, CompletionView) and done.score == len(ct.quiz) - 1
    [row] = svc.report()
    assert (row.user_label, row.platform, row.agency_id, row.status) == (
        "casey.worker",
        "slack",
        "ct-dcf",
        "completed",
    )
    assert row.score == len(ct.quiz) - 1 and row.completed_at is not None
    assert svc.report("ma-dys") == []
    # Restart: back to rule 1; the report still shows the completion, now as a retake.
    again = svc.restart(USER, "ct-dcf")
    assert isinstance(again, RuleView) and again.number == 1
    [row] = svc.report()
    assert row.status == "retaking" and row.score == len(ct.quiz) - 1


def test_a_quote_missing_from_the_index_is_never_shown_from_the_tour_file(
    runtime: Runtime, tmp_path: Path, ct: Tour
) -> None:
    """The index predates a policy update: say so, do not quote the YAML's copy."""
    kept = [c for c in runtime.store.clauses() if ct.rules[0].quote not in c.text]
    stale = MemoryClauseStore()
    for policy_id in sorted({c.policy_id for c in kept}):
        items = [c for c in kept if c.policy_id == policy_id]
        vectors = runtime.store.embeddings_for([c.id for c in items])
        stale.replace_document(policy_id, items, np.stack([vectors[c.id] for c in items]), "old")
    svc = _service(runtime, tmp_path, store=stale)
    with pytest.raises(OnboardingUnavailable, match="policybot ingest"):
        svc.start(USER, "ct-dcf")


def test_unknown_agency_is_a_clear_input_error(runtime: Runtime, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Unknown agency 'ny-acs'"):
        _service(runtime, tmp_path).start(USER, "ny-acs")
