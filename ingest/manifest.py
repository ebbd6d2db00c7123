"""The knowledge manifest: which agency each policy document belongs to.

A document on disk without an entry is an error that names the file, so a
policy can never be indexed under a guessed agency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.core.models import AgencyInfo

Governs = Literal["staff", "agency_accounts", "both"]
_ID = r"^[a-z0-9][a-z0-9-]{1,63}$"


class ManifestError(ValueError):
    """The manifest or the knowledge folder is inconsistent; the message says where."""


class AgencyEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=3)
    short_name: str = Field(min_length=2)
    # Names staff use for the agency ("DYS", "Connecticut"): a question that names
    # one is answered from that agency's policies.
    aliases: list[str] = Field(default_factory=list)
    # Aliases that are also ordinary words ("BEST", Connecticut's IT bureau; "LA"):
    # they name the agency only as written. The others match in any case, since
    # staff type "dys: can i…" and "ct dcf worker here" in chat.
    exact_case: list[str] = Field(default_factory=list)
    # Words for the government it belongs to ("state", "county"), as staff use them
    # for its property: "may I use my county laptop…" comes from a county agency.
    jurisdiction: list[str] = Field(default_factory=list)


class DocumentEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    file: str
    id: str = Field(pattern=_ID)
    agency: str
    title: str = Field(min_length=3)
    number: str | None = None
    effective: str | None = None
    governs: Governs

    @property
    def label(self) -> str:
        return f"{self.title} ({self.number})" if self.number else self.title


class ManifestModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    agencies: list[AgencyEntry]
    documents: list[DocumentEntry]

    @model_validator(mode="after")
    def _consistent(self) -> ManifestModel:
        agency_ids = [a.id for a in self.agencies]
        if len(set(agency_ids)) != len(agency_ids):
            raise ValueError("agency ids must be unique")
        doc_ids = [d.id for d in self.documents]
        if len(set(doc_ids)) != len(doc_ids):
            raise ValueError("document ids must be unique")
        files = [d.file for d in self.documents]
        if len(set(files)) != len(files):
            raise ValueError("each file may be listed once")
        for a in self.agencies:
            for alias in a.exact_case:
                if alias not in a.aliases and alias != a.short_name:
                    raise ValueError(
                        f"agency {a.id}: exact_case '{alias}' is not one of its aliases"
                    )
        for d in self.documents:
            if d.agency not in agency_ids:
                raise ValueError(f"document {d.file}: unknown agency '{d.agency}'")
        return self


@dataclass(frozen=True)
class DocumentMeta:
    """What a clause needs to know about its document."""

    policy_id: str
    agency_id: str
    agency: str
    policy: str
    governs: str
    path: Path


@dataclass(frozen=True)
class Manifest:
    root: Path
    model: ManifestModel

    def agencies(self) -> list[AgencyInfo]:
        return [
            AgencyInfo(
                id=a.id,
                name=a.name,
                short_name=a.short_name,
                aliases=list(a.aliases),
                exact_case=list(a.exact_case),
                jurisdiction=list(a.jurisdiction),
                policies=[d.label for d in self.model.documents if d.agency == a.id],
                numbers={
                    d.number: d.title for d in self.model.documents if d.agency == a.id and d.number
                },
            )
            for a in self.model.agencies
        ]

    def documents(self) -> list[DocumentMeta]:
        names = {a.id: a.short_name for a in self.model.agencies}
        return [
            DocumentMeta(
                policy_id=d.id,
                agency_id=d.agency,
                agency=names[d.agency],
                policy=d.label,
                governs=d.governs,
                path=(self.root / d.file).resolve(),
            )
            for d in self.model.documents
        ]

    def meta_for(self, path: Path) -> DocumentMeta:
        target = path.resolve()
        for meta in self.documents():
            if meta.path == target:
                return meta
        raise ManifestError(
            f"{path}: no entry in {self.root / 'manifest.yaml'}; add one with its agency, "
            "title, number, effective date and whom it governs"
        )


def load_manifest(knowledge_dir: Path) -> Manifest:
    path = knowledge_dir / "manifest.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise ManifestError(f"{path}: manifest not found") from err
    except yaml.YAMLError as err:
        raise ManifestError(f"{path}: not valid YAML ({err})") from err
    try:
        model = ManifestModel.model_validate(raw)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ManifestError(f"{path}: {where}: {first['msg']}") from err
    manifest = Manifest(root=knowledge_dir.resolve(), model=model)
    for meta in manifest.documents():
        if not meta.path.is_file():
            raise ManifestError(f"{path}: listed file {meta.path.name} does not exist")
    return manifest


def policy_files(knowledge_dir: Path, suffixes: frozenset[str]) -> list[Path]:
    """Every document on disk under knowledge/policies (hidden files skipped)."""
    folder = knowledge_dir / "policies"
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in suffixes and not re.match(r"^[.~]", p.name)
    )
