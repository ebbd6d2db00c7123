"""Read a policy document into raw text (one block per line, blank line between).

Plain text and markdown only for now; PDF, DOCX and HTML arrive with the
format loaders.
"""

from __future__ import annotations

from pathlib import Path

SUPPORTED_SUFFIXES = frozenset({".txt", ".md"})


class LoadError(ValueError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path.name}: {reason}")
        self.path = path
        self.reason = reason


def load_document(path: Path) -> str:
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise LoadError(path, f"unsupported file type '{path.suffix}'")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise LoadError(path, f"cannot be read ({err.strerror})") from err
    if b"\x00" in data:
        raise LoadError(path, "looks binary (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise LoadError(path, "is not valid UTF-8 text") from err
