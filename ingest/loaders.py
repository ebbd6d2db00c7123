"""Read a policy document of any supported format into raw text for the cleaner.

``load_document(path)`` returns text shaped like the bundled .txt policies (one
paragraph or list item per line, a blank line between blocks, list markers and
headings kept on their own lines) and never alters a word. Anything it cannot
read faithfully raises ``LoadError`` with a one-line reason naming the file:
a partial or garbled text would later be quoted to staff as policy.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.loaders_base import LoadError

__all__ = ["SUPPORTED_SUFFIXES", "LoadError", "load_document"]


def _load_pdf(path: Path) -> str:
    from ingest.loaders_pdf import load_pdf

    return load_pdf(path)


def _load_docx(path: Path) -> str:
    from ingest.loaders_docx import load_docx

    return load_docx(path)


def _load_html(path: Path) -> str:
    from ingest.loaders_html import load_html

    return load_html(path)


def _load_text(path: Path) -> str:
    from ingest.loaders_text import load_text

    return load_text(path)


# Format libraries are imported on first use: ingesting .txt policies should not
# pay for pypdf, python-docx and BeautifulSoup.
_LOADERS: dict[str, Callable[[Path], str]] = {
    ".txt": _load_text,
    ".md": _load_text,
    ".pdf": _load_pdf,
    ".docx": _load_docx,
    ".html": _load_html,
    ".htm": _load_html,
}

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_LOADERS)


def load_document(path: Path) -> str:
    path = Path(path)
    loader = _LOADERS.get(path.suffix.lower())
    if loader is None:
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise LoadError(path, f"unsupported file type {path.suffix or '(none)'!r}; use {kinds}")
    return loader(path)
