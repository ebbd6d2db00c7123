"""Segment a cleaned policy into clauses: one sentence or one list item each.

A clause carries its section heading and the lead-in that gives it meaning
("The following activities are prohibited:" for item "Profanity;"), and its
offsets into the cleaned document, so its quote is always a verbatim substring.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace

from bot.core.models import Clause
from ingest.clean import Block, BlockKind, render, to_blocks
from ingest.manifest import DocumentMeta

MAX_CLAUSE_CHARS = 600
_LEAD_CHARS = 240
# Words that end with a period but do not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "etc",
        "no",
        "nos",
        "ch",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "vs",
        "inc",
        "co",
        "corp",
        "gen",
        "stat",
        "conn",
        "u.s",
        "sec",
        "art",
        "para",
        "fig",
        "approx",
        "dept",
        "govt",
        "jr",
        "sr",
        "p",
        "pp",
        "vol",
    ]
)
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“(\[]?[A-Z0-9])")
_INTRODUCES = re.compile(r"\b(?:the following|as follows|include|includes)\b", re.IGNORECASE)
_KIND_RANK = {"upper": 0, "number": 1, "letter": 2, "roman": 3, "bullet": 4}
# A list item that opens with its own title: "4. Branding: All agency social media
# presences ...", "3. Social Networking for Investigations. DYS Legal Unit ...".
_RUN_IN = re.compile(
    r"(?P<title>[A-Z][\w'’/&-]*(?: [\w'’/&-]+){0,5}?)(?P<end>[:.]) +(?=[\"“(]?[A-Z])"
)
# Words that make an opening a sentence or a lead-in ("Employees must: ..."), not a title.
_NOT_TITLE = frozenset(
    [
        *("shall", "must", "may", "should", "will", "can", "cannot", "not"),
        *("are", "is", "was", "be", "include", "includes", "following", "example", "examples"),
    ]
)
_TITLE_CONNECTORS = frozenset(
    ["a", "an", "and", "by", "for", "in", "of", "on", "or", "the", "to", "with"]
)


@dataclass(frozen=True)
class SegmentedDocument:
    meta: DocumentMeta
    cleaned: str
    clauses: list[Clause]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans in ``text``; never splits after an abbreviation or an initial."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        before = text[start : m.start() + 1]
        word = re.findall(r"[\w.]+\.?$", before)
        token = word[-1].rstrip(".").lower() if word else ""
        if token in _ABBREVIATIONS or re.fullmatch(r"[a-z]", token):
            continue
        if re.search(r"\d\.$", before) and text[m.end() : m.end() + 1].isdigit():
            continue  # "No. 6.101" style numbering
        end = m.start() + len(m.group(0).rstrip())
        spans.append((start, end))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text.rstrip())))
    return [(a, b) for a, b in spans if b > a]


def _split_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut an over-long sentence at ';' (then ',') boundaries into quotable pieces."""
    if end - start <= MAX_CLAUSE_CHARS:
        return [(start, end)]
    for sep in ("; ", ", "):
        pieces: list[tuple[int, int]] = []
        a = start
        while end - a > MAX_CLAUSE_CHARS:
            cut = text.rfind(sep, a, a + MAX_CLAUSE_CHARS)
            if cut <= a:
                break
            pieces.append((a, cut + 1))
            a = cut + len(sep)
        if end - a <= MAX_CLAUSE_CHARS:
            return [*pieces, (a, end)]
    # No separator: cut at a space; words stay whole.
    pieces = []
    a = start
    while end - a > MAX_CLAUSE_CHARS:
        cut = text.rfind(" ", a, a + MAX_CLAUSE_CHARS)
        cut = cut if cut > a else a + MAX_CLAUSE_CHARS
        pieces.append((a, cut))
        a = cut + 1 if text[cut : cut + 1] == " " else cut
    return [*pieces, (a, end)]


