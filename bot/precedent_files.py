"""The tuned model's precedents on disk: the questions it was tuned on, kept beside it.

`policybot tune` writes the lines of its golden files next to the model
(``policybot-precedents.jsonl``), answerable and out of scope; answers then use
them as precedents (bot.core.precedents). Their vectors are cached beside them,
keyed by the model's fingerprint and the questions, so a start embeds nothing it
embedded before, and a cache from another model or other questions is never read
as this one's.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from bot.core.ports import Embedder
from bot.core.precedents import Precedent, PrecedentBank

PRECEDENTS_FILE = "policybot-precedents.jsonl"
VECTORS_FILE = "policybot-precedents.npz"

log = logging.getLogger(__name__)


def precedent_of(item: Mapping[str, Any]) -> Precedent | None:
    """A golden line as a precedent: answered by the clauses holding its gold phrases,
    or left open when marked out of scope (``covered`` false, as the scorer reads it).
    None when it has no question, or is answerable with no gold phrase. Tuning reads
    its lines the same way."""
    question, gold, agency = item.get("question"), item.get("gold"), item.get("agency")
    if not isinstance(question, str) or not question.strip():
        return None
    if not item.get("covered", True):
        return Precedent(question, (), None, covered=False)
    # A string is not a list of phrases: read letter by letter, it would match every clause.
    phrases = (
        tuple(g for g in gold if isinstance(g, str) and g.strip()) if isinstance(gold, list) else ()
    )
    if not phrases:
        return None
    return Precedent(question, phrases, agency if isinstance(agency, str) else None)


def precedents_from(items: Iterable[tuple[str, dict[str, Any]]]) -> list[Precedent]:
    """The golden lines a clause answers, and those no clause does."""
    return [p for _, item in items if (p := precedent_of(item)) is not None]


def write_precedents(model_dir: Path, precedents: Iterable[Precedent]) -> None:
    lines = (
        json.dumps(
            {"question": p.question, "gold": list(p.gold), "agency": p.agency}
            | ({} if p.covered else {"covered": False})
        )
        for p in precedents
    )
    (model_dir / PRECEDENTS_FILE).write_text("".join(f"{x}\n" for x in lines), encoding="utf-8")


def read_precedents(model_dir: Path) -> list[Precedent] | None:
    """None when the model has no precedents file, or it cannot be read (logged)."""
    path = model_dir / PRECEDENTS_FILE
    if not path.exists():
        return None
    try:
        out = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                question, gold, agency = row["question"], row["gold"], row.get("agency")
                covered = row.get("covered", True)
                # A phrase is looked for in every clause: a stray string must not pass as
                # one; and a question left open points at no clause.
                if not (
                    isinstance(question, str)
                    and isinstance(gold, list)
                    and all(isinstance(g, str) for g in gold)
                    and (agency is None or isinstance(agency, str))
                    and isinstance(covered, bool)
                    and (covered or not gold)
                ):
                    raise ValueError(f"not a precedent: {line[:80]}")
                out.append(Precedent(question, tuple(gold), agency, covered=covered))
        return out
    except (OSError, ValueError, KeyError, TypeError) as e:
        # Answers still work without them, only less sharply: say so, do not stop.
        log.warning("Not using the precedents in %s (%s); run `policybot tune` again.", path, e)
        return None


def _key(fingerprint: str, precedents: list[Precedent]) -> str:
    digest = hashlib.sha256(fingerprint.encode())
    for p in precedents:
        digest.update(p.question.encode() + b"\0")
    return digest.hexdigest()


def load_precedent_bank(model_dir: Path, embedder: Embedder) -> PrecedentBank | None:
    precedents = read_precedents(model_dir)
    if not precedents:
        return None
    key = _key(embedder.fingerprint, precedents)
    cache = model_dir / VECTORS_FILE
    try:
        with np.load(cache) as saved:
            if str(saved["key"]) == key:
                return PrecedentBank(precedents, saved["vectors"])
    except (OSError, ValueError, KeyError):
        pass  # absent, from another model or other questions: embedded again below
    vectors = embedder.embed_documents([p.question for p in precedents])
    try:
        # Written aside and renamed: another replica starting now never reads half a file.
        with tempfile.NamedTemporaryFile(dir=model_dir, suffix=".tmp", delete=False) as f:
            np.savez(f, key=np.str_(key), vectors=vectors)
        os.replace(f.name, cache)
    except OSError as e:  # a read-only image: embedded again at each start
        log.info("Could not cache the precedents' vectors in %s: %s", cache, e)
    return PrecedentBank(precedents, vectors)
