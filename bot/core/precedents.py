"""Precedents: the agency's own questions whose answering clauses are known.

A tuned model has been taught these questions, but a single vector per clause
still blurs the clauses next to each other ("who must get written authorization"
vs "the authorization is recorded in JJEMS"). A new question phrased like one
the agency has already answered points at that answer more sharply than at any
clause: the closest precedents vote for their clauses, each by how much closer
than ``floor`` it is (docs/retrieval.md, session 17). A question unlike every
precedent gets no votes, and retrieval is what it was.

Gold phrases are found in the clauses the way the scorer and the tuner find
them, again whenever the index changes, so an edited policy never points a
precedent at a clause that no longer says what it was chosen for.

Questions the agency has marked out of scope are precedents too, with no gold:
they never vote, but a new question whose closest precedent is one of them, and
close (``silent``), is one the policies leave open as well: "a template for our
press release?" near "a template for the boilerplate paragraph of press releases?",
however near some clause's words are.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from bot.core.check.scoring import norm
from bot.core.models import Clause
from bot.core.ports import Vectors


@dataclass(frozen=True)
class Precedent:
    question: str
    gold: tuple[str, ...]  # phrases of the clauses that answer it
    agency: str | None = None  # the agency its answer was scoped to, if any
    covered: bool = True  # False: the policies leave it open (and gold is empty)


@dataclass(frozen=True)
class PrecedentWeights:
    # Measured on the held-out files with the tuned model (docs/retrieval.md, session 17).
    neighbours: int = 5
    floor: float = 0.4  # cosine under which a precedent says nothing
    weight: float = 0.5  # score added per unit of cosine above the floor
    # Cosine from which the closest precedent, when out of scope, makes a question
    # silent: 0.45 to 0.6 give the same held-out answers (docs/retrieval.md, session 18).
    silent: float = 0.5


def answering(precedents: Sequence[Precedent], clauses: Sequence[Clause]) -> list[frozenset[str]]:
    """For each precedent, the ids of the clauses containing one of its gold phrases
    (within its agency when it has one); empty when the policies no longer say it."""
    texts = [norm(c.text) for c in clauses]
    # A phrase's inner words are whole words of every clause that contains it (its
    # first and last may be cut), so only the clauses holding its rarest inner word
    # are searched, not every clause for each of ~3,000 phrases (docs/benchmarks.md).
    holding: dict[str, list[int]] = {}
    for i, text in enumerate(texts):
        for word in set(text.split(" ")):
            holding.setdefault(word, []).append(i)
    everywhere = range(len(texts))

    def containing(phrase: str) -> Iterator[int]:
        inner = [holding.get(w, []) for w in phrase.split(" ")[1:-1]]
        return (i for i in min(inner, key=len, default=everywhere) if phrase in texts[i])

    out: list[frozenset[str]] = []
    for p in precedents:
        found = {i for g in p.gold if g.strip() for i in containing(norm(g))}
        out.append(
            frozenset(
                clauses[i].id for i in found if p.agency is None or clauses[i].agency_id == p.agency
            )
        )
    return out


class PrecedentBank:
    """Precedents with their question vectors (rows, unit length, from the model in use)."""

    def __init__(
        self,
        precedents: Sequence[Precedent],
        vectors: Vectors,
        weights: PrecedentWeights = PrecedentWeights(),
    ) -> None:
        if len(precedents) != len(vectors):
            raise ValueError(f"{len(precedents)} precedents but {len(vectors)} vectors")
        self.precedents = list(precedents)
        self._vectors = np.asarray(vectors, dtype=np.float32)
        self._weights = weights
        self._open = np.array([not p.covered for p in self.precedents], dtype=bool)

    def __len__(self) -> int:
        return len(self.precedents)

    def votes(self, question: Vectors, answers: Sequence[frozenset[str]]) -> dict[str, float]:
        """Clause id -> score to add, from the precedents closest to the question.

        The whole message, not only the sentence that asks: precedents set their scene
        too ("a mom whose son is in detention …"), and it is part of what they match
        (measured: two held-out questions more first than with the closer of the two)."""
        if not len(self._vectors):
            return {}
        w = self._weights
        # Out-of-scope precedents have no clause to vote for, nor take an answered one's place.
        sims = np.where(self._open, -np.inf, self._vectors @ np.asarray(question).reshape(-1))
        out: dict[str, float] = {}
        for i in np.argsort(-sims, kind="stable")[: w.neighbours]:
            above = float(sims[i]) - w.floor
            if above <= 0:
                break
            for cid in answers[i]:
                # The closest precedent speaks for a clause; more of them do not add up,
                # so a clause asked about often is not favoured over a rarer one.
                out[cid] = max(out.get(cid, 0.0), w.weight * above)
        return out

    def left_open(self, question: Vectors) -> Precedent | None:
        """The precedent closest to the question, when it is one the policies leave open."""
        if not self._open.any():
            return None
        sims = self._vectors @ np.asarray(question).reshape(-1)
        closest = int(np.argmax(sims))
        if self._open[closest] and float(sims[closest]) >= self._weights.silent:
            return self.precedents[closest]
        return None
