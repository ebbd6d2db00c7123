"""The bundled tours: structure, every quote resolves to one clause of its own agency,
quiz answers agree with the verdict the core reads from the quoted clause, and
ingest refuses a policy edit or a tour file that would break a tour."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.app import Runtime, build_runtime, check_tours, ingest
from bot.core.models import Clause, Verdict
from bot.core.onboarding.references import QuoteIndex
from bot.core.onboarding.tour import MAX_RULES, MIN_QUESTIONS, MIN_RULES, TourError, load_tours
from bot.core.ports import Embedder
from bot.core.verdicts import read_clause
from bot.stores.memory_store import MemoryClauseStore
from tests.conftest import KNOWLEDGE, make_settings

AGENCIES = ("la-dcfs", "lccs", "la-cio", "ct-dcf", "ma-dys")


@pytest.fixture(scope="module")
def tours() -> dict[str, object]:
    return dict(load_tours(KNOWLEDGE / "onboarding", AGENCIES))


def test_every_agency_has_a_tour_of_the_promised_size(tours: dict[str, object]) -> None:
    loaded = load_tours(KNOWLEDGE / "onboarding", AGENCIES)
    assert sorted(loaded) == sorted(AGENCIES)
    for tour in loaded.values():
        assert MIN_RULES <= len(tour.rules) <= MAX_RULES
        assert len(tour.quiz) >= MIN_QUESTIONS
        for item in tour.quiz:
            assert item.answer in item.choices and len(item.choices) >= 2


def test_every_quote_resolves_to_exactly_one_stored_clause_of_its_agency(
    runtime: Runtime,
) -> None:
    stored = runtime.store.clauses()
    index = QuoteIndex(stored)
    for agency, tour in load_tours(KNOWLEDGE / "onboarding", AGENCIES).items():
        quotes = [r.quote for r in tour.rules] + [q.quote for q in tour.quiz]
        for quote in quotes:
            own = [c for c in stored if c.agency_id == agency and quote in c.text]
            assert len(own) == 1, f"{tour.name}: {quote!r} matches {len(own)} {agency} clauses"
            assert index.resolve(agency, quote) == own[0]
            # The rule is about this agency: no other agency's policy has these words.
            others = [c.agency_id for c in stored if c.agency_id != agency and quote in c.text]
            assert others == [], f"{quote!r} also in {others}"


# How a choice answers a yes/no question, read from its wording.
_CONDITIONAL = re.compile(r"\b(only|unless|permission|approval|authori[sz]\w*)\b", re.I)
_RESTRICTS = re.compile(r"\b(only|approv\w*|authori[sz]\w*|permission)\b", re.I)


def _answer_kind(label: str) -> str | None:
    if _CONDITIONAL.search(label) and re.match(r"^(only|no\b|yes\b)", label, re.I):
        return "conditional"
    if re.match(r"^no\b", label, re.I):
        return "no"
    if re.match(r"^yes\b", label, re.I):
        return "yes"
    return None  # "Who approves…?"-style answers have no verdict to compare


def _consistent(kind: str, clause: Clause) -> bool:
    verdict = read_clause(clause).verdict
    if kind == "no":
        return verdict in (Verdict.PROHIBITED, Verdict.ADVISED_AGAINST)
    if kind == "yes":
        return verdict in (Verdict.ALLOWED, Verdict.REQUIRED)
    # "Only with…": the clause carries a condition, or requires/permits only under one.
    return verdict is Verdict.ALLOWED_WITH_CONDITIONS or (
        verdict in (Verdict.REQUIRED, Verdict.ALLOWED) and bool(_RESTRICTS.search(clause.text))
    )


def test_quiz_answers_agree_with_the_verdict_of_the_quoted_clause(runtime: Runtime) -> None:
    index = QuoteIndex(runtime.store.clauses())
    checked: dict[str, int] = {}
    for agency, tour in load_tours(KNOWLEDGE / "onboarding", AGENCIES).items():
        for item in tour.quiz:
            kind = _answer_kind(item.answer)
            if kind is None:
                continue
            clause = index.resolve(agency, item.quote)
            assert clause is not None
            assert _consistent(kind, clause), (
                f"{tour.name} {item.id}: answer {item.answer!r} ({kind}) but the clause reads "
                f"{read_clause(clause).verdict.value}: {clause.text!r}"
            )
            # Every wrong choice must not be the same kind of answer as the right one.
            for other in item.choices:
                if other != item.answer:
                    assert _answer_kind(other) != kind or kind == "yes", (tour.name, item.id)
            checked[agency] = checked.get(agency, 0) + 1
    # The check must actually bite: most yes/no questions are compared, in every tour.
    assert all(checked.get(a, 0) >= 2 for a in AGENCIES), checked
    assert sum(checked.values()) >= 20


def test_consistency_check_catches_a_flipped_answer(runtime: Runtime) -> None:
    """The verdict check is not a tautology: "Yes" on a prohibiting clause fails it."""
    index = QuoteIndex(runtime.store.clauses())
    clause = index.resolve(
        "ma-dys", "Users shall not use Pulse to communicate about or share individual youth case"
    )
    assert clause is not None
    assert _consistent("no", clause) and not _consistent("yes", clause)
    assert not _consistent("conditional", clause)


# --- ingest refuses what would break a tour -----------------------------------------


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, dest)
    return dest


def _runtime(knowledge: Path, data: Path, embedder: Embedder) -> Runtime:
    settings = make_settings(data, knowledge_dir=knowledge)
    return build_runtime(settings, embedder=embedder, store=MemoryClauseStore())


def test_policy_edit_that_drops_a_quoted_sentence_fails_ingest_naming_the_item(
    knowledge_copy: Path, tmp_path: Path, embedder: Embedder
) -> None:
    policy = knowledge_copy / "policies" / "ct-dcf-12-15-social-media.txt"
    text = policy.read_text(encoding="utf-8")
    sentence = "Individual user IDs and passwords shall not be duplicated across multiple sites."
    assert sentence in text
    policy.write_text(
        text.replace(sentence, "Individual user IDs may be reused where convenient."),
        encoding="utf-8",
    )
    rt = _runtime(knowledge_copy, tmp_path / "data", embedder)
    with pytest.raises(TourError) as err:
        ingest(rt)
    message = str(err.value)
    # Rule 10 and quiz question 6 of the CT DCF tour quote that sentence.
    assert "knowledge/onboarding/ct-dcf.yaml: rule 10 quotes text not found in " in message
    assert "Connecticut DCF policy: 'Individual user IDs and passwords shall not" in message
    assert "quiz question 6 (reuse-password)" in message
    assert "la-dcfs" not in message and "ma-dys" not in message
    # Nothing was indexed: the tour and the index stay consistent.
    assert rt.store.clauses() == []


def test_a_clean_copy_ingests_and_tours_resolve(
    knowledge_copy: Path, tmp_path: Path, embedder: Embedder
) -> None:
    rt = _runtime(knowledge_copy, tmp_path / "data", embedder)
    check_tours(rt)  # raises on any problem


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda s: s.replace("  - id: reuse-password\n", "  - idd: reuse-password\n"),
            "ct-dcf.yaml: quiz question 6 (id): Field required",
        ),
        (
            lambda s: s.replace(
                '    answer: "No"\n    quote: "Individual',
                '    answer: "Maybe"\n    quote: "Individual',
            ),
            "ct-dcf.yaml: quiz question 6: Value error, answer 'Maybe' is not one of the choices",
        ),
        (
            lambda s: s.replace("agency: ct-dcf", "agency: ny-acs"),
            "ct-dcf.yaml: agency 'ny-acs' is not in the manifest",
        ),
        (lambda s: s.replace("rules:\n", "rules: [\n", 1), "ct-dcf.yaml: not valid YAML"),
        (
            lambda s: s.split("quiz:")[0] + "quiz: []\n",
            "ct-dcf.yaml: quiz: List should have at least 6 items",
        ),
        (
            lambda s: s.replace('    plain: "Use a different', '    plan: "Use a different'),
            "ct-dcf.yaml: rule 10 (plain): Field required; "
            "rule 10 (plan): Extra inputs are not permitted",
        ),
    ],
)
def test_tour_with_bad_structure_fails_ingest_with_a_clear_message(
    knowledge_copy: Path,
    tmp_path: Path,
    embedder: Embedder,
    edit: object,
    expected: str,
) -> None:
    path = knowledge_copy / "onboarding" / "ct-dcf.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[operator]
    rt = _runtime(knowledge_copy, tmp_path / "data", embedder)
    with pytest.raises(TourError) as err:
        ingest(rt)
    assert expected in str(err.value)
    assert str(err.value).startswith("knowledge/onboarding/ct-dcf.yaml: ")
    assert rt.store.clauses() == []
