"""ClauseStore in memory: for tests of the core and for throwaway indexes."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from bot.core.models import Clause
from bot.core.ports import Vectors


class MemoryClauseStore:
    def __init__(self) -> None:
        self._clauses: dict[str, Clause] = {}
        self._vectors: dict[str, Vectors] = {}
        self._hashes: dict[str, str] = {}

    def ping(self) -> None:
        return None

    def replace_document(
        self,
        policy_id: str,
        clauses: Sequence[Clause],
        embeddings: Vectors,
        content_hash: str,
    ) -> None:
        for cid in [c.id for c in self._clauses.values() if c.policy_id == policy_id]:
            del self._clauses[cid]
            del self._vectors[cid]
        for c, v in zip(clauses, embeddings, strict=True):
            self._clauses[c.id] = c
            self._vectors[c.id] = np.asarray(v, dtype=np.float32)
        self._hashes[policy_id] = content_hash

    def delete_document(self, policy_id: str) -> None:
        self.replace_document(policy_id, [], np.zeros((0, 1), dtype=np.float32), "")
        del self._hashes[policy_id]

    def collect_garbage(self) -> int:
        # Replacements happen in one step in memory: nothing is ever left behind.
        return 0

    def document_hashes(self) -> dict[str, str]:
        return dict(self._hashes)

    def clauses(self, policy_id: str | None = None) -> list[Clause]:
        found = [c for c in self._clauses.values() if policy_id in (None, c.policy_id)]
        return sorted(found, key=lambda c: (c.policy_id, c.ordinal))

    def embeddings_for(self, clause_ids: Sequence[str]) -> dict[str, Vectors]:
        return {i: self._vectors[i] for i in clause_ids if i in self._vectors}

    def search(
        self, query: Vectors, k: int, agency_ids: Sequence[str] | None = None
    ) -> list[tuple[Clause, float]]:
        pool = [c for c in self._clauses.values() if not agency_ids or c.agency_id in agency_ids]
        if not pool:
            return []
        matrix = np.stack([self._vectors[c.id] for c in pool])
        scores = matrix @ np.asarray(query, dtype=np.float32)
        order = np.argsort(-scores)[:k]
        return [(pool[i], float(scores[i])) for i in order]

    def version(self) -> str:
        joined = "\n".join(f"{k}={v}" for k, v in sorted(self._hashes.items()))
        return hashlib.sha1(joined.encode()).hexdigest()
