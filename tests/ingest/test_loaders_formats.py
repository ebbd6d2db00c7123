"""PDF and Word copies of each bundled policy give the same clauses as its .txt.

The files are generated at test time from the .txt (tests/fixtures/documents.py):
headings, justified paragraphs that wrap, bullet lists, and on every PDF page a
running header and a "Page N of M" footer.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from ingest.loaders import load_document
from ingest.manifest import DocumentMeta, load_manifest
from ingest.segment import segment_document
from tests.fixtures.documents import BuiltPdf, build_docx, build_pdf, fold_latin1, txt_blocks

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "knowledge"

# (file, running page header, footer title) as the agency might print them.
CASES = {
    "ct-dcf-12-15-social-media.txt": (
        "DCF Policy Manual: Information Services",
        "Use of Social Media",
    ),
    "ma-dys-01-05-22-social-media.txt": (
        "Department of Youth Services Policy 01.05.22",
        "Use of Social Media by Staff",
    ),
    "lccs-1004-social-media.txt": ("Lucas County Children Services", "Policy 1004"),
    "la-dcfs-social-media.txt": ("DCFS Policy Guide", "Social Media"),
    "la-cio-td-12-06-department-social-media.txt": (
        "Office of the CIO Technology Directive TD 12-06",
        "Department Use of Social Media",
    ),
}


@dataclasses.dataclass(frozen=True)
class Copies:
    txt: Path
    source: str
    pdf: BuiltPdf
    docx: Path
    header: str


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Copies]:
    out: dict[str, Copies] = {}
    for name, (header, footer) in CASES.items():
        txt = KNOWLEDGE / "policies" / name
        source = txt.read_text(encoding="utf-8")
        folder = tmp_path_factory.mktemp(name.split("-social")[0])
        out[name] = Copies(
            txt=txt,
            source=source,
            pdf=build_pdf(source, folder / "policy.pdf", header, footer),
            docx=build_docx(source, folder / "policy.docx", header, f"{footer} Page 1 of 1"),
            header=header,
        )
    return out


def _meta(txt: Path) -> DocumentMeta:
    return load_manifest(KNOWLEDGE).meta_for(txt)


def _clauses(raw: str, meta: DocumentMeta) -> list[tuple[str, str, str]]:
    return [(c.section, c.context, c.text) for c in segment_document(raw, meta).clauses]


def words(text: str) -> list[str]:
    # Words, not layout: a lone "-" (an empty list item) carries no word.
    return [w for w in text.split() if any(ch.isalnum() for ch in w)]


@pytest.mark.parametrize("name", sorted(CASES))
def test_pdf_gives_the_same_clauses_as_the_text(copies: dict[str, Copies], name: str) -> None:
    c = copies[name]
    meta = _meta(c.txt)
    source = c.source if c.pdf.exact else fold_latin1(c.source)
    expected = _clauses(source, meta)

    got = _clauses(load_document(c.pdf.path), dataclasses.replace(meta, path=c.pdf.path))

    assert len(expected) > 20
    assert got == expected


@pytest.mark.parametrize("name", sorted(CASES))
def test_docx_gives_the_same_clauses_as_the_text(copies: dict[str, Copies], name: str) -> None:
    c = copies[name]
    meta = _meta(c.txt)

    got = _clauses(load_document(c.docx), dataclasses.replace(meta, path=c.docx))

    assert got == _clauses(c.source, meta)


@pytest.mark.parametrize("name", sorted(CASES))
def test_pdf_text_has_the_policy_words_and_page_furniture_on_own_lines(
    copies: dict[str, Copies], name: str
) -> None:
    c = copies[name]
    lines = load_document(c.pdf.path).split("\n")

    footers = [ln for ln in lines if c.pdf.footer_re.match(ln)]
    headers = [ln for ln in lines if ln == c.header]
    assert len(footers) >= 2, "the fixture must span pages to test page breaks"
    # Each page's header and footer is a line of its own: never glued to the
    # last line of the page before or the first line of the next.
    assert len(headers) == len(footers)
    assert not any(c.header in ln and ln != c.header for ln in lines)
    assert not any(
        re.search(r"Page \d+ of \d+", ln) and not c.pdf.footer_re.match(ln)
        for ln in lines
        if "|" not in ln
    )
    body = [ln for ln in lines if ln != c.header and not c.pdf.footer_re.match(ln)]
    expected = c.source if c.pdf.exact else fold_latin1(c.source)
    assert words("\n".join(body)) == words(expected)


@pytest.mark.parametrize("name", sorted(CASES))
def test_pdf_rejoins_wrapped_paragraphs_one_per_line(copies: dict[str, Copies], name: str) -> None:
    c = copies[name]
    loaded_lines = set(load_document(c.pdf.path).split("\n"))
    source = c.source if c.pdf.exact else fold_latin1(c.source)
    # Paragraphs this long wrap over several PDF lines; each comes back whole.
    # (Consecutive source lines with no gap between them print as one paragraph.)
    long_lines = [
        " ".join(block.lines[0].split())
        for block in txt_blocks(source)
        if len(block.lines) == 1 and len(block.lines[0].strip()) > 200
    ]
    assert long_lines
    for line in long_lines:
        assert line in loaded_lines or f"- {line}" in loaded_lines, line[:80]


def test_docx_keeps_list_items_and_headings_in_the_txt_shape(copies: dict[str, Copies]) -> None:
    c = copies["ct-dcf-12-15-social-media.txt"]
    loaded = load_document(c.docx)
    lines = loaded.split("\n")

    # Word's page header and footer are not body text and are not read.
    assert c.header not in loaded
    assert words(loaded) == words(c.source)
    i = lines.index("Confidential Information")
    assert lines[i - 1] == "" and lines[i + 1] == ""
    j = lines.index("- provide general education about the agency to the public;")
    assert lines[j - 1] == (
        "- communicate with adult and child clients, foster parents and relative caregivers;"
    )
