"""Composition root: builds the real parts from Settings and wires them together.

The only place that knows which embedder, store and checker the process uses;
the CLI, the server and the tests call these builders.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.core.answer import PACKAGED_COVERAGE, TUNED_COVERAGE, Coverage, PolicyAnswerer
from bot.core.assistant import Assistant, DraftChecker
from bot.core.models import Clause, InputError
from bot.core.onboarding.references import validate_references
from bot.core.onboarding.service import Onboarding
from bot.core.onboarding.tour import Tour, load_tours
from bot.core.ports import ClauseStore, Embedder, WordEncoder
from bot.core.precedents import PrecedentBank
from bot.core.reasoner import Reasoner
from bot.core.retrieval import PACKAGED_FUSION, TUNED_FUSION, Fusion, HybridRetriever
from bot.core.soft_match import SoftMatcher
from bot.services import Services, build_services
from bot.settings import Settings
from ingest.loaders import LoadError
from ingest.manifest import Manifest, load_manifest
from ingest.pipeline import IngestReport, Progress, run_ingest, segment_file

if TYPE_CHECKING:
    from bot.tuning import TrainingSet

log = logging.getLogger(__name__)


def build_embedder(settings: Settings) -> Embedder:
    from bot.embedding import SentenceEmbedder
    from bot.tuning import INFO_FILE

    path = model_path(settings)
    tuned = settings.tuned_model_dir
    if path != tuned and (tuned / INFO_FILE).exists():
        # Set aside in silence, the agency's tuning would seem lost for no reason
        # (answers get worse, and nothing says why).
        log.warning(
            "The tuned model in %s was made from another base model, so answers use %s "
            "without it. Run `policybot tune FILE...` to tune that model, or "
            "`policybot tune --reset` to remove the old tuning.",
            tuned,
            path,
        )
    return SentenceEmbedder(path)


def base_model_path(settings: Settings) -> Path:
    """The model tuning starts from: the configured one, else the packaged MiniLM."""
    from bot.embedding import default_model_path

    return settings.embedding_model_path or default_model_path()


def model_path(settings: Settings) -> Path:
    """The model answers use: the tuned one when it was tuned from today's base model."""
    from bot.tuning import tuned_from

    base = base_model_path(settings)
    tuned = settings.tuned_model_dir
    return tuned if tuned_from(tuned, base) else base


def _tuned(settings: Settings) -> bool:
    """Whether answers use a model made by `policybot tune`: the data dir's, or a copy
    of one configured as the model (replicas sharing one copy get its weights and
    precedents, not the packaged model's)."""
    return _made_by_tune(model_path(settings))


def _made_by_tune(path: Path) -> bool:
    from bot.tuning import INFO_FILE

    return (path / INFO_FILE).is_file()


def model_notice(settings: Settings) -> tuple[int, str]:
    """Which model answers, and how loudly to say so when a server starts.

    A deployment left on the packaged model still answers every question, only far
    below the measured bars (docs/retrieval.md: the governing clause first for about
    half of the held-out questions, against nine in ten tuned), and nothing else in
    its answers would show it."""
    # Resolved once, so the path the notice names is the one judged tuned or not.
    path = model_path(settings)
    if _made_by_tune(path):
        return logging.INFO, f"answering with the tuned model at {path}"
    return logging.WARNING, (
        f"answering with the packaged model ({path}), not one tuned on the agency's "
        "questions: it puts the governing clause first for about half of the project's "
        "held-out questions, a tuned model for nine in ten. Run `policybot tune` on the "
        "question files, then point POLICYBOT_EMBEDDING_MODEL_PATH at the tuned model "
        "(README, Deployment)."
    )


def fusion_for(settings: Settings) -> Fusion:
    """The score weights measured for the model answers use (tuned or packaged)."""
    return TUNED_FUSION if _tuned(settings) else PACKAGED_FUSION


def coverage_for(settings: Settings) -> Coverage:
    """The coverage cosines measured for the model answers use (tuned or packaged)."""
    return TUNED_COVERAGE if _tuned(settings) else PACKAGED_COVERAGE