def _last_sentence(text: str) -> str:
    spans = split_sentences(text)
    a, b = spans[-1] if spans else (0, len(text))
    return _shorten(text[a:b])


def _first_sentence(text: str) -> str:
    spans = split_sentences(text)
    a, b = spans[0] if spans else (0, len(text))
    return _shorten(text[a:b])


def _shorten(text: str) -> str:
    if len(text) <= _LEAD_CHARS:
        return text
    cut = text.rfind(" ", 0, _LEAD_CHARS)
    return text[: cut if cut > 0 else _LEAD_CHARS] + " …"


def run_in_heading(text: str) -> tuple[str, int]:
    """The title a list item opens with ("Branding" in "Branding: All agency ...") and
    where the item's own words start; ("", 0) when it has none.

    The title names what the item and its sub-items are about, so it belongs with
    the section, not in a quote; an item that is only its title states no rule."""
    m = _RUN_IN.match(text)
    return (m["title"], m.end()) if m and _is_title(m["title"], m["end"]) else ("", 0)


def _is_title(title: str, end: str) -> bool:
    words = title.split()
    if any(w.lower() in _NOT_TITLE for w in words):
        return False
    if any(c.isdigit() for c in title):
        return False  # "Policy 1001: Information Services …" names another document
    if end == ":":
        return True
    # After a period the title must look like one ("Social Networking for
    # Investigations."), not like a short sentence or an abbreviation.
    title_case = all(w[0].isupper() or w in _TITLE_CONNECTORS for w in words)
    return len(words) >= 2 and title_case and words[-1].lower() not in _ABBREVIATIONS


