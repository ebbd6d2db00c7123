"""PDF and Word copies of a bundled policy load to the same words, in the .txt's shape."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.loaders import load_document
from tests.fixtures.documents import build_docx, build_pdf, fold_latin1

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ROOT / "knowledge" / "policies"

# (file, running page header, footer title) as the agency prints them.
CASES = [
    ("ct-dcf-12-15-social-media.txt", "DCF Policy Manual: Information Services", "Use of Social Media"),
    (
        "ma-dys-01-05-22-social-media.txt",
        "Department of Youth Services Policy 01.05.22",
        "Use of Social Media by Staff",
    ),
    ("lccs-1004-social-media.txt", "Lucas County Children Services", "Policy 1004"),
]


def words(text: str) -> list[str]:
    # Words, not layout: a lone "-" (an empty list item) carries no word.
    return [w for w in text.split() if any(ch.isalnum() for ch in w)]


@pytest.mark.parametrize(("name", "header", "footer"), CASES)
def test_pdf_gives_the_policy_words_in_order(
    tmp_path: Path, name: str, header: str, footer: str
) -> None:
    source = (POLICIES / name).read_text(encoding="utf-8")
    built = build_pdf(source, tmp_path / "policy.pdf", header, footer)

    loaded = load_document(built.path)

    lines = loaded.split("\n")
    page_furniture = [ln for ln in lines if ln == header or built.footer_re.match(ln)]
    pages = sum(1 for ln in lines if built.footer_re.match(ln))
    assert pages >= 3, "the fixture must span several pages to test page breaks"
    assert sum(1 for ln in lines if ln == header) == pages
    body = "\n".join(ln for ln in lines if ln not in page_furniture)
    expected = source if built.exact else fold_latin1(source)
    assert words(body) == words(expected)


@pytest.mark.parametrize(("name", "header", "footer"), CASES)
def test_pdf_keeps_one_paragraph_per_line(
    tmp_path: Path, name: str, header: str, footer: str
) -> None:
    source = (POLICIES / name).read_text(encoding="utf-8")
    built = build_pdf(source, tmp_path / "policy.pdf", header, footer)
    loaded = load_document(built.path)
    expected = source if built.exact else fold_latin1(source)

    # Every paragraph of the source that the PDF wrapped over several lines
    # comes back whole, on one line.
    loaded_lines = {ln.strip() for ln in loaded.split("\n")}
    long_paragraphs = [ln.strip() for ln in expected.split("\n") if len(ln.strip()) > 200]
    assert long_paragraphs
    for paragraph in long_paragraphs:
        norm = re.sub(r"\s+", " ", paragraph)
        if norm.startswith("- "):
            assert norm in loaded_lines
        else:
            assert norm in loaded_lines or f"- {norm}" in loaded_lines


@pytest.mark.parametrize(("name", "header", "footer"), CASES)
def test_pdf_page_footer_is_never_glued_to_text(
    tmp_path: Path, name: str, header: str, footer: str
) -> None:
    source = (POLICIES / name).read_text(encoding="utf-8")
    built = build_pdf(source, tmp_path / "policy.pdf", header, footer)
    blocks = load_document(built.path).split("\n\n")
    # Header and footer each stand as a block of their own on every page.
    for block in blocks:
        if header in block or re.search(r"Page \d+ of \d+", block) and footer in block:
            assert block in (header,) or built.footer_re.match(block), block


@pytest.mark.parametrize(("name", "header", "footer"), CASES)
def test_docx_gives_the_policy_words_in_order(
    tmp_path: Path, name: str, header: str, footer: str
) -> None:
    source = (POLICIES / name).read_text(encoding="utf-8")
    path = build_docx(source, tmp_path / "policy.docx", header, f"{footer} Page 1 of 1")

    loaded = load_document(path)

    # Word's page header and footer are not body text and are not read.
    assert header not in loaded
    assert words(loaded) == words(source)


def test_docx_list_items_and_headings_keep_the_txt_shape(tmp_path: Path) -> None:
    source = (POLICIES / "ct-dcf-12-15-social-media.txt").read_text(encoding="utf-8")
    loaded = load_document(build_docx(source, tmp_path / "ct.docx", "h", "f"))
    lines = loaded.split("\n")
    assert "- communicate with adult and child clients, foster parents and relative caregivers;" in lines
    i = lines.index("Confidential Information")
    assert lines[i - 1] == "" and lines[i + 1] == ""
    # Consecutive bullets are consecutive lines, as in the .txt.
    j = lines.index("- provide general education about the agency to the public;")
    assert lines[j - 1].startswith("- communicate")