def tune(
    settings: Settings,
    items: Sequence[tuple[str, dict[str, Any]]],
    epochs: int,
    progress: Callable[[str, int, int], None] | None = None,
    seed: int = 0,
) -> tuple[TrainingSet, float]:
    """Fine-tune the base model on golden items and write it to the data directory.

    The first epoch's negatives come from the base model's own ranking over an
    in-memory index, the later epochs' from the model being trained over the same
    clauses, so tuning again on the same files gives the same model whatever is
    indexed now.
    Returns the training set (with skipped lines) and the training seconds; raises
    InputError when no item yields a training pair. Re-ingesting is the caller's.
    """
    from bot.embedding import SentenceEmbedder
    from bot.precedent_files import precedents_from
    from bot.stores.memory_store import MemoryClauseStore
    from bot.tuning import fine_tune, training_pairs

    manifest = load_manifest(settings.knowledge_dir)
    # An unreadable file (`policybot ingest` names it) just teaches nothing here.
    clauses = _manifest_clauses(manifest, lambda policy_id: [])
    base_path = base_model_path(settings)
    retrievers: list[HybridRetriever] = []

    def ranked(question: str, agency: str | None) -> list[Clause]:
        # Built on the first usable item: a file that matches no clause fails fast.
        if not retrievers:
            base = SentenceEmbedder(base_path)
            store = MemoryClauseStore()
            run_ingest(manifest, store, base)
            # Without the wording cues: a hard negative is what the model's own
            # scores confuse, and the cues settle some of those ties after the model.
            retrievers.append(HybridRetriever(store, base, matcher=build_matcher(base), cues=False))
        hits = retrievers[0].retrieve(question, [agency] if agency else None, 8)
        return [h.clause for h in hits]

    found = training_pairs(items, clauses, ranked)
    # Out-of-scope lines alone would only teach the model to stay away from every clause.
    if not any(pair.positives for pair in found.pairs):
        raise InputError(
            "no usable training pairs: each line needs a question and a gold phrase "
            "found in an indexed clause (out-of-scope lines alone teach nothing)"
        )
    seconds = fine_tune(
        base_path,
        found.pairs,
        settings.tuned_model_dir,
        epochs,
        seed=seed,
        progress=(lambda n, total: progress("training", n, total)) if progress else None,
        corpus=[(c.agency_id, c.embedding_text()) for c in clauses],
        precedents=precedents_from(items),
    )
    return found, seconds


def build_matcher(embedder: Embedder) -> SoftMatcher | None:
    """The word-level reranker, when the embedder gives word vectors (MiniLM does)."""
    return SoftMatcher(embedder) if isinstance(embedder, WordEncoder) else None


def build_precedents(settings: Settings, embedder: Embedder) -> PrecedentBank | None:
    """The tuned model's own questions, when answers use it: the packaged model has none."""
    if not settings.precedents or not _tuned(settings):
        return None
    from bot.precedent_files import load_precedent_bank

    return load_precedent_bank(model_path(settings), embedder)


def build_store(settings: Settings) -> ClauseStore:
    from bot.stores.chroma_store import ChromaClauseStore

    if settings.chroma_url:
        return ChromaClauseStore.http(settings.chroma_url, settings.chroma_collection)
    return ChromaClauseStore.persistent(settings.chroma_dir, settings.chroma_collection)


def build_reasoner(settings: Settings) -> Reasoner | None:
    if not settings.llm_provider:
        return None
    from bot.llm import build_chat_reasoner

    return build_chat_reasoner(settings)


def build_checker(settings: Settings, retriever: HybridRetriever) -> DraftChecker:
    from bot.core.check import build_checker as build

    return build(retriever, None, settings.max_draft_chars, retriever.version)


def onboarding_dir(settings: Settings) -> Path:
    return settings.knowledge_dir / "onboarding"


def tour_loader(settings: Settings, agency_ids: Sequence[str]) -> Callable[[], Mapping[str, Tour]]:
    """Tours read on first use: a broken tour file must not stop questions being answered."""
    lock = threading.Lock()
    loaded: list[Mapping[str, Tour]] = []

    def tours() -> Mapping[str, Tour]:
        with lock:
            if not loaded:
                loaded.append(load_tours(onboarding_dir(settings), agency_ids))
            return loaded[0]

    return tours


