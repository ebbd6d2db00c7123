"""The optional LLM seam: a model may phrase the answer's summary, nothing more.

Quotes, citations and verdicts always come from stored clause text. Whatever
the model writes is screened: a sentence that puts words in quotation marks
which are not verbatim in a cited clause is dropped, so a model cannot invent
a rule and dress it up as a quote.
"""

from __future__ import annotations

import re
from typing import Protocol

from bot.core.models import AgencyVerdict, Citation

_QUOTED = re.compile(r"[\"“”']([^\"“”']{12,})[\"“”']")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


class Reasoner(Protocol):
    def phrase(
        self, question: str, verdicts: list[AgencyVerdict], citations: list[Citation]
    ) -> str: ...


def _fold(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def screen(text: str, citations: list[Citation]) -> str:
    """Keep only the model's sentences whose quoted words really are in a cited clause."""
    sources = [_fold(c.clause.text) for c in citations]
    kept = []
    for sentence in _SENTENCE.split(text.strip()):
        quoted = _QUOTED.findall(sentence)
        if all(any(_fold(q) in s for s in sources) for q in quoted):
            kept.append(sentence)
    return " ".join(kept)[:1200]
