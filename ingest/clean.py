"""Turn extracted policy text into clean blocks without changing any clause's words.

Extraction noise removed here: repeated page headers ("INFORMATION SERVICES /
Use of Social Media / 12-15"), page footers ("| Use of Social Media | Page 4 of 5 |"),
markdown bullets and emphasis, ``<u>`` tags, "[text](#)" link stubs, and page
breaks that split a paragraph. Only markup and whitespace are ever dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    ITEM = "item"


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str  # cleaned text, enumerator removed
    label: str = ""  # list enumerator as printed ("a", "2", "ii"), "" for bullets
    label_kind: str = ""  # "number" | "letter" | "roman" | "upper" | "bullet" | ""


_FOOTER = re.compile(r"\bpage\s+\d+\s+of\s+\d+\b", re.IGNORECASE)
_TABLE_RULE = re.compile(r"^\|?[\s:|-]*-{3,}[\s:|-]*\|?$")
_LONE_MARK = re.compile(r"^[-*•·_=]+$")
_PAGE_NUMBER = re.compile(r"^(?:-\s*)?\d{1,3}(?:\s*-)?$")
_BULLET = re.compile(r"^(?:[-*•·▪◦●]|\u2022)\s+")
_ENUM = re.compile(r"^\(?(?P<label>\d{1,2}|[a-z]|[ivx]{1,5}|[A-Z])[.)]\s+(?=\S)")
_LINK = re.compile(r"\[([^\[\]]*)\]\([^()\s]*\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]+)>")
_TAG = re.compile(r"</?(?:u|b|i|em|strong|span|br|p|font)\b[^<>]*>", re.IGNORECASE)
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_HEADING_MARK = re.compile(r"^#{1,6}\s+")
_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")
_TERMINAL = tuple(".;?!\"”’)")
_FUNCTION_WORDS = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "of", "on", "or", "that", "the", "their", "to", "with", "which", "who", "whose", "including"]
)


def strip_markup(text: str) -> str:
    """Remove inline markup, keeping every word (link text stays, tags go)."""
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _EMPHASIS.sub(r"\2", text)
    return _SPACE.sub(" ", text).strip()


def _is_footer(line: str) -> bool:
    return (bool(_FOOTER.search(line)) and len(line) < 120) or bool(_TABLE_RULE.match(line))


def _repeated_headers(lines: list[str]) -> set[str]:
    """Short lines printed again and again (page headers), never real sentences."""
    counts = Counter(s for s in (ln.strip() for ln in lines) if s)
    return {
        s
        for s, n in counts.items()
        if n >= 2
        and len(s) <= 60
        and not s.endswith((".", ";", ":", ","))
        and not _BULLET.match(s)
        and not _ENUM.match(s)
        and not _LONE_MARK.match(s)
    }


def _roman(label: str) -> bool:
    return bool(re.fullmatch(r"[ivx]+", label))


def _split_marker(line: str) -> tuple[str, str, str, bool]:
    """(text, label, label_kind, is_item) for one stripped line."""
    is_item = False
    label = ""
    kind = ""
    m = _BULLET.match(line)
    if m:
        line = line[m.end() :]
        is_item, kind = True, "bullet"
    m = _ENUM.match(line)
    if m:
        label = m.group("label")
        if label.isdigit():
            kind = "number"
        elif label.isupper():
            kind = "upper"
        elif (_roman(label) and label != "i") or label in ("ii", "iii"):
            kind = "roman"
        else:
            # "i" alone is ambiguous (letter after "h", or roman one); resolved later.
            kind = "letter"
        line = line[m.end() :]
        is_item = True
    return line, label, kind, is_item


def _ends_open(text: str) -> bool:
    """Does a line stop mid-sentence (a wrap or a page break inside a paragraph)?"""
    if not text or text.endswith(_TERMINAL) or text.endswith(":"):
        return False
    if text.count("(") > text.count(")") or text.endswith(","):
        return True
    last = re.findall(r"[A-Za-z]+", text[-20:])
    return bool(last) and last[-1].lower() in _FUNCTION_WORDS


def _starts_lower(text: str) -> bool:
    return bool(text) and text[0].islower()


def _is_heading(text: str) -> bool:
    if len(text) > 80 or _starts_lower(text):
        return False
    if text.endswith((".", ";", ",", "?", "!")):
        return False
    words = text.split()
    if text.endswith(":") and len(words) > 4:
        return False  # a lead-in sentence ("... shall delete content that:")
    return 0 < len(words) <= 10


@dataclass
class _Draft:
    text: str
    label: str
    kind: str
    is_item: bool
    closed: bool  # a blank line followed it


def to_blocks(raw: str) -> list[Block]:
    """Clean extracted text into headings, paragraphs and list items, in order."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    lines = raw.split("\n")
    headers = _repeated_headers(lines)
    drafts: list[_Draft] = []
    for line in lines:
        s = line.strip()
        if not s:
            if drafts:
                drafts[-1].closed = True
            continue
        if s in headers or _is_footer(s) or _LONE_MARK.match(s) or _PAGE_NUMBER.match(s):
            continue
        s = _HEADING_MARK.sub("", s)
        text, label, kind, is_item = _split_marker(s)
        text = strip_markup(text)
        if not text:
            continue
        prev = drafts[-1] if drafts else None
        # A line that continues the previous one: a hard wrap (no blank line) or a
        # page break (blank line) inside a sentence. Never when it starts a list item.
        if prev is not None and not is_item and (
            _starts_lower(text) or (_ends_open(prev.text) and not prev.closed)
            or (_ends_open(prev.text) and prev.text.count("(") > prev.text.count(")"))
        ):
            prev.text = f"{prev.text} {text}"
            prev.closed = False
            continue
        drafts.append(_Draft(text, label, kind, is_item, closed=False))
    blocks: list[Block] = []
    for d in drafts:
        if d.is_item:
            if (d.kind == "upper" and _is_heading(d.text)) or (
                d.text.endswith(":") and len(d.text.split()) <= 4
            ):
                # "C. Prohibited Uses of Social Media", "8. Comments policy:" head a part.
                blocks.append(Block(BlockKind.HEADING, d.text, d.label, d.kind))
            else:
                blocks.append(Block(BlockKind.ITEM, d.text, d.label, d.kind))
        elif _is_heading(d.text):
            blocks.append(Block(BlockKind.HEADING, d.text))
        else:
            blocks.append(Block(BlockKind.PARAGRAPH, d.text))
    return _resolve_roman_i(blocks)


def _resolve_roman_i(blocks: list[Block]) -> list[Block]:
    """An item "i." after "h." is the letter i; after a lead-in it starts a roman list."""
    out: list[Block] = []
    prev_letter = ""
    for b in blocks:
        if b.kind is BlockKind.ITEM and b.label == "i" and prev_letter != "h":
            b = Block(b.kind, b.text, b.label, "roman")
        if b.kind is BlockKind.ITEM and b.label_kind == "letter":
            prev_letter = b.label
        out.append(b)
    return out


def render(blocks: list[Block]) -> tuple[str, list[int]]:
    """The cleaned document: one block per line; returns (text, offset of each block's text)."""
    parts: list[str] = []
    offsets: list[int] = []
    pos = 0
    for b in blocks:
        prefix = f"{b.label}. " if b.label else ""
        line = prefix + b.text
        offsets.append(pos + len(prefix))
        parts.append(line)
        pos += len(line) + 2
    return "\n\n".join(parts), offsets
