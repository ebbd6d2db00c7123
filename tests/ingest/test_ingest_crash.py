"""Crash safety of ingest: a SIGKILLed `policybot ingest`, a crash between writes, and
readers interleaved with an edit. Real embedded Chroma and the real model throughout."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bot.app import build_runtime, ingest
from bot.core.ports import Embedder
from bot.stores.chroma_store import ChromaClauseStore
from ingest.manifest import load_manifest
from ingest.pipeline import run_ingest, segment_file
from tests.conftest import KNOWLEDGE, ROOT, make_settings

SOURCE = "ct-dcf-12-15-social-media.txt"  # the shortest policy: cheap to embed many times


def _many_docs(dest: Path, copies: int) -> Path:
    """A knowledge dir with ``copies`` distinct versions of one policy, each its own document."""
    manifest = yaml.safe_load((KNOWLEDGE / "manifest.yaml").read_text(encoding="utf-8"))
    entry = next(d for d in manifest["documents"] if d["file"].endswith(SOURCE))
    text = (KNOWLEDGE / "policies" / SOURCE).read_text(encoding="utf-8")
    (dest / "policies").mkdir(parents=True)
    docs = []
    for n in range(copies):
        name = f"copy-{n:02d}.txt"
        (dest / "policies" / name).write_text(
            text + f"\n\nStaff must keep revision record {n} on file.\n", encoding="utf-8"
        )
        docs.append({**entry, "file": f"policies/{name}", "id": f"ct-dcf-copy-{n:02d}"})
    manifest["documents"] = docs
    (dest / "manifest.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    return dest


def _raw_rows(store: ChromaClauseStore) -> list[dict[str, Any]]:
    got = store._clauses.get(include=["metadatas"])
    return list(got["metadatas"] or [])


def _assert_each_document_whole(store: ChromaClauseStore, knowledge: Path) -> None:
    """Every indexed document shows exactly its segmented clauses: no half, no extra."""
    manifest = load_manifest(knowledge)
    by_id = {m.policy_id: m for m in manifest.documents()}
    for policy_id in store.document_hashes():
        doc, _ = segment_file(by_id[policy_id])
        seen = [(c.id, c.text) for c in store.clauses(policy_id)]
        assert seen == [(c.id, c.text) for c in doc.clauses], policy_id


def test_sigkilled_ingest_then_rerun_leaves_a_complete_index(
    tmp_path: Path, embedder: Embedder
) -> None:
    knowledge = _many_docs(tmp_path / "knowledge", copies=20)
    data_dir = tmp_path / "data"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "POLICYBOT_DATA_DIR": str(data_dir),
        "POLICYBOT_KNOWLEDGE_DIR": str(knowledge),
        "HF_HUB_OFFLINE": "1",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "ingest"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        env=env,
        cwd=tmp_path,
    )
    assert proc.stderr is not None
    seen: list[str] = []
    try:
        for raw in proc.stderr:
            line = raw.decode("utf-8", errors="replace")
            seen.append(line)
            # Ingest embeds new clauses in batches of about 512 across documents
            # (37 per copy here): the first 14 copies are written together, so at
            # "ingesting 17/20" they are in and copies 15-17 are pending.
            if line.startswith("ingesting 17/"):
                proc.send_signal(signal.SIGKILL)
                break
    finally:
        proc.kill()
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "".join(seen)[-2000:]

    # After the kill: the index opens, and what readers see is whole documents only.
    settings = make_settings(data_dir, knowledge_dir=knowledge)
    runtime = build_runtime(settings, embedder=embedder)
    store = runtime.store
    assert isinstance(store, ChromaClauseStore)
    assert 0 < len(store.document_hashes()) < 20
    _assert_each_document_whole(store, knowledge)

    # The next run completes the index and collects whatever the killed run left.
    report = ingest(runtime)
    assert report.ok
    assert len(report.unchanged) == len(store.document_hashes()) - len(report.added)
    assert len(store.document_hashes()) == 20
    _assert_each_document_whole(store, knowledge)
    rows = _raw_rows(store)
    visible = store.clauses()
    assert len(rows) == len(visible)  # no orphan or duplicate rows behind the readers' view
    assert len({c.id for c in visible}) == len(visible)


def _wrap(obj: Any, name: str, after: Callable[[str], None]) -> None:
    real = getattr(obj, name)

    def call(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        after(name)
        return result

    setattr(obj, name, call)


def _edit(knowledge: Path) -> Path:
    path = knowledge / "policies" / "copy-01.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("revision record 1", "revision record 1 and a new sentence")
        + "\nStaff must never share passwords with youth.\n",
        encoding="utf-8",
    )
    return path


def test_readers_see_the_old_or_the_new_version_never_a_mix(
    tmp_path: Path, embedder: Embedder
) -> None:
    knowledge = _many_docs(tmp_path / "knowledge", copies=2)
    store = ChromaClauseStore.persistent(tmp_path / "chroma")
    run_ingest(load_manifest(knowledge), store, embedder)
    policy_id = "ct-dcf-copy-01"
    old = [(c.id, c.text) for c in store.clauses(policy_id)]
    _edit(knowledge)
    new_doc, _ = segment_file(load_manifest(knowledge).documents()[1])
    new = [(c.id, c.text) for c in new_doc.clauses]
    assert old != new
    query = embedder.embed_query("Can staff share passwords with youth?")
    observed: list[str] = []

    def read_now(step: str) -> None:
        # A reader between any two writes of the edit.
        seen = [(c.id, c.text) for c in store.clauses(policy_id)]
        assert seen in (old, new), step
        hits = {c.id for c, _ in store.search(query, 50) if c.policy_id == policy_id}
        assert hits <= {i for i, _ in old} or hits <= {i for i, _ in new}, step
        observed.append("new" if seen == new else "old")

    for collection in (store._clauses, store._docs):
        for method in ("upsert", "delete"):
            _wrap(collection, method, read_now)
    report = run_ingest(load_manifest(knowledge), store, embedder)
    assert report.updated == [policy_id]
    assert observed[0] == "old" and observed[-1] == "new"
    assert observed == sorted(observed, key=lambda v: v == "new")  # one switch, never back


def test_crash_between_writing_and_switching_keeps_the_old_version(
    tmp_path: Path, embedder: Embedder
) -> None:
    knowledge = _many_docs(tmp_path / "knowledge", copies=2)
    store = ChromaClauseStore.persistent(tmp_path / "chroma")
    run_ingest(load_manifest(knowledge), store, embedder)
    policy_id = "ct-dcf-copy-01"
    old = [(c.id, c.text) for c in store.clauses(policy_id)]
    _edit(knowledge)

    class Killed(BaseException):
        pass

    real_upsert = store._docs.upsert

    def die(*args: Any, **kwargs: Any) -> None:
        raise Killed  # the process dies right before the switch

    store._docs.upsert = die  # type: ignore[method-assign]
    with contextlib.suppress(Killed):
        run_ingest(load_manifest(knowledge), store, embedder)
    store._docs.upsert = real_upsert  # type: ignore[method-assign]
    assert [(c.id, c.text) for c in store.clauses(policy_id)] == old
    assert len(_raw_rows(store)) > len(store.clauses())  # the new rows exist, unseen

    reopened = ChromaClauseStore.persistent(tmp_path / "chroma")
    report = run_ingest(load_manifest(knowledge), reopened, embedder)
    assert report.garbage_collected > 0 and report.updated == [policy_id]
    assert len(_raw_rows(reopened)) == len(reopened.clauses())
    _assert_each_document_whole(reopened, knowledge)


def test_index_from_before_generations_is_rebuilt(tmp_path: Path, embedder: Embedder) -> None:
    knowledge = _many_docs(tmp_path / "knowledge", copies=1)
    store = ChromaClauseStore.persistent(tmp_path / "chroma")
    # A record written by the previous store layout: a hash, no generation.
    store._docs.upsert(ids=["ct-dcf-copy-00"], embeddings=[[1.0]], metadatas=[{"hash": "x"}])
    report = run_ingest(load_manifest(knowledge), store, embedder)
    assert report.added == ["ct-dcf-copy-00"]
    _assert_each_document_whole(store, knowledge)
    shutil.rmtree(tmp_path / "chroma")


def test_corrupt_pdf_is_named_the_rest_ingests_and_its_old_version_stays(
    tmp_path: Path, embedder: Embedder
) -> None:
    from fpdf import FPDF

    knowledge = _many_docs(tmp_path / "knowledge", copies=2)
    manifest = yaml.safe_load((knowledge / "manifest.yaml").read_text(encoding="utf-8"))
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 5, "Staff shall not post photographs of youth in care on social media.")
    (knowledge / "policies" / "scan.pdf").write_bytes(bytes(pdf.output()))
    entry = {**manifest["documents"][0], "file": "policies/scan.pdf", "id": "ct-dcf-scan"}
    manifest["documents"].append(entry)
    (knowledge / "manifest.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    store = ChromaClauseStore.persistent(tmp_path / "chroma")
    assert run_ingest(load_manifest(knowledge), store, embedder).ok
    before = [(c.id, c.text) for c in store.clauses("ct-dcf-scan")]
    assert before

    (knowledge / "policies" / "scan.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    _edit(knowledge)  # another document changes in the same run
    report = run_ingest(load_manifest(knowledge), store, embedder)
    assert [name for name, _ in report.failed] == ["scan.pdf"]
    assert report.updated == ["ct-dcf-copy-01"]  # the rest of the corpus went in
    assert [(c.id, c.text) for c in store.clauses("ct-dcf-scan")] == before
    query = embedder.embed_query("Can I post photographs of youth in care?")
    assert any(c.policy_id == "ct-dcf-scan" for c, _ in store.search(query, 10))
