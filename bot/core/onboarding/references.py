"""Resolving a tour's quotes to stored clauses, and checking that every one resolves.

A quote must be a verbatim substring of exactly one clause of the tour's own
agency: a rule can never be shown with another agency's wording, and a policy
update that drops or rewords a quoted sentence is caught before it is indexed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from bot.core.models import Clause
from bot.core.onboarding.tour import Tour, TourError


class QuoteIndex:
    """Clauses by agency, searchable by a verbatim quote."""

    def __init__(self, clauses: Iterable[Clause]) -> None:
        self._by_agency: dict[str, list[Clause]] = {}
        for clause in clauses:
            self._by_agency.setdefault(clause.agency_id, []).append(clause)
        for items in self._by_agency.values():
            items.sort(key=lambda c: (c.policy_id, c.ordinal))

    def matches(self, agency_id: str, quote: str) -> list[Clause]:
        return [c for c in self._by_agency.get(agency_id, []) if quote in c.text]

    def resolve(self, agency_id: str, quote: str) -> Clause | None:
        """The one clause holding ``quote``, or None when there is not exactly one."""
        found = self.matches(agency_id, quote)
        return found[0] if len(found) == 1 else None


def _short(quote: str, limit: int = 90) -> str:
    return quote if len(quote) <= limit else quote[: limit - 1] + "…"


def reference_errors(
    tours: Iterable[Tour], index: QuoteIndex, agency_names: Mapping[str, str]
) -> list[str]:
    """One line per quote that does not resolve to exactly one clause of its agency."""
    errors: list[str] = []
    for tour in tours:
        agency = agency_names.get(tour.agency_id, tour.agency_id)
        items: list[tuple[str, str]] = [
            (tour.label("rule", n), rule.quote) for n, rule in enumerate(tour.rules)
        ]
        items += [(tour.label("quiz", n), q.quote) for n, q in enumerate(tour.quiz)]
        for label, quote in items:
            found = index.matches(tour.agency_id, quote)
            if not found:
                errors.append(
                    f"{tour.name}: {label} quotes text not found in {agency} policy: "
                    f"'{_short(quote)}'"
                )
            elif len(found) > 1:
                errors.append(
                    f"{tour.name}: {label} quotes text found in {len(found)} {agency} clauses "
                    f"(quote more of the sentence to name one): '{_short(quote)}'"
                )
    return errors


def validate_references(
    tours: Iterable[Tour], clauses: Sequence[Clause], agency_names: Mapping[str, str]
) -> None:
    """Raise TourError listing every quote that no longer resolves."""
    errors = reference_errors(tours, QuoteIndex(clauses), agency_names)
    if errors:
        raise TourError("\n".join(errors))
