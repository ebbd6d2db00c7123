"""Shared parts for the escalation tests: fresh state over the session's real index."""

from __future__ import annotations

from pathlib import Path

from bot.app import Runtime, assemble_assistant
from bot.core.assistant import Assistant
from bot.core.ports import Embedder
from bot.services import Services, build_services
from bot.settings import Settings
from bot.stores.guidance_vectors import ChromaGuidanceVectors


def fresh_services(settings: Settings, embedder: Embedder, tmp_path: Path) -> Services:
    """Real SQLite state and a real Chroma guidance collection, private to one test."""
    vectors = ChromaGuidanceVectors.persistent(tmp_path / "guidance-chroma")
    return build_services(settings, embedder=embedder, guidance_vectors=vectors)


def assistant_over(runtime: Runtime, settings: Settings, services: Services) -> Assistant:
    return assemble_assistant(
        settings, runtime.manifest, runtime.store, runtime.retriever, services
    )