def _is_major(b: Block) -> bool:
    letters = [c for c in b.text if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    if ":" in b.text[:30]:
        return False  # a form label ("SUBJECT:"), not a section
    return b.label_kind == "upper" or (len(letters) >= 6 and upper >= 0.8 * len(letters))


class _Outline:
    """Tracks the current section and the lead-in / parent item of list items."""

    def __init__(self) -> None:
        self.major = ""
        self.minor = ""
        self.lead: Block | None = None
        self.lead_child_kind = ""
        self.lead_children = 0
        self.parents: list[Block] = []
        self.previous: Block | None = None
        # The run-in title the current item falls under (its own or an ancestor's),
        # and each item's by id, so that its sub-items inherit it. Blocks are frozen
        # dataclasses: two identical items compare equal, so they cannot be keys.
        self.run_in = ""
        self._run_ins: dict[int, tuple[Block, str]] = {}

    @property
    def section(self) -> str:
        major = self.major.title() if self.major.isupper() else self.major
        return " / ".join(s for s in (major, self.minor, self.run_in) if s)

    def heading(self, b: Block) -> None:
        title = f"{b.label}. {b.text}" if b.label else b.text
        in_glossary = "definition" in self.major.lower() and len(b.text.split()) <= 5
        if _is_major(b) and not in_glossary:
            self.major, self.minor = title, ""
        else:
            self.minor = title
        self.set_lead(None)
        self.parents = []
        self.run_in = ""

    def paragraph(self, b: Block) -> None:
        self.parents = []
        self.run_in = ""
        self.set_lead(b if b.text.endswith(":") else None)

    def set_lead(self, b: Block | None) -> None:
        self.lead = b
        self.lead_child_kind = ""
        self.lead_children = 0

    def _under_lead(self, b: Block) -> bool:
        """Is ``b`` one of the items the open lead-in introduces?"""
        lead = self.lead
        if lead is None:
            return False
        if lead.kind is BlockKind.ITEM and lead.label_kind == b.label_kind != "bullet":
            return False  # a sibling of the lead-in item (bullets nest by indent, lost here)
        first = self.lead_child_kind
        self.lead_children += 1
        if not first:
            self.lead_child_kind = b.label_kind
            return True
        if first == b.label_kind:
            return True
        # A list whose first marker was lost in extraction ("- Disclosing…", "b. …").
        if first == "bullet" and self.lead_children == 2 and b.label in ("b", "2", "ii"):
            self.lead_child_kind = b.label_kind
            return True
        return False

    def item_context(self, b: Block, run_in: str = "") -> str:
        """The lead-in (or parent item) that gives this item its meaning.

        ``run_in`` is the title the item opens with (already cut from its text)."""
        context, parent = self._place(b)
        known = self._run_ins.get(id(parent))
        inherited = known[1] if known is not None and known[0] is parent else ""
        self.run_in = run_in or inherited
        self._run_ins[id(b)] = (b, self.run_in)
        return context

    def _place(self, b: Block) -> tuple[str, Block | None]:
        """The item's context and the block it belongs to (None: top level)."""
        if self._under_lead(b):
            assert self.lead is not None
            return _last_sentence(self.lead.text), self.lead
        self.set_lead(None)
        prev = self.previous
        if (
            b.label_kind == "bullet"
            and prev is not None
            and prev.label_kind != "bullet"
            and _INTRODUCES.search(prev.text)
        ):
            # "The following is a list of practices…" introduces the bullets after it.
            self.set_lead(prev)
            self.lead_child_kind = "bullet"
            self.lead_children = 1
            return _last_sentence(prev.text), prev
        if b.label_kind == "bullet":
            # A bare bullet's depth is unknown: claim no parent rather than a wrong one.
            self.parents = []
            return "", None
        rank = _KIND_RANK.get(b.label_kind, 4)
        while self.parents and _KIND_RANK.get(self.parents[-1].label_kind, 4) >= rank:
            self.parents.pop()
        if self.parents:
            return _first_sentence(self.parents[-1].text), self.parents[-1]
        return "", None

    def after_item(self, b: Block) -> None:
        if self.lead is None or not self.lead_child_kind:
            self.parents.append(b)
        if b.text.endswith(":"):
            self.set_lead(b)


def _clause_id(policy_id: str, section: str, context: str, text: str, seen: dict[str, int]) -> str:
    key = hashlib.sha1(f"{section}\n{context}\n{text}".encode()).hexdigest()[:12]
    n = seen.get(key, 0)
    seen[key] = n + 1
    return f"{policy_id}:{key}" + (f"-{n}" if n else "")


def segment_document(raw: str, meta: DocumentMeta) -> SegmentedDocument:
    blocks = to_blocks(raw)
    cleaned, offsets = render(blocks)
    outline = _Outline()
    clauses: list[Clause] = []
    seen: dict[str, int] = {}
    for block, offset in zip(blocks, offsets, strict=True):
        if block.kind is BlockKind.HEADING:
            outline.heading(block)
            outline.previous = None
            continue
        if block.kind is BlockKind.ITEM:
            run_in, start = run_in_heading(block.text)
            if run_in:
                # The title moves to the section; the item's rule starts after it.
                block, offset = replace(block, text=block.text[start:]), offset + start
            context = outline.item_context(block, run_in)
        else:
            outline.paragraph(block)
            context = ""
        for s_start, s_end in split_sentences(block.text):
            for a, b in _split_long(block.text, s_start, s_end):
                text = block.text[a:b]
                if not re.search(r"[A-Za-z]{2}", text):
                    continue
                start = offset + a
                assert cleaned[start : start + len(text)] == text
                clauses.append(
                    Clause(
                        id=_clause_id(meta.policy_id, outline.section, context, text, seen),
                        policy_id=meta.policy_id,
                        agency_id=meta.agency_id,
                        agency=meta.agency,
                        policy=meta.policy,
                        section=outline.section,
                        context=context,
                        text=text,
                        start=start,
                        end=start + len(text),
                        ordinal=len(clauses),
                        governs=meta.governs,
                    )
                )
        if block.kind is BlockKind.ITEM:
            outline.after_item(block)
        outline.previous = block

    return SegmentedDocument(meta=meta, cleaned=cleaned, clauses=clauses)
