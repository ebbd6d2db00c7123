"""Saved PIO guidance: found for similar questions of the same agency only, never
changes the policy answer, gone once retired. Memory vectors behind the port,
the real embedding model, real SQLite rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from bot.app import Runtime
from bot.core.escalation import AlreadyAnswered, EscalationDesk, EscalationError
from bot.core.guidance import GuidanceLibrary
from bot.core.ports import Embedder, Vectors
from bot.services import build_services
from bot.state.db import Database, sqlite_url
from bot.state.escalations import SqlEscalations
from bot.state.guidance import SqlGuidanceRecords
from bot.stores.guidance_vectors import MemoryGuidanceVectors
from tests.conftest import make_settings
from tests.pio.support import assistant_over

Q = "Can I post a photo of the youth basketball team's trophy on my own Instagram?"
SIMILAR = "May I put a photo of the youth basketball team's trophy on my personal Instagram?"
UNRELATED = "Who approves a new agency social media account?"


@pytest.fixture
def library(tmp_path: Path, embedder: Embedder) -> GuidanceLibrary:
    db = Database.open(sqlite_url(tmp_path))
    return GuidanceLibrary(SqlGuidanceRecords(db), MemoryGuidanceVectors(), embedder, 0.6)


def test_similar_question_of_the_same_agency_finds_it_others_do_not(
    library: GuidanceLibrary,
) -> None:
    saved = library.save(question=Q, text="Trophy only.", author="Pat PIO", agency_id="ma-dys")
    [found] = library.similar(SIMILAR, "ma-dys")
    assert found.id == saved.id and found.text == "Trophy only." and found.author == "Pat PIO"
    assert found.created == saved.created_at.date().isoformat()
    assert library.similar(UNRELATED, "ma-dys") == []
    assert library.similar(SIMILAR, "ct-dcf") == []  # another agency's question
    assert library.similar(SIMILAR, None) == []  # an all-agencies answer


def test_retired_guidance_is_never_shown_again(library: GuidanceLibrary) -> None:
    saved = library.save(question=Q, text="Trophy only.", author="Pat PIO", agency_id="ma-dys")
    retired = library.retire(saved.id, "Sam PIO")
    assert retired is not None and retired.retired_by == "Sam PIO"
    assert library.similar(Q, "ma-dys") == []
    assert library.retire(saved.id, "Sam PIO") is None


def test_a_retired_row_hides_guidance_even_if_its_vector_remains(
    tmp_path: Path, embedder: Embedder
) -> None:
    db = Database.open(sqlite_url(tmp_path))
    records, vectors = SqlGuidanceRecords(db), MemoryGuidanceVectors()
    library = GuidanceLibrary(records, vectors, embedder, 0.6)
    saved = library.save(question=Q, text="Trophy only.", author="Pat", agency_id="ma-dys")
    records.retire(saved.id, "CLI", datetime.now(UTC))  # the vector delete never happened
    assert library.similar(Q, "ma-dys") == []


class _Rotated:
    """Another model: the same vectors rolled by one dimension (nothing like the old ones)."""

    def __init__(self, inner: Embedder) -> None:
        self._inner = inner
        self.fingerprint = "rotated"

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        return np.roll(self._inner.embed_documents(texts), 1, axis=1)

    def embed_query(self, text: str) -> Vectors:
        return np.roll(self._inner.embed_query(text), 1)


def test_guidance_is_found_again_after_the_model_changes(
    tmp_path: Path, embedder: Embedder
) -> None:
    db = Database.open(sqlite_url(tmp_path))
    records, vectors = SqlGuidanceRecords(db), MemoryGuidanceVectors()
    GuidanceLibrary(records, vectors, embedder, 0.6).save(
        question=Q, text="Trophy only.", author="Pat", agency_id="ma-dys"
    )
    retired = GuidanceLibrary(records, vectors, embedder, 0.6).save(
        question=UNRELATED, text="Old.", author="Pat", agency_id="ma-dys"
    )
    records.retire(retired.id, "CLI", datetime.now(UTC))
    after_tune = GuidanceLibrary(records, vectors, _Rotated(embedder), 0.6)
    assert after_tune.similar(SIMILAR, "ma-dys") == []  # old vectors, new model
    assert after_tune.reembed() == 1  # the retired answer stays retired
    [found] = after_tune.similar(SIMILAR, "ma-dys")
    assert found.text == "Trophy only."


def test_guidance_never_changes_the_verdict_covered_flag_or_citations(
    tmp_path: Path, runtime: Runtime, embedder: Embedder
) -> None:
    settings = make_settings(tmp_path, agency="ma-dys")
    services = build_services(settings, embedder=embedder, guidance_vectors=MemoryGuidanceVectors())
    assistant = assistant_over(runtime, settings, services)
    before = assistant.ask(SIMILAR)
    assert before.guidance == []
    assert services.guidance is not None
    services.guidance.save(
        question=Q, text="Trophy only, no youth.", author="Pat", agency_id="ma-dys"
    )
    after = assistant.ask(SIMILAR)
    assert [g.text for g in after.guidance] == ["Trophy only, no youth."]
    assert after.covered == before.covered
    assert after.verdicts == before.verdicts
    assert [c.id for c in after.citations] == [c.id for c in before.citations]
    assert all("Trophy only" not in c.clause.text for c in after.citations)
    assert "guidance" in after.to_json() and "guidance" not in before.to_json()
    services.close()


def test_desk_answers_once_and_saves_only_answered_questions(
    tmp_path: Path, library: GuidanceLibrary
) -> None:
    db = Database.open(sqlite_url(tmp_path / "desk"))
    desk = EscalationDesk(SqlEscalations(db), b"k" * 32, library)
    e = desk.open(
        platform="slack",
        user_id="U1",
        question=Q,
        agency_id="ma-dys",
        citation_ids=[],
        reply_to={"user": "U1"},
    )
    assert e.asker_hash != "U1" and "U1" not in e.asker_hash
    with pytest.raises(EscalationError, match="Answer the question"):
        desk.save_guidance(e.id, "Pat")
    with pytest.raises(EscalationError, match="Type an answer"):
        desk.answer(e.id, "   ", "Pat")
    done = desk.answer(e.id, "Trophy only.", "Pat")
    assert done.reply_to == {"user": "U1"}
    with pytest.raises(AlreadyAnswered, match="already answered by Pat"):
        desk.answer(e.id, "Something else", "Sam")
    record = desk.save_guidance(e.id, "Pat")
    assert desk.save_guidance(e.id, "Pat").id == record.id  # a double click saves once
    assert library.similar(SIMILAR, "ma-dys")[0].text == "Trophy only."
    desk.retire_guidance(record.id, "Pat")
    with pytest.raises(EscalationError, match="already retired"):
        desk.retire_guidance(record.id, "Pat")
    with pytest.raises(EscalationError):
        desk.open(
            platform="slack",
            user_id="U1",
            question="  ",
            agency_id=None,
            citation_ids=[],
            reply_to={},
        )
