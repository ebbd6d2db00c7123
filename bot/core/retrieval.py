"""Hybrid clause retrieval: dense (MiniLM over clause-in-context) + BM25, fused,
then the best few reranked by soft word matching (bot.core.soft_match).

Dense search runs in the ClauseStore (Chroma); the lexical index is built in
memory from the store's clauses and rebuilt when the store's version changes.
"""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.core.bm25 import BM25
from bot.core.cues import asks_permission, names_asked, names_permission, rare_names
from bot.core.lexicon import Lexicon
from bot.core.models import Citation, Clause
from bot.core.ports import ClauseStore, Embedder, Vectors
from bot.core.precedents import Precedent, PrecedentBank, answering
from bot.core.soft_match import SoftMatcher
from bot.core.text import tokens

DENSE_POOL = 60
LEXICAL_POOL = 60
EXPANSION_WEIGHT = 0.8
# Words of the heading and lead-in count, but less than the clause's own words.
CONTEXT_TF = 0.6
# Definitions explain words; a question about conduct wants the rule itself.
DEFINITION_PENALTY = 0.06
# A short lead-in ("The following activities are prohibited:") states no rule
# of its own; its items do, and they carry it as context. A long one ("... they
# shall obtain authorization in writing from their supervisor ...:") is a rule.
LEAD_IN_PENALTY = 0.10
SHORT_LEAD_IN_WORDS = 16
# The fused ranking's best few are reranked word by word; deeper candidates
# never reached the top after it (measured: 15, 25 and 120 give the same answers
# on all four question sets), and each clause not yet cached costs a model pass.
RERANK_POOL = 15
# A question about "my state laptop" comes from a state agency's staff: its
# clauses win a near tie with a county agency's rule on the same thing.
EMPLOYER_BONUS = 0.1
# "Do I need permission to…": a clause that names an approval answers it; the
# clause next to it that only matches the topic does not.
PERMISSION_BONUS = 0.1
# "Can CORI data go on social media?": the one clause that says "CORI" is what is asked
# about, however far the model puts it. 0.2 and 0.3 gain the same two held-out
# questions and lose none; 0.5 puts a name over the rule asked about (session 19).
NAME_BONUS = 0.2


@dataclass(frozen=True)
class Fusion:
    """How much the lexical (BM25) and word-level scores add to the dense cosine."""

    lexical: float
    soft: float


# Measured with the packaged MiniLM (docs/retrieval.md, session 3).
PACKAGED_FUSION = Fusion(lexical=0.25, soft=0.5)
# A model tuned on the agency's questions has learned much of what the words
# add for the packaged one ("fired" -> "termination"), and its dense ranking is
# the better one: on every tuned model measured, 0.1 / 0.25 put 2-4 points more
# held-out questions first than 0.25 / 0.5 (docs/retrieval.md, session 7).
TUNED_FUSION = Fusion(lexical=0.1, soft=0.25)


def _term_weights(clause: Clause) -> dict[str, float]:
    weights: dict[str, float] = {}
    for t in tokens(clause.text):
        weights[t] = weights.get(t, 0.0) + 1.0
    for t in tokens(f"{clause.section} {clause.context}"):
        weights[t] = weights.get(t, 0.0) + CONTEXT_TF
    return weights


