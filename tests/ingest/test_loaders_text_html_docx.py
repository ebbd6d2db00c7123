"""Text encodings, HTML pages, Word structures and PDF line joins, in the .txt shape."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from fpdf import FPDF

from ingest.loaders import load_document
from tests.fixtures.documents import find_unicode_font


def test_txt_utf8_bom_and_windows_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "policy.txt"
    path.write_bytes("\ufeffPolicy\r\n\r\nStaff shall not “friend” clients.\r\n".encode())
    assert load_document(path) == "Policy\n\nStaff shall not “friend” clients.\n"


def test_txt_legacy_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Staff shall not “friend” clients – café.\n".encode("cp1252"))
    assert load_document(path) == "Staff shall not “friend” clients – café.\n"


def test_txt_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "notepad.txt"
    path.write_bytes("Staff shall not post.\n".encode("utf-16"))
    assert load_document(path) == "Staff shall not post.\n"


def test_txt_form_feed_page_break_is_a_block_break(tmp_path: Path) -> None:
    path = tmp_path / "pdftotext.txt"
    path.write_text("last line of page one\fINFORMATION SERVICES\n")
    assert load_document(path) == "last line of page one\n\nINFORMATION SERVICES\n"


def test_html_blocks_lists_headings_and_inline_text(tmp_path: Path) -> None:
    path = tmp_path / "policy.html"
    path.write_text(
        """<!doctype html><html><head><title>DCF</title><style>p{color:red}</style>
        <script>var tracking = "do not read";</script></head>
        <body><nav><a href="/">Home</a> | <a href="/about">About</a></nav>
        <h2>Personal   Social Media Accounts</h2>
        <p>DCF employees shall not <b>"friend"</b> clients
           without the <u>written permission</u> of a <a href="#">DCF manager</a>.</p>
        <p>Staff shall:</p>
        <ul><li>identify themselves clearly;</li>
            <li>not post libelous information.<ul><li>a. nested item</li></ul></li></ul>
        <table><tr><th>Term</th><th>Meaning</th></tr><tr><td>Pulse</td><td>DYS intranet</td></tr>
        </table><div>Line one<br>Line two</div></body></html>""",
        encoding="utf-8",
    )
    assert load_document(path) == (
        "Personal Social Media Accounts\n\n"
        'DCF employees shall not "friend" clients without the written permission of a '
        "DCF manager.\n\n"
        "Staff shall:\n\n"
        "- identify themselves clearly;\n"
        "- not post libelous information.\n"
        "- a. nested item\n\n"
        "Term | Meaning\n"
        "Pulse | DYS intranet\n\n"
        "Line one\n"
        "Line two"
    )


def _numbered(paragraph: docx.text.paragraph.Paragraph) -> None:
    """Give a paragraph direct numbering (numPr), as Word does for pasted lists."""
    p_pr = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", "0"), ("w:numId", "1")):
        el = OxmlElement(tag)
        el.set(qn("w:val"), value)
        num_pr.append(el)
    p_pr.append(num_pr)


def test_docx_lists_tables_and_headings(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Prohibited Uses", level=1)
    document.add_paragraph("The following shall not be displayed:")
    document.add_paragraph("Reproductions of the DYS seal,", style="List Bullet")
    document.add_paragraph("DYS vehicles;", style="List Number")
    _numbered(document.add_paragraph("names of youth."))
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Term", "Meaning"
    table.cell(1, 0).text, table.cell(1, 1).text = "CORI", "Criminal Offender Record Information"
    document.add_paragraph("")
    document.add_paragraph("Failure to report may lead to discipline.")
    path = tmp_path / "policy.docx"
    document.save(str(path))

    assert load_document(path) == (
        "Prohibited Uses\n\n"
        "The following shall not be displayed:\n\n"
        "- Reproductions of the DYS seal,\n"
        "- DYS vehicles;\n"
        "- names of youth.\n\n"
        "Term | Meaning\n"
        "CORI | Criminal Offender Record Information\n\n"
        "Failure to report may lead to discipline."
    )


def _pdf(tmp_path: Path, *paragraphs: str, width: float = 80) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for text in paragraphs:
        pdf.multi_cell(width, 5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    path = tmp_path / "p.pdf"
    pdf.output(str(path))
    return path


def test_pdf_compound_hyphen_at_line_end_is_kept(tmp_path: Path) -> None:
    # Forced break right after the hyphen: "publicly-" / "available".
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 5, "Staff may gather publicly-", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(
        0, 5, "available information about relatives of children", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.cell(0, 5, "on runaway status.", new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "h.pdf"
    pdf.output(str(path))
    assert load_document(path) == (
        "Staff may gather publicly-available information about relatives of children "
        "on runaway status."
    )


def test_pdf_bullets_become_dash_items_and_wrapped_items_rejoin(tmp_path: Path) -> None:
    fonts = find_unicode_font()
    if fonts is None:
        pytest.skip("no Unicode TTF font to print a bullet glyph with")
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("Body", "", str(fonts[0]))
    pdf.set_font("Body", size=11)
    pdf.multi_cell(
        120, 5, "Any DCF staff member who creates an account shall:", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(4)
    for item in (
        "conform to the Terms of Service specific to the individual social media site;",
        "identify themselves clearly and accurately: pseudonyms shall not be permitted;",
    ):
        pdf.multi_cell(120, 5, f"\u2022 {item}", new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "bullets.pdf"
    pdf.output(str(path))
    assert load_document(path) == (
        "Any DCF staff member who creates an account shall:\n\n"
        "- conform to the Terms of Service specific to the individual social media site;\n"
        "- identify themselves clearly and accurately: pseudonyms shall not be permitted;"
    )


def test_pdf_paragraph_straddling_pages_is_not_glued_to_the_header(tmp_path: Path) -> None:
    class Doc(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=9)
            self.cell(0, 5, "INFORMATION SERVICES", new_x="LMARGIN", new_y="NEXT")
            self.ln(5)

    pdf = Doc()
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.set_y(pdf.page_break_trigger - 8)
    pdf.multi_cell(
        0,
        5,
        "No confidential client information shall be posted to a social media "
        "site by a DCF employee in any manner or for any reason whatsoever, on duty "
        "or off duty, from home or from work.",
    )
    path = tmp_path / "straddle.pdf"
    pdf.output(str(path))
    blocks = load_document(path).split("\n\n")
    assert "INFORMATION SERVICES" in blocks
    assert all(b == "INFORMATION SERVICES" or "INFORMATION" not in b for b in blocks)
    words = " ".join(b for b in blocks if b != "INFORMATION SERVICES").split()
    assert " ".join(words).endswith("from home or from work.")
    assert words[0] == "No"
