"""Teach the embedding model an agency's own questions (`policybot tune`).

MiniLM was trained on web question/answer pairs, not on how caseworkers ask
about policy ("can I get fired for this?" -> "may lead to discipline up to and
including termination"). A golden file pairs such questions with the clauses
that answer them; a few epochs of contrastive fine-tuning on those pairs (each
question against its clause, the other questions' clauses and the clause the
packaged model wrongly ranked first; from the second epoch on, the clause the
model being trained wrongly ranks first) lift questions the model has never
seen: docs/retrieval.md has the held-out measurements. Its out-of-scope lines ("how
do I reset my Outlook password?") teach the other half: they are pushed away
from every clause, the one that looked closest first, so that "the policies are
silent" stays the answer to questions that only sound like policy.

Training starts from the packaged (or configured) model every time, so tuning
twice on the same files gives the same model, and it is written next to the
index, which is re-embedded with it.
"""

from __future__ import annotations

import dataclasses
import json
import random
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bot.core.answer import TUNED_COVERAGE
from bot.core.models import Clause
from bot.core.precedents import Precedent, answering
from bot.embedding import model_fingerprint
from bot.precedent_files import precedent_of, write_precedents

# Measured on the project's question sets (docs/retrieval.md): 3 epochs at 2e-5
# lift held-out questions; more epochs start to trade them for the training ones.
EPOCHS = 3
LEARNING_RATE = 2e-5
BATCH = 16
# In-batch softmax temperature of sentence-transformers' MultipleNegativesRankingLoss.
SCALE = 20.0
# Every row of the in-batch loss also has an "abstain" column at the cosine under
# which a question on the policies' topic is called uncovered: an out-of-scope
# question must score every clause below it, an answerable one its clause above it,
# each by a margin, so that the questions it was not trained on land on the right side.
ABSTAIN_SIMILARITY = TUNED_COVERAGE.with_topic
ABSTAIN_MARGIN = 0.05
# Texts encoded together in one padded batch while training (see fine_tune.encode).
LENGTH_GROUP = 8
INFO_FILE = "policybot-tuning.json"
# Questions scored against every clause at once when hard negatives are mined again.
REMINE_BLOCK = 256


@dataclass(frozen=True)
class TrainingPair:
    question: str
    positives: tuple[str, ...]  # clause-in-context texts that answer it; () if out of scope
    negative: str | None  # the best-ranked clause that does not answer it
    agency: str | None = None  # the agency the question is scoped to, if any


@dataclass
class TrainingSet:
    pairs: list[TrainingPair] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "file line N: why", shown to the user

    @property
    def out_of_scope(self) -> int:
        """Of the pairs, those no clause answers."""
        return sum(not p.positives for p in self.pairs)


def training_pairs(
    items: Iterable[tuple[str, dict[str, Any]]],
    clauses: Sequence[Clause],
    ranked: Callable[[str, str | None], list[Clause]],
) -> TrainingSet:
    """Pairs from golden items ((where, item)): gold phrases are found in the clauses
    the way precedents find theirs (bot.core.precedents.answering, which is the scorer's
    rule); ``ranked`` gives the current model's answer."""
    items = list(items)
    read = [precedent_of(item) for _, item in items]
    # Looked up for all answerable lines at once: the lookup indexes the clauses' words first.
    answers = iter(answering([p for p in read if p is not None and p.covered], clauses))
    out = TrainingSet()
    for (where, item), precedent in zip(items, read, strict=True):
        question = item.get("question")
        if not isinstance(question, str) or not question.strip():
            out.skipped.append(f"{where}: no question")
            continue
        agency = item.get("agency") if isinstance(item.get("agency"), str) else None
        if not item.get("covered", True):
            # No clause to move towards, but the one that looked closest is the first
            # to move away from.
            closest = next(iter(ranked(question, agency)), None)
            out.pairs.append(
                TrainingPair(question, (), closest.embedding_text() if closest else None, agency)
            )
            continue
        ids = next(answers) if precedent is not None else frozenset()
        positives = [c for c in clauses if c.id in ids]  # in clause order, as before
        if not positives:
            out.skipped.append(f"{where}: no indexed clause contains its gold phrase")
            continue
        right = {c.id for c in positives}
        wrong = next((c for c in ranked(question, agency) if c.id not in right), None)
        out.pairs.append(
            TrainingPair(
                question,
                tuple(c.embedding_text() for c in positives),
                wrong.embedding_text() if wrong else None,
                agency,
            )
        )
    return out


def other_answers(
    batch: Sequence[TrainingPair], columns: Sequence[str], targets: Sequence[int]
) -> list[list[bool]]:
    """For each question of a batch, the columns (clauses) other than its target
    that also answer it.

    In-batch training treats every other column as a wrong answer; but two
    questions about the same rule often share a batch, and pushing a question
    away from its own clause would teach the model the opposite of the golden
    file. Those cells are left out of the loss."""
    return [
        [j != target and text in pair.positives for j, text in enumerate(columns)]
        for pair, target in zip(batch, targets, strict=True)
    ]


def batch_columns(
    batch: Sequence[TrainingPair], pick: Callable[[Sequence[str]], str]
) -> tuple[list[str], list[int]]:
    """The clause columns of a batch and each question's target column.

    Answerable questions contribute one of their clauses (chosen by ``pick``)
    and target it; every question contributes its hard negative. An
    out-of-scope question's target is the abstain column after the clauses."""
    answers = [pick(p.positives) for p in batch if p.positives]
    columns = answers + [p.negative for p in batch if p.negative is not None]
    answer_column = iter(range(len(answers)))
    return columns, [next(answer_column) if p.positives else len(columns) for p in batch]


