"""A large synthetic policy corpus: the real documents' clause structure,
reworded and re-attributed to many invented agencies, with a manifest.

The five real documents (and agencies) are kept, so the golden questions still
have their gold clauses; every synthetic document is a seeded rewording of one
real document under an invented agency's names.

    python -m bench.synth --docs 1000 --out bench/out/synth-knowledge
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from bench.stats import ROOT

KNOWLEDGE = ROOT / "knowledge"

PLACES = [
    "Adams",
    "Baker",
    "Clark",
    "Dawson",
    "Elgin",
    "Fulton",
    "Grant",
    "Harlan",
    "Iona",
    "Jasper",
    "Kent",
    "Logan",
    "Marion",
    "Nolan",
    "Orange",
    "Pierce",
    "Quincy",
    "Russell",
    "Sumner",
    "Tioga",
    "Union",
    "Vance",
    "Warren",
    "Yates",
    "Zavala",
    "Boone",
    "Carver",
    "Dodge",
    "Essex",
    "Fayette",
    "Greene",
    "Hardin",
    "Irwin",
    "Jewell",
    "Knox",
    "Lake",
    "Mason",
    "Noble",
    "Otero",
    "Perry",
]
KINDS = [
    ("Department of Children and Family Services", "DCFS"),
    ("Children Services Board", "CSB"),
    ("Department of Youth Services", "DYS"),
    ("Office of Child Welfare", "OCW"),
    ("Family and Children's Agency", "FCA"),
]
# Rewordings that keep a clause's meaning (and its verdict words) intact.
SWAPS = [
    ("employees", "staff members"),
    ("Employees", "Staff members"),
    ("social media", "social networking"),
    ("Social media", "Social networking"),
    ("personal", "private"),
    ("information", "details"),
    ("post", "publish"),
    ("posting", "publishing"),
    ("website", "web site"),
    ("photographs", "photos"),
    ("supervisor", "manager"),
    ("agency", "organization"),
    ("clients", "service recipients"),
    ("youth", "young people"),
]


def _real() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    data = yaml.safe_load((KNOWLEDGE / "manifest.yaml").read_text())
    return data["agencies"], data["documents"]


def _reword(text: str, names: list[str], agency: tuple[str, str], rng: random.Random) -> str:
    full, short = agency
    for name in sorted(names, key=len, reverse=True):
        repl = short if len(name) <= 6 else full
        text = re.sub(rf"\b{re.escape(name)}\b", repl, text)
    for old, new in SWAPS:
        if rng.random() < 0.5:
            text = re.sub(rf"\b{re.escape(old)}\b", new, text)
    # Number and date tokens differ per document, as real revisions do.
    return re.sub(r"\b(19|20)\d\d\b", lambda _: str(rng.randint(2005, 2024)), text)


def generate(out: Path, docs: int, seed: int = 7) -> Path:
    """Write ``out``/manifest.yaml and ``out``/policies/*; return ``out``."""
    rng = random.Random(seed)
    agencies, documents = _real()
    if out.exists():
        shutil.rmtree(out)
    (out / "policies").mkdir(parents=True)
    for d in documents:
        shutil.copy(KNOWLEDGE / d["file"], out / d["file"])
    by_agency = {a["id"]: a for a in agencies}
    new_agencies = list(agencies)
    new_docs = list(documents)
    n_synth = max(0, docs - len(documents))
    for i in range(n_synth):
        base = documents[i % len(documents)]
        a_no = i // len(documents)
        place = PLACES[a_no % len(PLACES)] + ("" if a_no < len(PLACES) else f" {a_no}")
        kind = KINDS[a_no % len(KINDS)]
        full = f"{place} County {kind[0]}"
        short = f"{place[:3].upper()}{kind[1]}"
        agency_id = re.sub(r"[^a-z0-9]+", "-", f"{place} {kind[1]}".lower()).strip("-")
        if i % len(documents) == 0:
            new_agencies.append(
                {
                    "id": agency_id,
                    "name": full,
                    "short_name": f"{place} {kind[1]}",
                    "aliases": [short],
                }
            )
        src = by_agency[base["agency"]]
        names = [src["name"], src["short_name"], *src.get("aliases", [])]
        raw = (KNOWLEDGE / base["file"]).read_text(encoding="utf-8")
        text = _reword(raw, names, (full, short), rng)
        doc_id = f"{agency_id}-{base['id']}"[:60].rstrip("-")
        rel = f"policies/{doc_id}.txt"
        (out / rel).write_text(text, encoding="utf-8")
        new_docs.append({**base, "file": rel, "id": doc_id, "agency": agency_id})
    manifest = {"agencies": new_agencies, "documents": new_docs}
    (out / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.synth")
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "synth-knowledge")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    out = generate(args.out, args.docs, args.seed)
    print(f"wrote {args.docs} documents and a manifest to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
