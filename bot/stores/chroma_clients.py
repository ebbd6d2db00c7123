"""Opening Chroma clients, shared by the clause store and the guidance store."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse


def persistent_client(path: Path) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(
        path=str(path), settings=ChromaSettings(anonymized_telemetry=False)
    )


def http_client(url: str) -> Any:
    """A client for a `chroma run` server at ``url`` (http[s]://host[:port])."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    parsed = urlparse(url)
    if not parsed.hostname:
        raise ValueError(f"POLICYBOT_CHROMA_URL is not a URL: {url!r}")
    return chromadb.HttpClient(
        host=parsed.hostname,
        port=parsed.port or (443 if parsed.scheme == "https" else 8000),
        ssl=parsed.scheme == "https",
        settings=ChromaSettings(anonymized_telemetry=False),
    )
