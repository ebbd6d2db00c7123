"""Word (.docx) documents: body paragraphs and tables in document order.

List paragraphs (a "List ..." style or direct numbering) become "- " items;
Word generates their numbers, so the text holds none to keep. Headings and
ordinary paragraphs are blocks of their own; table rows become " | "-joined lines.
Page headers and footers live outside the body and are not read.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ingest.loaders_base import (
    LoadError,
    join_blocks,
    normalise_bullet,
    read_bytes,
    require_text,
    squeeze_spaces,
)


def _is_list_item(paragraph: Any) -> bool:
    style = paragraph.style.name if paragraph.style is not None else ""
    if style.lower().startswith("list"):
        return True
    p_pr = paragraph._p.pPr
    return p_pr is not None and p_pr.numPr is not None


def _paragraph_lines(paragraph: Any) -> list[str]:
    # A manual line break (Shift+Enter) keeps its own line, as in the .txt files.
    return [squeeze_spaces(part) for part in paragraph.text.split("\n") if part.strip()]


def _table_lines(table: Any) -> list[str]:
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            # A merged cell is reported once per grid column it spans.
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(squeeze_spaces(" ".join(p.text for p in cell.paragraphs)))
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


def _blocks(document: Any) -> list[list[str]]:
    from docx.table import Table

    blocks: list[list[str]] = []
    in_list = False
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks.append(_table_lines(item))
            in_list = False
            continue
        lines = _paragraph_lines(item)
        if not lines:
            in_list = False
            continue
        if _is_list_item(item):
            first = lines[0] if lines[0].startswith("- ") else f"- {normalise_bullet(lines[0])}"
            item_lines = [first, *lines[1:]]
            if in_list:
                blocks[-1].extend(item_lines)
            else:
                blocks.append(item_lines)
            in_list = True
        else:
            blocks.append([normalise_bullet(line) for line in lines])
            in_list = False
    return blocks


def load_docx(path: Path) -> str:
    import docx

    data = read_bytes(path)
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = _blocks(document)
    except Exception as err:
        raise LoadError(path, f"corrupt Word file ({type(err).__name__}: {err})") from err
    return require_text(path, join_blocks(blocks), "the document contains no text")
