"""ClauseStore on Chroma: embedded (PersistentClient) or a `chroma run` server (HttpClient).

Vectors are always computed by PolicyBot and passed in: the collections are
created with ``embedding_function=None`` so Chroma never loads (or downloads) a
model of its own, and never rebuilds one from the config it stores.

Generations: a document's clauses are written under a new generation (rows
``<clause id>@<generation>``), then the document's record switches its active
generation in one write, then the old generation's rows are deleted. Readers
only see rows of active generations, so during an ingest they see the old
version of a document or the new one, never a mix; a run killed half-way leaves
only rows of an inactive generation, which the next ingest collects.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from bot.core.models import Clause, IndexUnavailable
from bot.core.ports import Vectors
from bot.stores.chroma_clients import http_client, persistent_client

log = logging.getLogger(__name__)
T = TypeVar("T")
_PAGE = 5000


def _generation(content_hash: str) -> str:
    # From the content: a re-run of a killed ingest rewrites the same rows.
    return content_hash[:16]


def _gen_key(policy_id: str, generation: str) -> str:
    return f"{policy_id}@{generation}"


def _meta(c: Clause, generation: str) -> dict[str, str | int]:
    return {
        "clause_id": c.id,
        "gen_key": _gen_key(c.policy_id, generation),
        "policy_id": c.policy_id,
        "agency_id": c.agency_id,
        "agency": c.agency,
        "policy": c.policy,
        "section": c.section,
        "context": c.context,
        "start": c.start,
        "end": c.end,
        "ordinal": c.ordinal,
        "governs": c.governs,
    }


def _clause(row_id: str, text: str, m: dict[str, Any]) -> Clause:
    return Clause(
        id=str(m.get("clause_id", row_id)),
        policy_id=str(m["policy_id"]),
        agency_id=str(m["agency_id"]),
        agency=str(m["agency"]),
        policy=str(m["policy"]),
        section=str(m.get("section", "")),
        context=str(m.get("context", "")),
        text=text,
        start=int(m["start"]),
        end=int(m["end"]),
        ordinal=int(m["ordinal"]),
        governs=str(m.get("governs", "staff")),
    )


# Extra nearest rows asked for, to make up for rows of inactive generations.
_OVERFETCH = 20
# HNSW candidate list per query. Chroma's default (100) is barely above the ~80 rows a
# question asks for, so a relevant clause could be missed now and then, and the
# server and embedded indexes (built in different orders) could disagree.
EF_SEARCH = 400


class ChromaClauseStore:
    def __init__(self, client: Any, collection: str = "policy_clauses") -> None:
        self._client = client
        self._name = collection
        self._stale = False
        self._open(create=True)

    def _open(self, create: bool) -> None:
        client, name = self._client, self._name
        if create:
            self._clauses_col = self._guard(
                lambda: client.get_or_create_collection(
                    name,
                    embedding_function=None,
                    configuration={"hnsw": {"space": "cosine", "ef_search": EF_SEARCH}},
                )
            )
            hnsw = (self._clauses_col.configuration or {}).get("hnsw") or {}
            if hnsw.get("ef_search", 0) < EF_SEARCH:  # a collection made before this setting
                self._guard(
                    lambda: self._clauses_col.modify(
                        configuration={"hnsw": {"ef_search": EF_SEARCH}}
                    )
                )
            self._docs_col = self._guard(
                lambda: client.get_or_create_collection(
                    f"{name}_documents", embedding_function=None
                )
            )
        else:
            # Never re-create here: a server that lost the index must read as
            # unavailable, not as an empty index whose answer is "policies are silent".
            self._clauses_col = self._guard(
                lambda: client.get_collection(name, embedding_function=None), retry=False
            )
            self._docs_col = self._guard(
                lambda: client.get_collection(f"{name}_documents", embedding_function=None),
                retry=False,
            )
        self._stale = False

    # After a failure the collection handles are looked up again on next use: a
    # Chroma server restored or rebuilt meanwhile may hold them under new ids.
    @property
    def _clauses(self) -> Any:
        if self._stale:
            self._open(create=False)
        return self._clauses_col

    @property
    def _docs(self) -> Any:
        if self._stale:
            self._open(create=False)
        return self._docs_col

    @classmethod
    def persistent(cls, path: Path, collection: str = "policy_clauses") -> ChromaClauseStore:
        return cls(persistent_client(path), collection)

    @classmethod
    def http(cls, url: str, collection: str = "policy_clauses") -> ChromaClauseStore:
        try:
            client = http_client(url)
        except ValueError:
            raise
        except Exception as err:  # chromadb raises plain exceptions on connect
            raise IndexUnavailable(f"cannot reach the Chroma server at {url}: {err}") from err
        return cls(client, collection)

    def _guard(self, call: Callable[[], T], retry: bool = True) -> T:
        try:
            return call()
        except IndexUnavailable:
            raise
        except (ValueError, KeyError, TypeError):
            raise
        except Exception as err:
            # Connection refused, timeouts, server errors, a collection gone: the index
            # is unreachable for now; the collections are looked up again on next use.
            self._stale = True
            # chromadb.errors.NotFoundError (by name: this module imports chromadb lazily):
            # the collection was dropped and rebuilt, so one fresh lookup answers now.
            if retry and type(err).__name__ == "NotFoundError":
                return self._guard(call, retry=False)
            raise IndexUnavailable(f"the policy index is unreachable: {err}") from err

    def ping(self) -> None:
        self._guard(self._client.heartbeat)
        self._guard(self._clauses.count)

    def _active(self) -> dict[str, str]:
        """policy_id -> the gen_key readers may see."""
        got = self._guard(lambda: self._docs.get(include=["metadatas"]))
        return {
            i: _gen_key(i, str(m["gen"]))
            for i, m in zip(got["ids"], got["metadatas"] or [], strict=True)
            if m and m.get("gen")
        }

    def _rows(self, where: dict[str, Any] | None) -> list[tuple[str, dict[str, Any]]]:
        """(row id, metadata) of every row matching ``where``, in pages."""
        out: list[tuple[str, dict[str, Any]]] = []
        offset = 0
        while True:
            got = self._guard(
                lambda o=offset: self._clauses.get(  # type: ignore[misc]
                    where=where, include=["metadatas"], limit=_PAGE, offset=o
                )
            )
            out += list(zip(got["ids"], got["metadatas"] or [], strict=True))
            if len(got["ids"]) < _PAGE:
                return out
            offset += _PAGE

    def _delete_rows(self, ids: Sequence[str]) -> None:
        for i in range(0, len(ids), _PAGE):
            chunk = list(ids[i : i + _PAGE])
            self._guard(lambda c=chunk: self._clauses.delete(ids=c))  # type: ignore[misc]

    def replace_document(
        self,
        policy_id: str,
        clauses: Sequence[Clause],
        embeddings: Vectors,
        content_hash: str,
    ) -> None:
        gen = _generation(content_hash)
        key = _gen_key(policy_id, gen)
        for i in range(0, len(clauses), _PAGE):
            batch = clauses[i : i + _PAGE]
            vecs = embeddings[i : i + _PAGE]
            self._guard(
                lambda b=batch, v=vecs: self._clauses.upsert(  # type: ignore[misc]
                    ids=[f"{c.id}@{gen}" for c in b],
                    embeddings=np.asarray(v, dtype=np.float32),
                    documents=[c.text for c in b],
                    metadatas=[_meta(c, gen) for c in b],
                )
            )
        # The switch: one write makes the new generation the one readers see.
        self._guard(
            lambda: self._docs.upsert(
                ids=[policy_id],
                embeddings=np.ones((1, 1), dtype=np.float32),
                metadatas=[{"hash": content_hash, "gen": gen}],
            )
        )
        stale = [i for i, m in self._rows({"policy_id": policy_id}) if m.get("gen_key") != key]
        self._delete_rows(stale)

    def delete_document(self, policy_id: str) -> None:
        self._guard(lambda: self._docs.delete(ids=[policy_id]))
        self._delete_rows([i for i, _ in self._rows({"policy_id": policy_id})])

    def collect_garbage(self) -> int:
        """Delete rows no reader can see (left by a killed ingest); return how many."""
        active = set(self._active().values())
        garbage = [i for i, m in self._rows(None) if m.get("gen_key") not in active]
        self._delete_rows(garbage)
        return len(garbage)

    def document_hashes(self) -> dict[str, str]:
        got = self._guard(lambda: self._docs.get(include=["metadatas"]))
        # A record without a generation predates generations: treat it as not indexed.
        return {
            i: str(m["hash"])
            for i, m in zip(got["ids"], got["metadatas"] or [], strict=True)
            if m and m.get("gen")
        }

    def _visible(self, active: dict[str, str], policy_id: str | None = None) -> dict[str, Any]:
        keys = [active[policy_id]] if policy_id in active else []
        if policy_id is None:
            keys = sorted(active.values())
        return {"gen_key": {"$in": keys or ["-"]}}

    def _pages(self, where: dict[str, Any] | None) -> Iterator[dict[str, Any]]:
        offset = 0
        while True:
            got = self._guard(
                lambda o=offset: self._clauses.get(  # type: ignore[misc]
                    where=where, include=["documents", "metadatas"], limit=_PAGE, offset=o
                )
            )
            yield got
            if len(got["ids"]) < _PAGE:
                return
            offset += _PAGE

    def _consistent(self, read: Callable[[dict[str, str]], T]) -> T:
        """Run ``read`` against the active generations; redo it if they switched meanwhile
        (the old rows may have been deleted under it)."""
        active = self._active()
        for _ in range(3):
            result = read(active)
            now = self._active()
            if now == active:
                return result
            active = now
        return read(active)

    def clauses(self, policy_id: str | None = None) -> list[Clause]:
        def read(active: dict[str, str]) -> list[Clause]:
            out: list[Clause] = []
            for got in self._pages(self._visible(active, policy_id)):
                docs = got["documents"] or []
                metas = got["metadatas"] or []
                out += [_clause(i, d, m) for i, d, m in zip(got["ids"], docs, metas, strict=True)]
            out.sort(key=lambda c: (c.policy_id, c.ordinal))
            return out

        return self._consistent(read)

    def embeddings_for(self, clause_ids: Sequence[str]) -> dict[str, Vectors]:
        # Any generation will do: a clause id is a hash of its text, so equal ids
        # have equal vectors (this is how unchanged clauses skip re-embedding).
        out: dict[str, Vectors] = {}
        ids = list(clause_ids)
        for i in range(0, len(ids), _PAGE):
            chunk = ids[i : i + _PAGE]
            got = self._guard(
                lambda c=chunk: self._clauses.get(  # type: ignore[misc]
                    where={"clause_id": {"$in": c}}, include=["embeddings", "metadatas"]
                )
            )
            embs = got["embeddings"]
            if embs is None:
                continue
            for m, e in zip(got["metadatas"] or [], embs, strict=True):
                out[str(m["clause_id"])] = np.asarray(e, dtype=np.float32)
        return out

    def search(
        self, query: Vectors, k: int, agency_ids: Sequence[str] | None = None
    ) -> list[tuple[Clause, float]]:
        agency_where: dict[str, Any] | None = None
        if agency_ids:
            agency_where = (
                {"agency_id": agency_ids[0]}
                if len(agency_ids) == 1
                else {"agency_id": {"$in": list(agency_ids)}}
            )

        def read(active: dict[str, str]) -> list[tuple[Clause, float]]:
            # Rows of a generation that is not active (an ingest mid-switch, or what a
            # killed ingest left) are dropped here rather than filtered in the query: a
            # `gen_key $in [every active generation]` filter makes Chroma pre-filter
            # tens of thousands of rows per question at a thousand documents.
            visible = set(active.values())
            total = self._guard(self._clauses.count)
            if total == 0 or not visible:
                return []
            want = min(k, total)
            n = min(total, want + _OVERFETCH)
            while True:
                got = self._guard(
                    lambda n=n: self._clauses.query(  # type: ignore[misc]
                        query_embeddings=[np.asarray(query, dtype=np.float32).tolist()],
                        n_results=n,
                        where=agency_where,
                        include=["documents", "metadatas", "distances"],
                    )
                )
                ids = got["ids"][0]
                docs = (got["documents"] or [[]])[0]
                metas = (got["metadatas"] or [[]])[0]
                dists = (got["distances"] or [[]])[0]
                rows = [
                    (_clause(i, d, m), 1.0 - float(dist))
                    for i, d, m, dist in zip(ids, docs, metas, dists, strict=True)
                    if m and m.get("gen_key") in visible
                ]
                if len(rows) >= want or n >= total or len(ids) < n:
                    return rows[:want]
                n = min(total, n * 2)

        return self._consistent(read)

    def version(self) -> str:
        hashes = self.document_hashes()
        joined = "\n".join(f"{k}={v}" for k, v in sorted(hashes.items()))
        return hashlib.sha1(joined.encode()).hexdigest()
