"""PDF documents: pypdf's text, re-flowed into one paragraph per line.

pypdf returns the text one printed line per line. Paragraphs are rebuilt from the
page geometry pypdf reports for each line: a vertical gap wider than the usual
line pitch, a change of font size or weight (a heading), a list marker, or a line
that stops well short of the right margin ends a paragraph; any other line break
was a wrap and is joined with a space. Every page ends its own block, so the last
line of a page is never glued to the next page's running header (removing those
headers is the cleaner's job).
"""

from __future__ import annotations

import io
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.loaders_base import (
    LIST_START_RE,
    LoadError,
    join_blocks,
    normalise_bullet,
    read_bytes,
    require_text,
    squeeze_spaces,
)

# A gap this many times the usual line pitch separates paragraphs.
_GAP_FACTOR = 1.3
# A line shorter than this share of a full line did not wrap: its paragraph ended.
_SHORT_LINE_SHARE = 0.7
# Fewer characters than this on the longest lines: too little to tell wraps apart.
_MIN_FULL_LINE = 30
_SOFT_HYPHEN = "\u00ad"
_WORD_CHAR_RE = re.compile(r"\w", re.UNICODE)
_SENTENCE_END = tuple('.:;!?"”’)')
_CAPS_HEADING_RE = re.compile(r"^(?=.*[A-Z]{2})[A-Z0-9 &/,'’()-]{2,60}$")


@dataclass
class _Line:
    text: str
    y: float | None = None
    size: float = 0.0
    bold: bool = False
    _fonts: list[bool] = field(default_factory=list)


def _font_is_bold(font: Any) -> bool:
    try:
        name = str(font.get("/BaseFont", "")) if font is not None else ""
    except Exception:  # a broken font dictionary only costs us the hint
        return False
    return bool(re.search(r"bold|black|heavy|semibold", name, re.IGNORECASE))


