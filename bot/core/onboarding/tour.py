"""Onboarding tours: the schema of knowledge/onboarding/<agency>.yaml and its loader.

A tour never holds policy text of its own: every rule and quiz item names its
clause by a verbatim quote, which is resolved against the ingested clauses
(``references``) so what the user reads is always the stored clause.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

MIN_RULES, MAX_RULES = 8, 12
MIN_QUESTIONS = 6
MAX_CHOICES = 4
_ID = r"^[a-z0-9][a-z0-9-]{0,63}$"


class TourError(ValueError):
    """A tour file is unreadable, malformed, or quotes text the policy no longer has.

    The message names the file and the item, fit for an administrator to fix it.
    """


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class RuleItem(_Strict):
    # Verbatim text from one clause of the agency's policy (a substring is enough).
    quote: str = Field(min_length=12, max_length=600)
    # One line in plain words: what the rule means for a new employee.
    plain: str = Field(min_length=8, max_length=300)


class QuizItem(_Strict):
    id: str = Field(pattern=_ID)
    question: str = Field(min_length=8, max_length=400)
    choices: list[str] = Field(min_length=2, max_length=MAX_CHOICES)
    answer: str
    quote: str = Field(min_length=12, max_length=600)
    # Why the answer is what it is, in plain words; shown with the quoted clause.
    explanation: str = Field(min_length=8, max_length=500)

    @field_validator("choices")
    @classmethod
    def _choices(cls, value: list[str]) -> list[str]:
        cleaned = [c.strip() for c in value]
        if any(not c or len(c) > 75 for c in cleaned):
            raise ValueError("each choice must be 1-75 characters (it is a button label)")
        if len({c.lower() for c in cleaned}) != len(cleaned):
            raise ValueError("choices must be different from each other")
        return cleaned

    @model_validator(mode="after")
    def _answer_is_a_choice(self) -> QuizItem:
        if self.answer not in self.choices:
            raise ValueError(f"answer {self.answer!r} is not one of the choices")
        return self

    @property
    def answer_index(self) -> int:
        return self.choices.index(self.answer)


class TourModel(_Strict):
    agency: str = Field(pattern=_ID)
    title: str = Field(min_length=3, max_length=150)
    intro: str = Field(default="", max_length=600)
    rules: list[RuleItem] = Field(min_length=MIN_RULES, max_length=MAX_RULES)
    quiz: list[QuizItem] = Field(min_length=MIN_QUESTIONS, max_length=20)

    @model_validator(mode="after")
    def _unique_ids(self) -> TourModel:
        seen: set[str] = set()
        for n, item in enumerate(self.quiz, 1):
            if item.id in seen:
                raise ValueError(f"quiz question {n}: id {item.id!r} is used twice")
            seen.add(item.id)
        return self


@dataclass(frozen=True)
class Tour:
    """One agency's tour: rules first, then the quiz. Steps count rules then questions."""

    path: Path
    # How messages name the file: knowledge/onboarding/<agency>.yaml
    name: str
    agency_id: str
    title: str
    intro: str
    rules: tuple[RuleItem, ...]
    quiz: tuple[QuizItem, ...]

    @property
    def total_steps(self) -> int:
        return len(self.rules) + len(self.quiz)

    def question(self, item_id: str) -> tuple[int, QuizItem] | None:
        """(step, item) for a quiz item id."""
        for n, item in enumerate(self.quiz):
            if item.id == item_id:
                return len(self.rules) + n, item
        return None

    def label(self, kind: str, n: int) -> str:
        """How messages name an item: 'rule 3', 'quiz question 2 (id)'."""
        if kind == "rule":
            return f"rule {n + 1}"
        return f"quiz question {n + 1} ({self.quiz[n].id})"


def _where(loc: tuple[Any, ...]) -> str:
    """A pydantic error location as the item a tour author would look for."""
    parts = list(loc)
    if len(parts) >= 2 and parts[0] in ("rules", "quiz") and isinstance(parts[1], int):
        kind = "rule" if parts[0] == "rules" else "quiz question"
        rest = ".".join(str(p) for p in parts[2:])
        return f"{kind} {parts[1] + 1}" + (f" ({rest})" if rest else "")
    return ".".join(str(p) for p in parts) or "file"


def display_name(path: Path) -> str:
    """knowledge/onboarding/ct-dcf.yaml: the path an administrator knows the file by."""
    return "/".join(p for p in (path.parent.parent.name, path.parent.name, path.name) if p)


def load_tour(path: Path, agency_ids: Iterable[str]) -> Tour:
    """Read and validate one tour file; raise TourError naming the file and the item."""
    name = display_name(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise TourError(f"{name}: cannot be read ({err.__class__.__name__})") from err
    except yaml.YAMLError as err:
        raise TourError(f"{name}: not valid YAML ({str(err).splitlines()[0]})") from err
    if not isinstance(raw, dict):
        raise TourError(f"{name}: expected a mapping with agency, title, rules and quiz")
    try:
        model = TourModel.model_validate(raw)
    except ValidationError as err:
        problems = [f"{_where(tuple(e['loc']))}: {e['msg']}" for e in err.errors()[:3]]
        raise TourError(f"{name}: " + "; ".join(problems)) from err
    known = set(agency_ids)
    if model.agency not in known:
        raise TourError(
            f"{name}: agency {model.agency!r} is not in the manifest "
            f"(known: {', '.join(sorted(known))})"
        )
    if path.stem != model.agency:
        raise TourError(
            f"{name}: the file for agency {model.agency!r} must be named {model.agency}.yaml"
        )
    return Tour(
        path, name, model.agency, model.title, model.intro, tuple(model.rules), tuple(model.quiz)
    )


def load_tours(directory: Path, agency_ids: Iterable[str]) -> dict[str, Tour]:
    """Every tour in ``directory`` (none when it does not exist), by agency id."""
    if not directory.is_dir():
        return {}
    ids = list(agency_ids)
    tours: dict[str, Tour] = {}
    for path in sorted(directory.iterdir()):
        if path.suffix.lower() not in (".yaml", ".yml") or path.name.startswith("."):
            continue
        tour = load_tour(path, ids)
        tours[tour.agency_id] = tour
    return tours
