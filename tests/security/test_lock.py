"""requirements.lock pins every dependency exactly, and every install path uses it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!-]+)$")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        match = PIN.match(line.strip())
        assert match, f"not an exact pin: {line!r}"
        pins[_norm(match.group(1))] = match.group(2)
    return pins


def test_every_declared_dependency_is_pinned_exactly() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["dev"]
    locked = _locked()
    for spec in declared:
        name = _norm(re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0])
        if name == "torch":
            continue  # installed first, pinned, by the Makefile and Dockerfile
        assert name in locked, f"{name} is declared but not in requirements.lock"
    assert "pip-audit" in locked


def test_installs_go_through_the_lock() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "install --quiet -r requirements.lock" in makefile
    assert "install --quiet --no-deps -e ." in makefile
    assert makefile.index("torch==2.13.0") < makefile.index("-r requirements.lock")
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install . -c requirements.lock" in dockerfile
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make audit" in ci
