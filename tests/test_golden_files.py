"""The golden files themselves: labels a scorer can find, and held-out sets that stay unseen.

A gold phrase no clause contains can never be hit, so the file would understate
(or, for training, mislabel) every answer to its question. And a held-out
question that is a near copy of a tuning question ("How long do we have to keep
old posts?" in both) measures memory, not how the model does on questions it
has not seen: questions written independently by different people still
collide, so the tuning files are kept clear of the held-out ones.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from bot.app import Runtime
from bot.core.check.scoring import norm
from bot.core.ports import Embedder
from bot.evaluation import read_jsonl

GOLDEN = Path(__file__).resolve().parent / "golden"
# The same split as the Makefile's TUNING_SETS: what `make tune` teaches, and what it never sees.
TUNING = sorted(p.name for p in GOLDEN.glob("questions*.jsonl"))
HELD_OUT = sorted(p.name for p in GOLDEN.glob("holdout*.jsonl"))
# Share of words two questions have in common (of the words either uses) from which
# one counts as a rewording of the other. 0.6 catches "can I check facebook on my
# work laptop during lunch?" vs "Can I check Facebook on my work computer at lunch?".
NEAR_COPY = 0.6
# An out-of-scope question has no clause to learn, so all a tuning line teaches is
# its matter, and two writers ask about the same matters in different words ("Can I
# wear jeans on Fridays?" and "Are jeans allowed on casual Friday?" share 3 of 9
# words). From this cosine of the packaged MiniLM the two ask the same thing (0.65
# still pairs "reimburse my phone bill" with "a stipend for my personal cell").
SAME_MATTER = 0.65


def _words(question: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9']+", question.lower()))


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


@pytest.mark.parametrize("name", TUNING + HELD_OUT)
def test_every_gold_phrase_is_inside_one_indexed_clause(runtime: Runtime, name: str) -> None:
    clauses = runtime.store.clauses()
    texts = [(c.agency_id, norm(c.text)) for c in clauses]
    missing = []
    for n, item in enumerate(read_jsonl(GOLDEN / name), 1):
        agency = item.get("agency")
        if not item.get("covered", True):
            assert not item.get("gold"), f"{name} line {n}: out of scope but has gold"
            continue
        assert item.get("gold"), f"{name} line {n}: covered but no gold"
        for phrase in item["gold"]:
            if not any(norm(phrase) in t and agency in (None, a) for a, t in texts):
                missing.append(f"line {n}: {phrase!r}")
    assert not missing, f"{name}: gold phrases no clause contains: {missing}"


def test_no_tuning_question_rewords_a_held_out_one() -> None:
    held = [(name, item["question"]) for name in HELD_OUT for item in read_jsonl(GOLDEN / name)]
    held_words = [(name, q, _words(q)) for name, q in held]
    copies = []
    for name in TUNING:
        for item in read_jsonl(GOLDEN / name):
            words = _words(item["question"])
            copies += [
                f"{name}: {item['question']!r} ~ {h}: {q!r}"
                for h, q, w in held_words
                if _overlap(words, w) >= NEAR_COPY
            ]
    assert not copies, copies


def test_no_out_of_scope_tuning_question_asks_what_a_held_out_one_asks(
    embedder: Embedder,
) -> None:
    def out_of_scope(names: list[str]) -> list[tuple[str, str]]:
        return [
            (name, item["question"])
            for name in names
            for item in read_jsonl(GOLDEN / name)
            if not item.get("covered", True)
        ]

    held, tuning = out_of_scope(HELD_OUT), out_of_scope(TUNING)
    assert len(held) >= 50 and len(tuning) >= 300

    def vectors(rows: list[tuple[str, str]]) -> np.ndarray:
        return embedder.embed_documents([q for _, q in rows])  # unit length: a dot is a cosine

    similar = vectors(tuning) @ vectors(held).T
    same = [
        f"{tuning[i][0]}: {tuning[i][1]!r} ~ {held[j][0]}: {held[j][1]!r} ({similar[i, j]:.2f})"
        for i, j in zip(*np.nonzero(similar >= SAME_MATTER), strict=True)
    ]
    assert not same, same


def test_the_tuning_files_cover_every_agency_many_times() -> None:
    per_agency: dict[str, int] = {}
    covered = 0
    for name in TUNING:
        for item in read_jsonl(GOLDEN / name):
            covered += bool(item.get("covered", True))
            if item.get("agency"):
                per_agency[item["agency"]] = per_agency.get(item["agency"], 0) + 1
    assert covered >= 1500
    assert len(per_agency) == 5 and min(per_agency.values()) >= 15, per_agency
