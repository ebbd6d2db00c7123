"""Plain-text and Markdown documents: decode, refuse binary, normalise line ends."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from ingest.loaders_base import LoadError, read_bytes, require_text

# Control characters legitimate text files carry: tab, newlines, form feed
# (pdftotext's page break), vertical tab, and DOS's end-of-file marker.
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1a")

# Above this share of control characters the "text" is a binary file with a
# .txt name; real text has none or a stray one.
_MAX_CONTROL_SHARE = 0.01

# cp1252 decodes nearly any byte sequence, so a fallback decode is trusted only
# if it reads like text: legacy English or Western-European files have a few
# accented letters and curly quotes, not a majority of symbols.
_MAX_FALLBACK_NON_ASCII_SHARE = 0.3


def _decode(path: Path, data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise LoadError(path, "invalid UTF-16 text") from err
    if b"\x00" in data:
        raise LoadError(path, "binary content (NUL bytes), not a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as err:
        raise LoadError(path, "binary content: neither UTF-8 nor Windows-1252 text") from err
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    if text and non_ascii / len(text) > _MAX_FALLBACK_NON_ASCII_SHARE:
        raise LoadError(path, "binary content: not valid UTF-8 and not plausible Windows-1252")
    return text


def load_text(path: Path) -> str:
    text = _decode(path, read_bytes(path))
    controls = sum(
        1 for ch in text if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) == "Cc"
    )
    if text and controls / len(text) > _MAX_CONTROL_SHARE:
        raise LoadError(path, "binary content (control characters), not a text file")
    # A form feed is a page break; turning it into a block break keeps the last
    # line of one page from being glued to the first line of the next.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n").replace("\x1a", "")
    return require_text(path, text, "the file contains no text")
