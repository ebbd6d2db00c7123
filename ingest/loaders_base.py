"""What every document loader shares: the error type and the line-shape helpers.

Every loader returns text in the shape of the bundled .txt files: one paragraph or
list item per line, a blank line between blocks, list markers kept ("- ", "a. ",
"1. "), headings on their own line. Loaders change layout only, never words.
"""

from __future__ import annotations

import re
from pathlib import Path

# Larger files are refused rather than read: no policy document comes near this,
# and reading a multi-gigabyte upload into memory would take the bot down.
MAX_BYTES = 50 * 1024 * 1024


class LoadError(ValueError):
    """A document could not be read; ``str(err)`` is one line naming the file."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        # One line even if a library's message was not.
        self.reason = " ".join(reason.split())
        super().__init__(f"{self.path.name}: {self.reason}")


# Bullet glyphs PDF and HTML producers use for list items; Word's Symbol-font
# bullets come out as private-use code points (U+F0B7, U+F0A7).
_BULLETS = "•●▪◦○■□‣⁃∙\uf0b7\uf0a7\uf0d8\uf076"
_BULLET_RE = re.compile(rf"^[{_BULLETS}]\s*")

# The start of a list item: a bullet or dash, or an enumerator such as "1.",
# "a)", "(iv)". Numbers are limited to three digits so that a wrapped line
# starting with a year ("2012. Departments ...") is not taken for an item.
LIST_START_RE = re.compile(
    rf"^(?:[-*{_BULLETS}](?:\s|$)"
    r"|\(?\d{1,3}[.)]\s"
    r"|\(?[A-Za-z][.)]\s"
    r"|\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)[.)]\s)"
)

_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]+")


def normalise_bullet(line: str) -> str:
    """Render a leading bullet glyph as the "- " marker the .txt files use."""
    return _BULLET_RE.sub("- ", line, count=1)


def squeeze_spaces(text: str) -> str:
    """Collapse runs of horizontal whitespace inside a line (layout, not words)."""
    return _SPACES_RE.sub(" ", text).strip()


def join_blocks(blocks: list[list[str]]) -> str:
    """Blocks of lines -> text: lines joined by newlines, blocks by a blank line."""
    parts = ["\n".join(lines) for lines in blocks if lines]
    return "\n\n".join(p for p in parts if p.strip())


def read_bytes(path: Path) -> bytes:
    try:
        if not path.is_file():
            raise LoadError(path, "not a file" if path.exists() else "file not found")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise LoadError(path, f"file is too large ({size} bytes; limit {MAX_BYTES})")
        return path.read_bytes()
    except OSError as err:
        raise LoadError(path, f"unreadable: {err.strerror or err}") from err


def require_text(path: Path, text: str, what: str) -> str:
    if not any(ch.isalnum() for ch in text):
        raise LoadError(path, what)
    return text
