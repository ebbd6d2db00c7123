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
    code, lines = summarize(report, strict="--strict" in sys.argv[1:])
    print("\n".join(lines))
    return code


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
            "(PyPI's per-version JSON API did not answer for them): " + ", ".join(skipped[:10])
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