def remine(
    pairs: Sequence[TrainingPair],
    corpus: Sequence[tuple[str, str]],
    encode: Callable[[list[str]], Any],
) -> list[TrainingPair]:
    """Each pair with the hard negative the model being trained now ranks first.

    The packaged model's mistakes are not the tuned model's: after an epoch it
    has learned them, and confuses other clauses (often the sentence next to the
    answer). Mining again from the current model keeps the negatives hard."""
    texts = [text for _, text in corpus]
    agencies = [agency for agency, _ in corpus]
    clauses = encode(texts)
    out: list[TrainingPair] = []
    # A block of questions at a time: a large corpus's full similarity matrix
    # would not fit in memory.
    for start in range(0, len(pairs), REMINE_BLOCK):
        block = pairs[start : start + REMINE_BLOCK]
        similarity = np.asarray(encode([p.question for p in block]) @ clauses.T)
        for row, pair in zip(similarity, block, strict=True):
            negative = next(
                (
                    texts[j]
                    for j in np.argsort(-row, kind="stable")
                    if texts[j] not in pair.positives
                    and (pair.agency is None or agencies[j] == pair.agency)
                ),
                pair.negative,
            )
            out.append(dataclasses.replace(pair, negative=negative))
    return out


def abstain_column(batch: Sequence[TrainingPair]) -> list[float]:
    """Each question's abstain cosine: its clause must beat the coverage threshold
    by the margin; an out-of-scope question must keep every clause that far under it."""
    return [
        ABSTAIN_SIMILARITY + (ABSTAIN_MARGIN if p.positives else -ABSTAIN_MARGIN) for p in batch
    ]


def tuned_from(model_dir: Path, base: Path) -> bool:
    """Whether the tuned model in ``model_dir`` was made from the model at ``base``
    (False when it is not a complete tuned model).

    The same base by path, or, when the checkout or virtualenv has moved since
    (the recorded path is gone or another), by the hash of its files."""
    try:
        info = json.loads((model_dir / INFO_FILE).read_text(encoding="utf-8"))
        if Path(info["base"]).resolve() == base.resolve():
            return True
        recorded = info.get("base_fingerprint")
        return isinstance(recorded, str) and recorded == model_fingerprint(base)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def fine_tune(
    base: Path,
    pairs: Sequence[TrainingPair],
    out: Path,
    epochs: int = EPOCHS,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
    corpus: Sequence[tuple[str, str]] = (),
    precedents: Sequence[Precedent] = (),
) -> float:
    """Train a copy of the model at ``base`` on ``pairs``; write it to ``out``.

    ``corpus`` ((agency id, clause-in-context text) of every clause) lets each
    epoch after the first mine its hard negatives from the model being trained.
    ``precedents`` are kept with the model: answers given with it use them.

    Returns the seconds spent. The model is written to a sibling directory and
    swapped in at the end, so an interrupted run leaves the previous model."""
    import torch
    from sentence_transformers import SentenceTransformer

    started = time.perf_counter()
    rng = random.Random(seed)
    torch.manual_seed(seed)
    model = SentenceTransformer(str(base), device="cpu")
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE)

    def encode_padded(texts: list[str]) -> Any:
        features = model.tokenizer(
            texts,
            padding=True,
            truncation=True,
            max_length=model.max_seq_length,
            return_tensors="pt",
        )
        return torch.nn.functional.normalize(model(dict(features))["sentence_embedding"], dim=-1)

    def encode(texts: list[str]) -> Any:
        # Clauses run from 5 to ~120 tokens; padded together, most of a batch is
        # padding. Encoded in groups of similar length, the same embeddings take
        # about a fifth less training time (docs/benchmarks.md); padding is
        # masked, so the result does not change.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        parts = [
            encode_padded([texts[i] for i in order[s : s + LENGTH_GROUP]])
            for s in range(0, len(order), LENGTH_GROUP)
        ]
        return torch.cat(parts)[torch.argsort(torch.tensor(order))]  # back to input order

    def encode_frozen(texts: list[str]) -> Any:
        model.eval()
        with torch.no_grad():
            vectors = torch.cat([encode(texts[s : s + 64]) for s in range(0, len(texts), 64)])
        model.train()
        return vectors

    order = list(pairs)
    steps = epochs * ((len(order) + BATCH - 1) // BATCH)
    step = 0
    for epoch in range(epochs):
        if epoch and corpus:
            order = remine(order, corpus, encode_frozen)
        rng.shuffle(order)
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            # Each question's own clause, then one hard negative per question: every
            # other column is a wrong answer for it, unless it answers it too.
            columns, targets = batch_columns(batch, rng.choice)
            if columns:  # none only when the index is empty
                questions = encode([p.question for p in batch])
                similarity = questions @ encode(columns).T
                mask = torch.tensor(other_answers(batch, columns, targets))
                similarity = similarity.masked_fill(mask, float("-inf"))
                abstain = torch.tensor([[a] for a in abstain_column(batch)])
                logits = torch.cat([similarity, abstain], dim=1) * SCALE
                loss = torch.nn.functional.cross_entropy(logits, torch.tensor(targets))
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            step += 1
            if progress:
                progress(step, steps)
    model.eval()
    staging = out.with_name(out.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    model.save(str(staging))
    seconds = time.perf_counter() - started
    info = {
        "base": str(base.resolve()),
        "base_fingerprint": model_fingerprint(base),
        "pairs": len(pairs),
        "epochs": epochs,
        "seed": seed,
    }
    (staging / INFO_FILE).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    write_precedents(staging, precedents)
    old = out.with_name(out.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    return seconds
