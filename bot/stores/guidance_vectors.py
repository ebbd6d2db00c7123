"""Where embedded PIO guidance lives: its own Chroma collection, or memory for tests.

Like the clause store, vectors come from PolicyBot's embedder; Chroma is never
given an embedding function. Agency scope is exact: guidance saved for one
agency is never a neighbour of another agency's question.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np

from bot.core.ports import Vectors
from bot.stores.chroma_clients import http_client, persistent_client

NO_AGENCY = ""  # Chroma metadata cannot hold None


def _scope(agency_id: str | None) -> str:
    return agency_id or NO_AGENCY


class MemoryGuidanceVectors:
    def __init__(self) -> None:
        self._rows: dict[str, tuple[str, Vectors]] = {}
        self._lock = threading.Lock()

    def upsert(self, guidance_id: str, agency_id: str | None, vector: Vectors) -> None:
        v = np.asarray(vector, dtype=np.float32)
        with self._lock:
            self._rows[guidance_id] = (_scope(agency_id), v / (np.linalg.norm(v) or 1.0))

    def delete(self, guidance_id: str) -> None:
        with self._lock:
            self._rows.pop(guidance_id, None)

    def search(self, query: Vectors, k: int, agency_id: str | None) -> list[tuple[str, float]]:
        q = np.asarray(query, dtype=np.float32)
        q = q / (np.linalg.norm(q) or 1.0)
        with self._lock:
            scored = [
                (gid, float(np.dot(q, v)))
                for gid, (scope, v) in self._rows.items()
                if scope == _scope(agency_id)
            ]
        return sorted(scored, key=lambda t: -t[1])[:k]


class ChromaGuidanceVectors:
    def __init__(self, client: Any, collection: str = "pio_guidance") -> None:
        self._col = client.get_or_create_collection(
            collection, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
        )

    @classmethod
    def persistent(cls, path: Path, collection: str = "pio_guidance") -> ChromaGuidanceVectors:
        return cls(persistent_client(path), collection)

    @classmethod
    def http(cls, url: str, collection: str = "pio_guidance") -> ChromaGuidanceVectors:
        return cls(http_client(url), collection)

    def upsert(self, guidance_id: str, agency_id: str | None, vector: Vectors) -> None:
        self._col.upsert(
            ids=[guidance_id],
            embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
            metadatas=[{"agency_id": _scope(agency_id)}],
        )

    def delete(self, guidance_id: str) -> None:
        self._col.delete(ids=[guidance_id])

    def search(self, query: Vectors, k: int, agency_id: str | None) -> list[tuple[str, float]]:
        total = self._col.count()
        if total == 0:
            return []
        got = self._col.query(
            query_embeddings=[np.asarray(query, dtype=np.float32).tolist()],
            n_results=min(k, total),
            where={"agency_id": _scope(agency_id)},
            include=["distances"],
        )
        ids = got["ids"][0]
        dists = (got["distances"] or [[]])[0]
        return [(i, 1.0 - float(d)) for i, d in zip(ids, dists, strict=True)]
