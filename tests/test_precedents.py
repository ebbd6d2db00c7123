"""Precedents: questions the agency has answered vote for their clauses.

Retrieval over the real bundled index with the real model; the precedents are
written here, in other words than any golden file's. tests/test_tuning.py
measures what the tuning files' precedents do for held-out questions.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from bot.app import Runtime, build_matcher
from bot.core.answer import PolicyAnswerer
from bot.core.assistant import Assistant
from bot.core.ports import Embedder
from bot.core.precedents import Precedent, PrecedentBank, PrecedentWeights, answering
from bot.core.retrieval import HybridRetriever
from bot.embedding import model_fingerprint
from bot.evaluation import score_questions
from bot.precedent_files import (
    PRECEDENTS_FILE,
    VECTORS_FILE,
    load_precedent_bank,
    precedents_from,
    read_precedents,
    write_precedents,
)
from bot.stores.memory_store import MemoryClauseStore
from ingest.manifest import load_manifest
from ingest.pipeline import run_ingest
from tests.conftest import CountingEmbedder
from tests.fakes.cores import RaisingCore

UNDERCOVER = Precedent(
    "in DYS, where is the OK for an undercover profile in an investigation written down?",
    ("Upon approval, the following shall be documented",),
    "ma-dys",
)
# Phrased like UNDERCOVER; without it, the packaged model ranks the clause on who
# must get the authorization above the one on where it is written down.
ASKED = "in DYS, where do they log the OK to use a fake profile for an investigation?"


def bank(embedder: Embedder, *precedents: Precedent, weight: float = 0.5) -> PrecedentBank:
    vectors = embedder.embed_documents([p.question for p in precedents])
    return PrecedentBank(precedents, vectors, PrecedentWeights(weight=weight))


def retriever(runtime: Runtime, precedents: PrecedentBank | None) -> HybridRetriever:
    return HybridRetriever(
        runtime.store,
        runtime.embedder,
        matcher=build_matcher(runtime.embedder),
        precedents=precedents,
    )


def test_a_question_phrased_like_a_precedent_gets_its_clause_first(runtime: Runtime) -> None:
    alone = retriever(runtime, None).retrieve(ASKED, ["ma-dys"], k=3, precedents=True)
    assert "Upon approval" not in alone[0].clause.text
    helped = retriever(runtime, bank(runtime.embedder, UNDERCOVER))
    hits = helped.retrieve(ASKED, ["ma-dys"], k=3, precedents=True)
    assert hits[0].clause.text.startswith("Upon approval") and hits[0].precedent > 0
    # Draft checks search without them: a post is not phrased like a question.
    assert [h.clause.id for h in helped.retrieve(ASKED, ["ma-dys"], k=3)] == [
        h.clause.id for h in alone
    ]


def test_unlike_questions_get_no_votes(runtime: Runtime) -> None:
    helped = retriever(runtime, bank(runtime.embedder, UNDERCOVER))
    question = "Can I post a picture of my own kids at the beach?"
    with_bank = helped.retrieve(question, k=5, precedents=True)
    assert all(h.precedent == 0 for h in with_bank)
    alone = retriever(runtime, None).retrieve(question, k=5)
    assert [h.clause.id for h in with_bank] == [h.clause.id for h in alone]
    assert helped.retrieve("", k=5, precedents=True) == []  # nothing to compare


def test_a_precedent_never_makes_an_unaddressed_question_answered(runtime: Runtime) -> None:
    # A careless precedent ties vacation days to a rule; the policies still say nothing.
    careless = Precedent("How many vacation days do I get?", ("shall",), None)
    helped = retriever(runtime, bank(runtime.embedder, careless, weight=2.0))
    answerer = PolicyAnswerer(helped, runtime.manifest.agencies())
    answer = answerer.answer("How much vacation time do staff get each year?")
    assert not answer.covered and not answer.citations


def test_a_question_asked_like_one_left_open_is_silent(runtime: Runtime) -> None:
    template = Precedent(
        "Is there a template for a Facebook post announcing an agency event?", (), covered=False
    )
    pictures = Precedent(
        "Can we put pictures from an agency event on our page?",
        ("This does not apply to photos, art work or other materials",),
    )
    asked = "Do we have a template for a Facebook post about our volunteer recognition night?"
    nearby = "Can I post photos from the volunteer recognition night on the agency Facebook page?"
    agencies = runtime.manifest.agencies()
    plain = PolicyAnswerer(retriever(runtime, None), agencies)
    assert plain.answer(asked).covered and plain.answer(nearby).covered
    helped = retriever(runtime, bank(runtime.embedder, template, pictures))
    answerer = PolicyAnswerer(helped, agencies)
    answer = answerer.answer(asked)
    assert not answer.covered and not answer.citations and "PIO" in answer.answer
    assert answer.asked_like == template.question
    # Closer to the answered precedent than to the open one: answered as before.
    assert answerer.answer(nearby).covered and not answerer.answer(nearby).asked_like
    # An agency scoring its golden file learns why, so a wrong label can be found.
    no_drafts = RaisingCore(AssertionError("no draft is checked here"))
    assistant = Assistant(answerer, no_drafts, agencies, lambda: None)
    score = score_questions(assistant, [{"question": asked, "gold": ["Announcements"]}])
    assert score.misses == [
        f"silent, asked like {template.question!r}, which a tuning file leaves open: {asked}"
    ]
    # A question left open has no clause to vote for.
    alone = retriever(runtime, bank(runtime.embedder, template))
    assert all(h.precedent == 0 for h in alone.retrieve(asked, k=12, precedents=True))
    assert not alone.left_open("")


def test_a_question_left_open_takes_no_voters_place(runtime: Runtime) -> None:
    # The closest precedent is left open; the one voter allowed is still the answered one.
    open_copy = Precedent(ASKED, (), covered=False)
    precedents = (open_copy, UNDERCOVER)
    vectors = runtime.embedder.embed_documents([p.question for p in precedents])
    one = PrecedentBank(precedents, vectors, PrecedentWeights(neighbours=1))
    hits = retriever(runtime, one).retrieve(ASKED, ["ma-dys"], k=3, precedents=True)
    assert hits[0].clause.text.startswith("Upon approval") and hits[0].precedent > 0


def test_one_agencys_precedent_does_not_hide_another_agencys_rule(runtime: Runtime) -> None:
    question = "Can I use my work computer for Facebook at lunch?"
    plain = PolicyAnswerer(retriever(runtime, None), runtime.manifest.agencies())
    before = {v.agency_id for v in plain.answer(question).verdicts}
    assert {"la-dcfs", "ma-dys", "lccs"} <= before
    lunch = Precedent(
        "is it ok to go on facebook on the office computer during my lunch break?",
        ("Individuals shall not use their personal social media",),
        "ma-dys",
    )
    helped = retriever(runtime, bank(runtime.embedder, lunch, weight=2.0))
    answer = PolicyAnswerer(helped, runtime.manifest.agencies()).answer(question)
    assert "Individuals shall not use" in answer.citations[0].clause.text
    assert {v.agency_id for v in answer.verdicts} >= before


def test_gold_phrases_are_found_within_the_precedents_agency(runtime: Runtime) -> None:
    clauses = runtime.store.clauses()
    everywhere, scoped, gone = answering(
        [
            Precedent("q", ("social media",)),
            Precedent("q", ("social media",), "ct-dcf"),
            Precedent("q", ("words no policy has ever used",)),
        ],
        clauses,
    )
    agency = {c.id: c.agency_id for c in clauses}
    assert len({agency[c] for c in everywhere}) == 5
    assert scoped and {agency[c] for c in scoped} == {"ct-dcf"}
    assert gone == frozenset()


def test_an_edited_policy_takes_its_clause_from_the_precedent(
    knowledge: Path, embedder: Embedder
) -> None:
    store = MemoryClauseStore()
    run_ingest(load_manifest(knowledge), store, embedder)
    # Rechecks the index at every question, as a long-running bot does every few seconds.
    helped = HybridRetriever(
        store, embedder, precedents=bank(embedder, UNDERCOVER, weight=2.0), refresh_seconds=0
    )
    assert helped.retrieve(ASKED, ["ma-dys"], k=1, precedents=True)[0].precedent > 0
    dys = next(knowledge.glob("policies/ma-dys*"))
    text = dys.read_text(encoding="utf-8")
    dys.write_text(text.replace("Upon approval, the following", "Once approved, the following"))
    run_ingest(load_manifest(knowledge), store, embedder)
    hits = helped.retrieve(ASKED, ["ma-dys"], k=5, precedents=True)
    assert all(h.precedent == 0 for h in hits)


# --- on disk -----------------------------------------------------------------


LINES = [
    ("a.jsonl line 1", {"question": "Can I friend a client?", "gold": ["clients"]}),
    ("a.jsonl line 2", {"question": "Parking?", "gold": [], "covered": False}),
    ("a.jsonl line 3", {"question": "CT: tag a family?", "gold": ["tag"], "agency": "ct-dcf"}),
    ("a.jsonl line 4", {"question": "  ", "gold": ["x"]}),
    ("a.jsonl line 5", {"question": "No gold?", "gold": ["", 3]}),
]


def test_tuning_lines_become_precedents_and_their_vectors_are_cached(
    tmp_path: Path, embedder: Embedder
) -> None:
    kept = precedents_from(LINES)
    assert kept == [
        Precedent("Can I friend a client?", ("clients",)),
        Precedent("Parking?", (), covered=False),
        Precedent("CT: tag a family?", ("tag",), "ct-dcf"),
    ]
    write_precedents(tmp_path, kept)
    assert read_precedents(tmp_path) == kept

    first = CountingEmbedder(embedder)
    loaded = load_precedent_bank(tmp_path, first)
    assert loaded is not None and len(loaded) == 3 and first.texts == 3
    again = CountingEmbedder(embedder)
    assert load_precedent_bank(tmp_path, again) is not None and again.texts == 0
    # Another model's vectors are never read as this one's.
    other = CountingEmbedder(embedder, fingerprint="another model")
    assert load_precedent_bank(tmp_path, other) is not None and other.texts == 3
    # Nor are vectors of other questions.
    write_precedents(tmp_path, kept[:1])
    fewer = CountingEmbedder(embedder, fingerprint="another model")
    assert load_precedent_bank(tmp_path, fewer) is not None and fewer.texts == 1


def test_precedents_are_not_part_of_the_models_fingerprint(tmp_path: Path) -> None:
    (tmp_path / "model.safetensors").write_bytes(b"weights")
    before = model_fingerprint(tmp_path)
    write_precedents(tmp_path, precedents_from(LINES))
    np.savez(tmp_path / VECTORS_FILE, vectors=np.zeros((2, 3)))
    assert model_fingerprint(tmp_path) == before


def test_a_broken_precedents_file_is_reported_and_answers_go_on(
    tmp_path: Path, embedder: Embedder, caplog: pytest.LogCaptureFixture
) -> None:
    assert load_precedent_bank(tmp_path, embedder) is None  # a model tuned before them
    for broken in (
        '{"question": "Can I?"\n',
        '{"question": "Can I?"}\n',
        '{"question": "Can I?", "gold": "clients"}\n',
        # Left open yet pointing at a clause, or neither answered nor left open.
        '{"question": "Can I?", "gold": ["clients"], "covered": false}\n',
        '{"question": "Can I?", "gold": [], "covered": "no"}\n',
    ):
        (tmp_path / PRECEDENTS_FILE).write_text(broken, encoding="utf-8")
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            assert load_precedent_bank(tmp_path, embedder) is None
        assert "Not using the precedents" in caplog.text and "policybot tune" in caplog.text


def test_an_unwritable_model_directory_still_gets_its_precedents(
    tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_precedents(tmp_path, precedents_from(LINES))

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError("read-only file system")

    monkeypatch.setattr("bot.precedent_files.tempfile.NamedTemporaryFile", refuse)
    loaded = load_precedent_bank(tmp_path, embedder)
    assert loaded is not None and len(loaded) == 3
    assert not (tmp_path / VECTORS_FILE).exists()


def test_precedents_need_one_vector_each() -> None:
    with pytest.raises(ValueError, match="2 precedents but 1 vectors"):
        PrecedentBank(precedents_from(LINES)[:2], np.zeros((1, 384), dtype=np.float32))