def asking_sentence(query: str) -> str:
    """The message's last question, when it has other sentences too: "" otherwise.

    "overnights at the center are dead quiet. any rule against putting a solitaire or
    sudoku app on the unit computer?" embeds near questions the policies leave open
    (0.06 from the games clause); its question alone is 0.21 from it. Without a
    question mark the last sentence is the request; a short one ("Why?") says
    nothing alone."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", query.strip()) if s]
    if len(sentences) < 2:
        return ""
    asks = [s for s in sentences if s.endswith("?")]
    last = asks[-1] if asks else sentences[-1]
    return last if len(last.split()) >= 3 else ""


# "Who do I report that to?", "Is that allowed at work?": a sentence whose matter is
# named in the sentence before it.
_REFERS_BACK = re.compile(r"\b(?:that|this|it|these|those|they|them)\b", re.I)


def refers_back(sentence: str) -> bool:
    """Does the sentence take what it is about from an earlier one ("that", "it")?"""
    return bool(_REFERS_BACK.search(sentence))


def _is_bare_lead_in(text: str) -> bool:
    return text.rstrip().endswith(":") and len(text.split()) <= SHORT_LEAD_IN_WORDS


@dataclass(frozen=True)
class Hit:
    clause: Clause
    score: float  # fused
    dense: float  # cosine similarity of question and clause-in-context
    lexical: float  # BM25, normalised to the best lexical score of this query
    matched: frozenset[str]  # question stems found in the clause-in-context
    soft: float = 0.0  # soft word match (0 when not reranked)
    precedent: float = 0.0  # the precedents' vote, included in score
    # The whole message's cosine, where dense may be its asking sentence's; None: dense.
    message: float | None = None


@dataclass(frozen=True)
class _LexicalIndex:
    version: str
    clauses: list[Clause]
    terms: list[frozenset[str]]
    bm25: BM25
    # Built with the index, not per query: at 60k clauses these cost ~100 ms each.
    position: dict[str, int]
    agency: npt.NDArray[np.str_]
    # Each precedent's answering clauses in this version of the index.
    answers: list[frozenset[str]]
    # Rare names in capitals -> the clauses that say them (bot.core.cues.rare_names).
    names: dict[str, frozenset[str]]


class HybridRetriever:
    def __init__(
        self,
        store: ClauseStore,
        embedder: Embedder,
        lexicon: Lexicon | None = None,
        refresh_seconds: float = 5.0,
        matcher: SoftMatcher | None = None,
        fusion: Fusion = PACKAGED_FUSION,
        cues: bool = True,
        precedents: PrecedentBank | None = None,
    ) -> None:
        self._store = store
        self._precedents = precedents
        self._cues = cues
        self._embedder = embedder
        self._matcher = matcher
        self._fusion = fusion
        self._lexicon = lexicon or Lexicon()
        self._refresh_seconds = refresh_seconds
        self._index: _LexicalIndex | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def _lexical(self) -> _LexicalIndex:
        now = time.monotonic()
        with self._lock:
            if self._index is not None and now - self._checked < self._refresh_seconds:
                return self._index
            version = self._store.version()
            self._checked = now
            if self._index is None or self._index.version != version:
                clauses = self._store.clauses()
                docs = [_term_weights(c) for c in clauses]
                self._index = _LexicalIndex(
                    version,
                    clauses,
                    [frozenset(d) for d in docs],
                    BM25(docs),
                    {c.id: i for i, c in enumerate(clauses)},
                    np.array([c.agency_id for c in clauses], dtype=np.str_),
                    answering(self._precedents.precedents, clauses) if self._precedents else [],
                    rare_names(clauses) if self._cues else {},
                )
            return self._index

    def version(self) -> str:
        """The index version answers are drawn from (caches keyed on it stay valid)."""
        return self._lexical().version

    def idf(self, term: str) -> float:
        return self._lexical().bm25.idf(term)

    def retrieve(
        self,
        query: str,
        agency_ids: Sequence[str] | None = None,
        k: int = 10,
        prefer: Sequence[str] = (),
        precedents: bool = False,
    ) -> list[Hit]:
        """The best k clauses for the query, from agency_ids only when given; the
        agencies in prefer (the asker's employer, by the question's words) win near ties.
        With precedents, the agency's answered questions closest to this one vote for
        their clauses (questions only: a draft post is not phrased like one)."""
        index = self._lexical()
        wants_permission = self._cues and asks_permission(query)
        named = names_asked(query, index.names)  # no names are found without cues
        q_terms = tokens(query)
        weights = dict.fromkeys(q_terms, 1.0)
        for t in self._lexicon.expand(q_terms):
            weights.setdefault(t, EXPANSION_WEIGHT)

        pool, whole, vectors = self._dense_pool(query, list(agency_ids) if agency_ids else None)
        dense = {cid: s for cid, (_, s) in pool.items()}
        votes = (
            self._precedents.votes(vectors[0], index.answers)
            if precedents and self._precedents is not None and vectors
            else {}
        )
        floor = min(dense.values()) if dense else 0.0
        whole_floor = min(whole.values()) if whole else 0.0

        lex = index.bm25.scores(weights)
        if agency_ids:
            lex = np.where(np.isin(index.agency, list(agency_ids)), lex, 0.0)
        top_lex = np.argsort(-lex)[:LEXICAL_POOL]
        best_lex = float(lex[top_lex[0]]) if len(top_lex) else 0.0

        by_id = index.position
        candidates: dict[str, Clause] = {cid: c for cid, (c, _) in pool.items()}
        for i in top_lex:
            if lex[i] > 0:
                candidates.setdefault(index.clauses[i].id, index.clauses[i])
        for cid in named:
            clause = index.clauses[by_id[cid]]
            if not agency_ids or clause.agency_id in agency_ids:
                candidates.setdefault(cid, clause)

        q_set = set(q_terms)
        hits: list[Hit] = []
        for cid, clause in candidates.items():
            pos = by_id.get(cid)
            lexical = float(lex[pos]) / best_lex if pos is not None and best_lex > 0 else 0.0
            d = dense.get(cid, floor)
            matched = frozenset(q_set & index.terms[pos]) if pos is not None else frozenset()
            score = d + self._fusion.lexical * lexical
            if "definition" in clause.section.lower():
                score -= DEFINITION_PENALTY
            if _is_bare_lead_in(clause.text):
                score -= LEAD_IN_PENALTY
            if self._cues and clause.agency_id in prefer:
                score += EMPLOYER_BONUS
            if wants_permission and names_permission(clause.text):
                score += PERMISSION_BONUS
            if cid in named:
                score += NAME_BONUS
            vote = votes.get(cid, 0.0)
            hits.append(
                Hit(
                    clause,
                    score + vote,
                    d,
                    lexical,
                    matched,
                    precedent=vote,
                    message=whole.get(cid, whole_floor),
                )
            )
        hits.sort(key=lambda h: -h.score)
        if self._matcher is not None and hits:
            hits = self._rerank(query, hits, index.bm25)
        return hits[:k]

    def left_open(self, query: str) -> Precedent | None:
        """The precedent closest to the query, when it is a question the policies leave
        open (never with no precedents, nor for an empty query)."""
        if self._precedents is None or not query.strip():
            return None
        return self._precedents.left_open(self._embedder.embed_query(query))

    def _dense_pool(
        self, query: str, scope: list[str] | None
    ) -> tuple[dict[str, tuple[Clause, float]], dict[str, float], list[Vectors]]:
        """The closest clauses by id, each with its cosine to the question or, when closer,
        to the sentence in it that asks (a scene set first must not hide the question);
        the whole question's own cosines; and the vectors of the two."""
        pool: dict[str, tuple[Clause, float]] = {}
        whole: dict[str, float] = {}
        vectors: list[Vectors] = []
        for view, text in enumerate(filter(None, (query, asking_sentence(query)))):
            vector = self._embedder.embed_query(text)
            vectors.append(vector)
            for clause, s in self._store.search(vector, DENSE_POOL, scope):
                if view == 0:  # the question itself
                    whole[clause.id] = s
                if clause.id not in pool or s > pool[clause.id][1]:
                    pool[clause.id] = (clause, s)
        return pool, whole, vectors

    def _rerank(self, query: str, hits: list[Hit], bm25: BM25) -> list[Hit]:
        assert self._matcher is not None
        head, tail = hits[:RERANK_POOL], hits[RERANK_POOL:]
        soft = self._matcher.scores(query, [h.clause for h in head], bm25.idf)
        head = [
            dataclasses.replace(h, score=h.score + self._fusion.soft * s, soft=s)
            for h, s in zip(head, soft, strict=True)
        ]
        head.sort(key=lambda h: -h.score)
        return head + tail

    def warm_up(self) -> None:
        """Compute the reranker's clause word vectors before the first question."""
        if self._matcher is not None:
            self._matcher.warm_up(self._lexical().clauses)

    def search(
        self, query: str, agency_ids: Sequence[str] | None = None, k: int = 5
    ) -> list[Citation]:
        return [Citation(h.clause, h.score) for h in self.retrieve(query, agency_ids, k)]
