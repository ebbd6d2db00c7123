"""Saved PIO answers, found again for similar questions.

Guidance is shown under the policy quotes, labelled as PIO guidance. It never
changes a verdict, the covered flag, or the citations: the Assistant attaches
it after the policy answer is complete.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from bot.core.models import Guidance
from bot.core.ports import Embedder
from bot.core.records import GuidanceRecord, GuidanceRecords, GuidanceVectors

MAX_SHOWN = 2


def _now() -> datetime:
    return datetime.now(UTC)


class GuidanceLibrary:
    def __init__(
        self,
        records: GuidanceRecords,
        vectors: GuidanceVectors,
        embedder: Embedder,
        min_score: float = 0.6,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self._records = records
        self._vectors = vectors
        self._embedder = embedder
        self._min_score = min_score
        self._clock = clock

    def save(
        self,
        *,
        question: str,
        text: str,
        author: str,
        agency_id: str | None,
        escalation_id: str | None = None,
    ) -> GuidanceRecord:
        if escalation_id:
            existing = self._records.for_escalation(escalation_id)
            if existing is not None and existing.active:
                return existing
        record = GuidanceRecord(
            id=uuid.uuid4().hex[:12],
            agency_id=agency_id,
            question=question,
            text=text,
            author=author,
            created_at=self._clock(),
            escalation_id=escalation_id,
        )
        # The row first: a vector without its row is never shown (search checks rows).
        self._records.add(record)
        self._vectors.upsert(record.id, agency_id, self._embedder.embed_query(question))
        return record

    def reembed(self) -> int:
        """Re-embed every active guidance question (after the model changed, e.g.
        `policybot tune`): old vectors would be compared with another model's."""
        active = self._records.all(include_retired=False)
        for record in active:
            self._vectors.upsert(
                record.id, record.agency_id, self._embedder.embed_query(record.question)
            )
        return len(active)

    def retire(self, guidance_id: str, by: str) -> GuidanceRecord | None:
        record = self._records.retire(guidance_id, by, self._clock())
        if record is not None:
            self._vectors.delete(guidance_id)
        return record

    def get(self, guidance_id: str) -> GuidanceRecord | None:
        return self._records.get(guidance_id)

    def all(self, include_retired: bool = False) -> list[GuidanceRecord]:
        return self._records.all(include_retired)

    def similar(self, question: str, agency_id: str | None) -> list[Guidance]:
        """Active guidance of exactly this agency scope whose question is close to this one."""
        if not question.strip():
            return []
        hits = self._vectors.search(self._embedder.embed_query(question), 5, agency_id)
        out: list[Guidance] = []
        for gid, score in hits:
            if score < self._min_score:
                continue
            record = self._records.get(gid)
            # The row is the truth: retired (or vanished) guidance is never shown,
            # even if deleting its vector failed.
            if record is None or not record.active or record.agency_id != agency_id:
                continue
            out.append(
                Guidance(
                    id=record.id,
                    agency_id=record.agency_id or "",
                    question=record.question,
                    text=record.text,
                    author=record.author,
                    created=record.created_at.date().isoformat(),
                    score=score,
                )
            )
            if len(out) >= MAX_SHOWN:
                break
        return out
