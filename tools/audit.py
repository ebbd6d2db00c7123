"""`make audit`: pip-audit over requirements.lock, with PyPI as the only network.

Fails (exit 1) when a locked package has a known vulnerability with a fixed
version: bump the pin and regenerate the lock (`make lock`). Findings without a
fix are printed and do not fail. Packages the service could not look up are
printed too, so an audit that checked nothing never passes silently;
``--strict`` makes them fail as well (for a network where the PyPI JSON API answers).
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"


def main() -> int:
    cmd = [
        sys.executable,
        "-m",
        "pip_audit",
        "--requirement",
        str(LOCK),
        # The lock is complete and exact: no resolver run, no pip subprocess.
        "--no-deps",
        "--disable-pip",
        "--vulnerability-service",
        "pypi",
        "--format",
        "json",
        "--progress-spinner",
        "off",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        print(proc.stderr, file=sys.stderr)
        print(f"pip-audit did not produce a report (exit {proc.returncode})", file=sys.stderr)
        return 2
    report = fill_from_project_pages(report, _project_page)
    code, lines = summarize(report, strict="--strict" in sys.argv[1:])
    print("\n".join(lines))
    return code


def _project_page(name: str) -> dict[str, Any] | None:
    try:
        with urllib.request.urlopen(f"https://pypi.org/pypi/{name}/json", timeout=20) as resp:
            page: dict[str, Any] = json.load(resp)
            return page
    except (OSError, ValueError):
        return None


def fill_from_project_pages(
    report: dict[str, Any], fetch: Callable[[str], dict[str, Any] | None]
) -> dict[str, Any]:
    """Audit what pip-audit skipped through PyPI's per-project JSON, where it can.

    Some networks answer PyPI's per-project page (``/pypi/NAME/json``) but not the
    per-version one pip-audit asks for. The project page lists the known
    vulnerabilities of the newest release only, so a package pinned at its newest
    release is fully checked this way; an older pin stays "could not be looked up".
    """
    deps = report.get("dependencies", [])
    todo = [d for d in deps if d.get("skip_reason") and d.get("name")]
    with ThreadPoolExecutor(max_workers=8) as pool:
        pages = list(pool.map(lambda d: fetch(str(d["name"])), todo))
    for dep, page in zip(todo, pages, strict=True):
        pinned = dep.get("version") or _pinned(str(dep["name"]))
        if not page or not pinned or page.get("info", {}).get("version") != pinned:
            continue
        dep["version"] = pinned
        dep["vulns"] = [
            {"id": v.get("id"), "fix_versions": list(v.get("fixed_in") or [])}
            for v in page.get("vulnerabilities") or []
            if not v.get("withdrawn")
        ]
        del dep["skip_reason"]
    return report


def _pinned(name: str) -> str | None:
    want = name.lower().replace("_", "-")
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        pkg, sep, version = line.partition("==")
        if sep and pkg.strip().lower().replace("_", "-") == want:
            return version.strip()
    return None


def summarize(report: dict[str, Any], *, strict: bool = False) -> tuple[int, list[str]]:
    """Exit code and report lines for a pip-audit JSON report: 1 when a fix is available."""
    out: list[str] = []
    fixable: list[str] = []
    unfixed: list[str] = []
    skipped: list[str] = []
    deps = report.get("dependencies", [])
    for dep in deps:
        name, version = dep.get("name"), dep.get("version")
        if dep.get("skip_reason"):
            skipped.append(f"{name} {version or ''}".strip())
            continue
        for vuln in dep.get("vulns", []):
            fixes = vuln.get("fix_versions") or []
            fixed_in = ", ".join(fixes) or "nothing yet"
            line = f"{name} {version}: {vuln.get('id')} fixed in {fixed_in}"
            (fixable if fixes else unfixed).append(line)
    audited = len(deps) - len(skipped)
    out.append(f"pip-audit: {audited} of {len(deps)} locked packages checked against PyPI.")
    for line in fixable:
        out.append(f"  FAIL  {line}")
    for line in unfixed:
        out.append(f"  note  {line} (no fixed release; not failing)")
    if skipped:
        out.append(
            f"  WARNING: {len(skipped)} packages could not be looked up "
            "(PyPI answered neither per version nor, at the pinned version, per project): "
            + ", ".join(skipped[:10])
            + (" ..." if len(skipped) > 10 else "")
        )
    if skipped and strict:
        out.append("--strict: packages that could not be audited fail the audit.")
        return 1, out
    if fixable:
        out.append("Vulnerabilities with a fix available: bump the pins, then `make lock`.")
        return 1, out
    out.append("No vulnerability with an available fix." if audited else "NOTHING WAS AUDITED.")
    return 0, out


if __name__ == "__main__":
    sys.exit(main())
