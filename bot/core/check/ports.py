"""What the draft checker needs from the outside world, as small protocols.

The checker never imports the retriever, spaCy or presidio: the composition
root hands it objects that fit these shapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.core.models import Citation


class ClauseSearch(Protocol):
    """Finds policy clauses for a query (the lead's ``HybridRetriever`` fits)."""

    def search(
        self, query: str, agency_ids: Sequence[str] | None = None, k: int = 5
    ) -> list[Citation]: ...


@dataclass(frozen=True)
class PiiSpan:
    """One entity found by an NLP detector; offsets index the text it was given."""

    kind: str  # presidio entity names: PERSON, PHONE_NUMBER, DATE_TIME, LOCATION, ...
    start: int
    end: int
    score: float


class PiiDetector(Protocol):
    """Optional statistical entity finder (e.g. presidio + spaCy)."""

    def detect(self, text: str) -> list[PiiSpan]: ...
