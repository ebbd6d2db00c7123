"""`policybot ingest`: bring the index in line with the knowledge folder.

Idempotent: a document whose content hash is unchanged is skipped; an edited
document replaces only its own clauses (and only new clause texts are
embedded); a document no longer on disk loses its clauses. A file that cannot
be read is reported by name and its previous version stays searchable.

Crash safety lives in the store: a document's new version becomes visible in
one write (see bot/stores/chroma_store.py); a run killed half-way leaves rows
no reader sees, and the next run collects them first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.core.models import Clause
from bot.core.ports import ClauseStore, Embedder, Vectors
from ingest.loaders import SUPPORTED_SUFFIXES, LoadError, load_document
from ingest.manifest import DocumentMeta, Manifest, ManifestError, policy_files
from ingest.segment import SegmentedDocument, segment_document

# Bump when cleaning, segmentation or the vector recipe changes: every document
# is then re-segmented and re-embedded (vectors of an older recipe are not reused).
SEGMENTER_VERSION = "4"

Progress = Callable[[str, int, int], None]
# New clauses embedded per model call (across documents); see run_ingest.
EMBED_BATCH = 512


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    clauses_total: int = 0
    clauses_embedded: int = 0
    garbage_collected: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed


def content_hash(raw: str, model: str) -> str:
    """What a document's stored vectors were made from: segmenter, text and model.

    The model's fingerprint ends the hash, so vectors of another model (the
    packaged one before `policybot tune`) are never reused or left standing."""
    digest = hashlib.sha256(f"{SEGMENTER_VERSION}\n{model}\n{raw}".encode()).hexdigest()
    return f"v{SEGMENTER_VERSION}:{digest}:{model}"


def same_recipe(stored_hash: str | None, model: str) -> bool:
    """Were this document's stored vectors made by the current segmenter and model?"""
    stored = str(stored_hash or "")
    return stored.startswith(f"v{SEGMENTER_VERSION}:") and stored.endswith(f":{model}")


def outdated_documents(store: ClauseStore, embedder: Embedder) -> list[str]:
    """Indexed documents whose vectors another model or segmenter made.

    Another model's vectors cannot be compared with this model's question vectors:
    answers from them would look right and be wrong (e.g. when the tuned model was
    deleted by hand, or no longer matches the installed base model). Another
    segmenter's clauses are not the ones this version would quote."""
    model = embedder.fingerprint
    return sorted(p for p, h in store.document_hashes().items() if not same_recipe(h, model))


def embed_clauses(embedder: Embedder, clauses: Sequence[Clause]) -> npt.NDArray[np.float32]:
    """One unit vector per clause: the normalised mean of its views' embeddings."""
    if not clauses:
        return np.zeros((0, 0), dtype=np.float32)
    views = [c.embedding_views() for c in clauses]
    width = len(views[0])
    flat = embedder.embed_documents([text for v in views for text in v])
    mean = np.asarray(flat, dtype=np.float32).reshape(len(clauses), width, -1).mean(axis=1)
    norms = np.linalg.norm(mean, axis=1, keepdims=True)
    return (mean / np.maximum(norms, 1e-12)).astype(np.float32)


def segment_file(meta: DocumentMeta) -> tuple[SegmentedDocument, str]:
    """The document's clauses and the raw text they were cut from."""
    raw = load_document(meta.path)
    doc = segment_document(raw, meta)
    if not doc.clauses:
        raise LoadError(meta.path, "no policy text found in it")
    return doc, raw


def run_ingest(
    manifest: Manifest,
    store: ClauseStore,
    embedder: Embedder,
    paths: Sequence[Path] | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Index the manifest's documents (or just ``paths``) into ``store``."""
    report = IngestReport()
    on_disk = policy_files(manifest.root, SUPPORTED_SUFFIXES | {".pdf", ".docx", ".html", ".htm"})
    # Every document must be claimed by the manifest before anything is touched.
    for path in on_disk:
        manifest.meta_for(path)
    wanted = manifest.documents()
    if paths:
        chosen = {p.resolve() for p in paths}
        for p in chosen:
            if not p.exists():
                raise ManifestError(f"{p}: no such file")
        wanted = [m for m in wanted if m.path in chosen]
        missing = chosen - {m.path for m in wanted}
        if missing:
            raise ManifestError(f"{sorted(missing)[0]}: no entry in the manifest")
    report.garbage_collected = store.collect_garbage()
    model = embedder.fingerprint
    indexed = store.document_hashes()
    # Changed documents wait here until enough new clauses are pending to embed
    # them in one model call: the model sorts a call's texts by length, so large
    # mixed calls waste less padding than one small call per document.
    pending: list[tuple[DocumentMeta, SegmentedDocument, str, dict[str, Vectors]]] = []
    pending_fresh = 0

    def flush() -> None:
        nonlocal pending_fresh
        fresh = [c for _, doc, _, known in pending for c in doc.clauses if c.id not in known]
        vectors = embed_clauses(embedder, fresh)
        report.clauses_embedded += len(fresh)
        new_vecs = dict(zip((c.id for c in fresh), vectors, strict=True))
        for meta, doc, digest, known in pending:
            by_id = new_vecs | known
            matrix = np.stack([by_id[c.id] for c in doc.clauses]).astype(np.float32)
            store.replace_document(meta.policy_id, doc.clauses, matrix, digest)
            (report.updated if meta.policy_id in indexed else report.added).append(meta.policy_id)
        pending.clear()
        pending_fresh = 0

    for n, meta in enumerate(wanted, 1):
        if progress:
            progress(meta.path.name, n, len(wanted))
        try:
            doc, raw = segment_file(meta)
        except LoadError as err:
            report.failed.append((meta.path.name, err.reason))
            continue
        report.clauses_total += len(doc.clauses)
        digest = content_hash(raw, model)
        if indexed.get(meta.policy_id) == digest:
            report.unchanged.append(meta.policy_id)
            continue
        stored = indexed.get(meta.policy_id)
        # Vectors of an older recipe or another model are never reused, even for
        # unchanged clause ids.
        reuse = same_recipe(stored, model)
        known = store.embeddings_for([c.id for c in doc.clauses]) if reuse else {}
        pending.append((meta, doc, digest, known))
        pending_fresh += sum(c.id not in known for c in doc.clauses)
        if pending_fresh >= EMBED_BATCH:
            flush()
    if pending:
        flush()
    if not paths:
        listed = {m.policy_id for m in manifest.documents()}
        for policy_id in sorted(set(indexed) - listed):
            store.delete_document(policy_id)
            report.removed.append(policy_id)
    return report
