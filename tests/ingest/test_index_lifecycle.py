"""Ingest against real Chroma, embedded and a `chroma run` server: idempotent, edits
replace, removals delete."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.core.ports import Embedder
from bot.stores.chroma_store import ChromaClauseStore
from ingest.manifest import ManifestError, load_manifest
from ingest.pipeline import run_ingest
from tests.conftest import StoreFactory


def _snapshot(store: ChromaClauseStore) -> list[tuple[str, str]]:
    return [(c.id, c.text) for c in store.clauses()]


def test_ingest_twice_changes_nothing_and_embeds_nothing(
    knowledge: Path, make_store: StoreFactory, embedder: Embedder
) -> None:
    store = make_store()
    manifest = load_manifest(knowledge)
    first = run_ingest(manifest, store, embedder)
    before = _snapshot(store)
    second = run_ingest(manifest, store, embedder)
    assert first.clauses_embedded == len(before) > 200
    assert second.clauses_embedded == 0
    assert sorted(second.unchanged) == sorted(first.added)
    assert _snapshot(store) == before
    # A fresh process sees the same index (it persisted).
    assert _snapshot(make_store()) == before


def test_edited_document_replaces_only_its_own_clauses(
    knowledge: Path, make_store: StoreFactory, embedder: Embedder
) -> None:
    store = make_store()
    manifest = load_manifest(knowledge)
    run_ingest(manifest, store, embedder)
    others = [(c.id, c.text) for c in store.clauses() if c.policy_id != "ct-dcf-12-15"]
    path = knowledge / "policies" / "ct-dcf-12-15-social-media.txt"
    old = "DCF staff may not discuss or comment on clients"
    new_rule = "DCF staff may not livestream home visits on any platform."
    path.write_text(path.read_text().replace(old, f"{new_rule}\n\n{old}"))
    report = run_ingest(manifest, store, embedder)
    assert report.updated == ["ct-dcf-12-15"]
    assert report.clauses_embedded == 1  # only the new sentence was embedded
    ct = [c.text for c in store.clauses("ct-dcf-12-15")]
    assert new_rule in ct
    assert [(c.id, c.text) for c in store.clauses() if c.policy_id != "ct-dcf-12-15"] == others


def test_removed_document_loses_its_clauses(
    knowledge: Path, make_store: StoreFactory, embedder: Embedder
) -> None:
    store = make_store()
    run_ingest(load_manifest(knowledge), store, embedder)
    (knowledge / "policies" / "lccs-1004-social-media.txt").unlink()
    manifest_path = knowledge / "manifest.yaml"
    text = manifest_path.read_text()
    start = text.index("  - file: policies/lccs-1004-social-media.txt")
    end = text.index("  - file:", start + 10)
    manifest_path.write_text(text[:start] + text[end:])
    report = run_ingest(load_manifest(knowledge), store, embedder)
    assert report.removed == ["lccs-1004"]
    assert store.clauses("lccs-1004") == []
    assert "lccs-1004" not in store.document_hashes()


def test_a_document_without_a_manifest_entry_is_named(
    knowledge: Path, make_store: StoreFactory, embedder: Embedder
) -> None:
    stray = knowledge / "policies" / "new-agency-policy.txt"
    stray.write_text("Employees shall not post client photos.\n")
    store = make_store()
    with pytest.raises(ManifestError, match=r"new-agency-policy\.txt"):
        run_ingest(load_manifest(knowledge), store, embedder)
    assert store.clauses() == []  # nothing was touched


def test_corrupt_file_is_reported_and_previous_version_stays(
    knowledge: Path, make_store: StoreFactory, embedder: Embedder
) -> None:
    store = make_store()
    manifest = load_manifest(knowledge)
    run_ingest(manifest, store, embedder)
    before = _snapshot(store)
    path = knowledge / "policies" / "ma-dys-01-05-22-social-media.txt"
    path.write_bytes(b"\x00\x01binary junk\x00" * 50)
    report = run_ingest(manifest, store, embedder)
    assert [name for name, _ in report.failed] == [path.name]
    assert _snapshot(store) == before


def test_an_index_built_by_an_older_vector_recipe_is_re_embedded(
    knowledge: Path, tmp_path: Path, embedder: Embedder
) -> None:
    # An index from before the current recipe keeps hashes without our version
    # prefix: its vectors must not be reused for clauses whose ids still match.
    store = ChromaClauseStore.persistent(tmp_path / "chroma")
    manifest = load_manifest(knowledge)
    first = run_ingest(manifest, store, embedder)
    doc = store.clauses("ma-dys-01-05-22")
    vectors = store.embeddings_for([c.id for c in doc])
    stale = {cid: -v for cid, v in vectors.items()}  # vectors no recipe would produce
    store.replace_document(
        "ma-dys-01-05-22", doc, np.stack([stale[c.id] for c in doc]), "legacy-sha-without-version"
    )
    report = run_ingest(manifest, store, embedder)
    assert report.updated == ["ma-dys-01-05-22"]
    assert report.clauses_embedded == len(doc) < first.clauses_embedded
    fresh = store.embeddings_for([c.id for c in doc])
    assert all(np.allclose(fresh[c.id], vectors[c.id], atol=1e-5) for c in doc)
