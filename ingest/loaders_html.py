"""HTML pages: the readable text, block by block.

Scripts, styles, navigation and other page chrome are dropped; block elements
end lines, <li> becomes a "- " item, headings and paragraphs are blocks of their
own, table rows become " | "-joined lines. Inline markup (<u>, <b>, <a>, ...)
keeps its text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ingest.loaders_base import LoadError, join_blocks, require_text, squeeze_spaces
from ingest.loaders_text import load_text

_DROP = {"script", "style", "nav", "noscript", "template", "head", "svg", "iframe", "button"}
# Elements that stand apart from their neighbours by a blank line.
_BLOCKS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "dl",
    "table",
    "blockquote",
    "pre",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "figure",
    "form",
    "address",
    "hr",
    "body",
    "html",
    "fieldset",
    "details",
    "summary",
}
# Elements that start a new line but not a new block.
_LINES = {"div", "li", "tr", "dt", "dd", "br", "figcaption", "caption", "option", "legend"}
_WHITESPACE_RE = re.compile(r"\s+")
_BREAK = object()  # line break marker
_BLOCK = object()  # block break marker


class _Walker:
    def __init__(self) -> None:
        self.out: list[Any] = []

    def walk(self, node: Any) -> None:
        from bs4.element import NavigableString, PreformattedString, Tag

        # Comments, the doctype, CDATA and processing instructions are not text.
        if isinstance(node, PreformattedString):
            return
        if isinstance(node, NavigableString):
            # Source line breaks inside a paragraph are just spaces in HTML.
            self.out.append(_WHITESPACE_RE.sub(" ", str(node)))
            return
        if not isinstance(node, Tag) or node.name in _DROP:
            return
        name = node.name
        if name == "br":
            self.out.append(_BREAK)
            return
        if name == "tr":
            self.out.append(_BREAK)
            cells = [
                squeeze_spaces(cell.get_text(" "))
                for cell in node.find_all(["td", "th"], recursive=False)
            ]
            if any(cells):
                self.out.append(" | ".join(cells))
            self.out.append(_BREAK)
            return
        marker = _BLOCK if name in _BLOCKS else _BREAK if name in _LINES else None
        if name in ("ul", "ol") and node.find_parent("li") is not None:
            # A nested list continues its parent item's list: new lines, same block.
            marker = _BREAK
        if marker is not None:
            self.out.append(marker)
        if name == "li":
            self.out.append("- ")
        for child in node.children:
            self.walk(child)
        if marker is not None:
            self.out.append(marker)


def _assemble(tokens: list[Any]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    current: list[str] = []

    def end_line() -> None:
        line = squeeze_spaces("".join(current))
        current.clear()
        if line and line != "-":
            blocks[-1].append(line)

    for tok in tokens:
        if tok is _BREAK:
            end_line()
        elif tok is _BLOCK:
            end_line()
            if blocks[-1]:
                blocks.append([])
        else:
            current.append(tok)
    end_line()
    return blocks


def load_html(path: Path) -> str:
    from bs4 import BeautifulSoup

    # Decoding (and refusing binary junk) is the same as for plain text.
    markup = load_text(path)
    try:
        soup = BeautifulSoup(markup, "html.parser")
    except Exception as err:
        raise LoadError(path, f"unparseable HTML ({type(err).__name__}: {err})") from err
    walker = _Walker()
    walker.walk(soup)
    return require_text(path, join_blocks(_assemble(walker.out)), "the page contains no text")