def _page_lines(page: Any) -> list[_Line]:
    """The page's lines with their baseline height, font size and weight."""
    chunks: list[tuple[str, list[float], list[float], Any, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        chunks.append((text, cm, tm, font, size))

    plain = page.extract_text(visitor_text=visit)
    if "".join(c[0] for c in chunks) != plain:
        # Geometry that does not add up to the text (e.g. text in form
        # XObjects) is dropped; paragraphs then rest on the text alone.
        return [_Line(text=t) for t in plain.split("\n")]

    lines: list[_Line] = []
    cur = _Line(text="")
    for text, cm, tm, font, size in chunks:
        pieces = text.split("\n")
        for i, piece in enumerate(pieces):
            if i > 0:
                lines.append(cur)
                cur = _Line(text="")
            if piece.strip():
                if cur.y is None:
                    # Baseline height of (text matrix x current transformation matrix).
                    cur.y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                    cur.size = abs(size * (tm[3] * cm[3] + tm[1] * cm[2])) or size
                cur._fonts.append(_font_is_bold(font))
            cur.text += piece
    lines.append(cur)
    for line in lines:
        line.bold = bool(line._fonts) and all(line._fonts)
    return lines


def _line_pitch(pages: list[list[_Line]]) -> float | None:
    """The most common distance between consecutive baselines: the wrap distance."""
    gaps: Counter[float] = Counter()
    for lines in pages:
        for prev, nxt in itertools.pairwise(lines):
            if prev.y is not None and nxt.y is not None and prev.y > nxt.y:
                gaps[round(prev.y - nxt.y, 0)] += 1
    if not gaps:
        return None
    return gaps.most_common(1)[0][0]


def _full_line_length(pages: list[list[_Line]]) -> int:
    lengths = sorted(len(line.text) for lines in pages for line in lines if line.text)
    if not lengths:
        return 0
    return lengths[int(0.9 * (len(lengths) - 1))]


def _ends_paragraph(prev: _Line, nxt: _Line, pitch: float | None, full: int) -> str | None:
    """ "\n\n" for a new block, "\n" for a new line in the block, None for a wrap."""
    if pitch is not None and prev.y is not None and nxt.y is not None:
        drop = prev.y - nxt.y
        if drop <= 0 or drop > pitch * _GAP_FACTOR + 0.5:
            return "\n\n"
    if prev.size and nxt.size and abs(prev.size - nxt.size) > 0.5:
        return "\n\n"
    if prev.bold != nxt.bold:
        return "\n\n"
    if LIST_START_RE.match(nxt.text):
        return "\n"
    if prev.text.endswith(_SENTENCE_END) and _CAPS_HEADING_RE.match(nxt.text):
        # "GUIDELINES" under a finished paragraph: a heading set in capitals.
        return "\n"
    if full >= _MIN_FULL_LINE and len(prev.text) < _SHORT_LINE_SHARE * full:
        first_word = nxt.text.split(" ", 1)[0]
        # A short line followed by a word too long to fit after it did wrap.
        if len(prev.text) + 1 + len(first_word) <= full:
            return "\n"
    return None


def _join_wrapped(prev: str, nxt: str) -> str:
    """Re-join a line wrapped inside a paragraph.

    Only a soft hyphen (U+00AD, an invisible break point) is removed. A visible
    hyphen at the end of a line is kept and the next line joined to it without a
    space: agency PDFs come from word processors that wrap compound words at their
    own hyphen ("publicly-" / "available") far more often than they split a word
    in syllables, and dropping the hyphen would turn a real word into one that
    appears nowhere in the policy, while keeping it never invents one.
    """
    if prev.endswith(_SOFT_HYPHEN):
        return prev[:-1] + nxt
    hyphenated = prev.endswith("-") and len(prev) >= 2 and _WORD_CHAR_RE.match(prev[-2])
    if hyphenated and nxt[:1].isalnum():
        return prev + nxt
    return f"{prev} {nxt}"


def _blocks(pages: list[list[_Line]]) -> list[list[str]]:
    pitch = _line_pitch(pages)
    full = _full_line_length(pages)
    blocks: list[list[str]] = []
    for lines in pages:
        block: list[str] = []
        prev: _Line | None = None
        for raw in lines:
            line = _Line(
                text=normalise_bullet(squeeze_spaces(raw.text)),
                y=raw.y,
                size=raw.size,
                bold=raw.bold,
            )
            if not line.text:
                # pypdf's own blank line: a block break.
                if block:
                    blocks.append(block)
                block, prev = [], None
                continue
            if prev is None:
                block = [line.text]
            else:
                brk = _ends_paragraph(prev, line, pitch, full)
                if brk is None:
                    block[-1] = _join_wrapped(block[-1], line.text)
                elif brk == "\n":
                    block.append(line.text)
                else:
                    blocks.append(block)
                    block = [line.text]
            prev = line
        if block:
            blocks.append(block)
    return blocks


def _open(path: Path) -> Any:
    from pypdf import PdfReader

    data = read_bytes(path)
    if b"%PDF-" not in data[:1024]:
        raise LoadError(path, "not a PDF file (no %PDF header)")
    # pypdf quietly rebuilds a truncated file and returns part of it; a policy
    # missing its last pages must be refused, not half-ingested.
    if b"%%EOF" not in data[-2048:]:
        raise LoadError(path, "corrupt or truncated PDF (no end-of-file marker)")
    try:
        reader = PdfReader(io.BytesIO(data))
        # Many published PDFs are "encrypted" with an empty user password just
        # to restrict printing; those read fine.
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError(path, "encrypted PDF (password required)")
        _ = len(reader.pages)
    except LoadError:
        raise
    except Exception as err:
        raise LoadError(path, f"corrupt PDF ({type(err).__name__}: {err})") from err
    return reader


def load_pdf(path: Path) -> str:
    reader = _open(path)
    try:
        pages = [_page_lines(page) for page in reader.pages]
    except Exception as err:
        raise LoadError(path, f"corrupt PDF ({type(err).__name__}: {err})") from err
    text = join_blocks(_blocks(pages))
    return require_text(
        path, text, "no extractable text (a scanned image? run OCR first and load its text)"
    )
