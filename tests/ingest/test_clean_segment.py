"""Cleaning never changes a clause's words; quotes are verbatim substrings."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.clean import to_blocks
from ingest.manifest import DocumentMeta, load_manifest
from ingest.segment import MAX_CLAUSE_CHARS, segment_document

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
NOISE = ("INFORMATION SERVICES", "| Use of Social Media | Page", "Page 4 of 5", "<u>", "](#)")
META = DocumentMeta("t-doc", "t", "Test Agency", "Test Policy", "staff", Path("t.txt"))


def _words(text: str) -> list[str]:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"</?u>|\*\*", "", text)
    return re.findall(r"\w+", text.lower())


def test_bundled_quotes_are_verbatim_and_clean() -> None:
    manifest = load_manifest(KNOWLEDGE)
    for meta in manifest.documents():
        raw = meta.path.read_text(encoding="utf-8")
        doc = segment_document(raw, meta)
        raw_words = " ".join(_words(raw))
        assert len(doc.clauses) > 20
        for c in doc.clauses:
            assert doc.cleaned[c.start : c.end] == c.text
            assert len(c.text) <= MAX_CLAUSE_CHARS
            assert not any(n in c.text for n in NOISE), c.text
            # The clause's words appear, in order, in the source.
            assert " ".join(_words(c.text)) in raw_words, c.text


def test_list_items_carry_their_lead_in() -> None:
    meta = next(m for m in load_manifest(KNOWLEDGE).documents() if m.agency_id == "ma-dys")
    doc = segment_document(meta.path.read_text(encoding="utf-8"), meta)
    item = next(c for c in doc.clauses if c.text.startswith("Profanity"))
    assert item.context == "The following activities are prohibited:"
    friending = next(c for c in doc.clauses if c.text.startswith('"Friending" clients'))
    assert friending.context.startswith("The following are activities are prohibited")
    assert friending.section == "C. Prohibited Uses of Social Media"


def test_an_items_own_title_goes_to_the_section_not_the_quote() -> None:
    """ "4. Branding: All agency ..." quotes the rule; "Branding" names its section,
    and a sub-item's too, so "He/she will view ..." still says it is about monitoring."""
    meta = next(m for m in load_manifest(KNOWLEDGE).documents() if m.agency_id == "lccs")
    doc = segment_document(meta.path.read_text(encoding="utf-8"), meta)
    branding = next(c for c in doc.clauses if "consistent look and feel" in c.text)
    assert branding.text.startswith("All agency social media presences")
    assert branding.section.endswith("/ Branding")
    second = next(c for c in doc.clauses if c.text.startswith("He/she will view"))
    assert second.section.endswith("/ Monitoring")
    example = next(c for c in doc.clauses if c.text == "Media releases;")
    assert example.section.endswith("/ Content management")
    assert example.context == "Examples include:"
    # The title ends where its item's siblings begin.
    comments = next(c for c in doc.clauses if c.text.startswith("Case-specific or other"))
    assert "Content management" not in comments.section


def test_a_title_only_sentence_is_not_a_clause() -> None:
    meta = next(m for m in load_manifest(KNOWLEDGE).documents() if m.agency_id == "ma-dys")
    doc = segment_document(meta.path.read_text(encoding="utf-8"), meta)
    assert not any(c.text.startswith("Social Networking for") for c in doc.clauses)
    legal = next(c for c in doc.clauses if c.text.startswith("DYS Legal Unit"))
    assert legal.section.endswith("/ Social Networking for Investigations")
    # Nested items keep the title of the item they belong to.
    profanity = next(c for c in doc.clauses if c.text.startswith("Profanity"))
    assert profanity.section.endswith("/ Social Networking with Pulse")
    friending = next(c for c in doc.clauses if c.text.startswith('"Friending" clients'))
    assert friending.section == "C. Prohibited Uses of Social Media"


def test_sentences_and_lead_ins_are_not_titles() -> None:
    lines = [
        "Rules",
        "",
        "- 1. Employees must: Keep passwords private.",
        "- 2. Examples include: Media releases.",
        "- 3. Dr. Smith approves all posts.",
        "- 4. Profanity. Staff may not swear.",
        "- 5. Account Security: Staff shall use strong passwords.",
        "- 6. Policy 1002: Electronic Mail",
    ]
    doc = segment_document("\n".join(lines), META)
    texts = [c.text for c in doc.clauses]
    assert "Employees must: Keep passwords private." in texts
    assert "Examples include: Media releases." in texts
    assert "Dr. Smith approves all posts." in texts
    assert "Profanity." in texts
    assert "Policy 1002: Electronic Mail" in texts  # a reference to another policy
    assert "Staff shall use strong passwords." in texts
    secured = next(c for c in doc.clauses if c.text == "Staff shall use strong passwords.")
    assert secured.section.endswith("Account Security")
    assert doc.cleaned[secured.start : secured.end] == secured.text


def test_page_breaks_inside_a_sentence_are_joined() -> None:
    meta = next(m for m in load_manifest(KNOWLEDGE).documents() if m.agency_id == "ma-dys")
    doc = segment_document(meta.path.read_text(encoding="utf-8"), meta)
    assert any(
        "seek to use social media to assist with client supervision, they shall obtain" in c.text
        for c in doc.clauses
    )


_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=9)
_sentence = st.lists(_word, min_size=3, max_size=14).map(
    lambda ws: " ".join([ws[0].capitalize(), *ws[1:]]) + "."
)


@settings(max_examples=60, deadline=None)
@given(
    sentences=st.lists(_sentence, min_size=1, max_size=8),
    noise=st.lists(
        st.sampled_from(["header", "footer", "bullet", "emph", "u", "link"]), max_size=8
    ),
)
def test_noise_never_changes_clause_words(sentences: list[str], noise: list[str]) -> None:
    lines: list[str] = []
    for i, s in enumerate(sentences):
        kind = noise[i % len(noise)] if noise else ""
        if kind == "header":
            lines += ["AGENCY HEADER", "", "Use of Social Media", ""]
        if kind == "footer":
            lines += ["| Use of Social Media | Page 2 of 5 |", "|---|---|", ""]
        first, rest = s.split(" ", 1)
        if kind == "bullet":
            s = f"- {s}"
        elif kind == "emph":
            s = f"**{first}** {rest}"
        elif kind == "u":
            s = f"<u>{first}</u> {rest}"
        elif kind == "link":
            s = f"[{first}](#) {rest}"
        lines += [s, ""]
    if noise.count("header") == 1:
        lines += ["AGENCY HEADER", "", "Use of Social Media", ""]
    raw = "\n".join(lines)
    doc = segment_document(raw, META)
    quotes = [c.text for c in doc.clauses]
    for s in sentences:
        assert s in quotes  # each sentence survives as one verbatim clause
    for c in doc.clauses:
        assert doc.cleaned[c.start : c.end] == c.text
        assert "Page 2 of 5" not in c.text and "AGENCY HEADER" not in c.text
    assert all(b.text for b in to_blocks(raw))