def build_onboarding(
    settings: Settings,
    manifest: Manifest,
    store: ClauseStore,
    default_agency: str | None,
    services: Services,
) -> Onboarding:
    from bot.state.onboarding import SqlProgressStore

    agencies = manifest.agencies()
    return Onboarding(
        tour_loader(settings, [a.id for a in agencies]),
        store,
        # The process's one database and one user-hash key (shared with votes,
        # questions and `policybot forget`).
        SqlProgressStore(lambda: services.db),
        lambda: services.user_key,
        agencies,
        default_agency,
    )


@dataclass
class Runtime:
    settings: Settings
    manifest: Manifest
    embedder: Embedder
    store: ClauseStore
    retriever: HybridRetriever
    assistant: Assistant
    services: Services


def build_runtime(
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    store: ClauseStore | None = None,
    services: Services | None = None,
) -> Runtime:
    manifest = load_manifest(settings.knowledge_dir)
    embedder = embedder or build_embedder(settings)
    store = store or build_store(settings)
    retriever = HybridRetriever(
        store,
        embedder,
        matcher=build_matcher(embedder),
        fusion=fusion_for(settings),
        precedents=build_precedents(settings, embedder),
    )
    services = services or build_services(settings, embedder=embedder)
    assistant = assemble_assistant(settings, manifest, store, retriever, services)
    return Runtime(settings, manifest, embedder, store, retriever, assistant, services)


def assemble_assistant(
    settings: Settings,
    manifest: Manifest,
    store: ClauseStore,
    retriever: HybridRetriever,
    services: Services,
) -> Assistant:
    """The Assistant over already-built parts (the tests reuse one index with fresh state)."""
    agencies = manifest.agencies()
    answerer = PolicyAnswerer(
        retriever,
        agencies,
        build_reasoner(settings),
        settings.max_question_chars,
        coverage_for(settings),
    )
    assistant = Assistant(
        answerer,
        build_checker(settings, retriever),
        agencies,
        health=store.ping,
        default_agency=settings.agency,
        guidance=services.guidance,
        question_log=services.questions,
        user_key=services.user_key,
        clauses=_clause_lookup(store),
    )
    assistant.onboarding = build_onboarding(
        settings, manifest, store, assistant.default_agency, services
    )
    return assistant


def _clause_lookup(store: ClauseStore) -> Callable[[Sequence[str]], list[Clause]]:
    def lookup(ids: Sequence[str]) -> list[Clause]:
        # Escalations are rare and name a few clauses: one pass over each policy named.
        by_id: dict[str, Clause] = {}
        for policy_id in {i.rsplit(":", 1)[0] for i in ids}:
            by_id.update((c.id, c) for c in store.clauses(policy_id) if c.id in ids)
        return [by_id[i] for i in ids if i in by_id]

    return lookup


def build_assistant(settings: Settings) -> Assistant:
    return build_runtime(settings).assistant


def ingest(
    runtime: Runtime, paths: Sequence[Path] | None = None, progress: Progress | None = None
) -> IngestReport:
    """Index the policies, after checking that every onboarding tour still quotes them.

    Raises TourError (naming the tour file and item) before the index is touched.
    """
    check_tours(runtime)
    return run_ingest(runtime.manifest, runtime.store, runtime.embedder, paths, progress)


def check_tours(runtime: Runtime) -> None:
    """Validate tour structure and every quote against the clauses about to be indexed."""
    manifest = runtime.manifest
    agencies = manifest.agencies()
    tours = load_tours(onboarding_dir(runtime.settings), [a.id for a in agencies])
    if not tours:
        return
    # Ingest keeps the previous version of an unreadable file: check against that.
    clauses = _manifest_clauses(manifest, runtime.store.clauses)
    validate_references(tours.values(), clauses, {a.id: a.short_name for a in agencies})


def _manifest_clauses(
    manifest: Manifest, unreadable: Callable[[str], list[Clause]]
) -> list[Clause]:
    """The clauses the manifest's documents segment into now, without embedding them;
    ``unreadable(policy_id)`` stands in for a document that cannot be read."""
    clauses: list[Clause] = []
    for meta in manifest.documents():
        try:
            clauses += segment_file(meta)[0].clauses
        except LoadError:
            clauses += unreadable(meta.policy_id)
    return clauses
