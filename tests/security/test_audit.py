"""`make audit`'s verdict on pip-audit reports: fixable findings fail, the rest is shown."""

from __future__ import annotations

from typing import Any

from tools.audit import summarize


def _report(*deps: dict[str, Any]) -> dict[str, Any]:
    return {"dependencies": list(deps), "fixes": []}


def test_a_finding_with_a_fix_fails() -> None:
    code, lines = summarize(
        _report(
            {
                "name": "aiohttp",
                "version": "3.9.0",
                "vulns": [{"id": "GHSA-xxxx", "fix_versions": ["3.9.2"]}],
            },
            {"name": "rich", "version": "13.0.0", "vulns": []},
        )
    )
    assert code == 1
    assert any("FAIL  aiohttp 3.9.0: GHSA-xxxx fixed in 3.9.2" in line for line in lines)


def test_a_finding_without_a_fix_is_shown_but_passes() -> None:
    code, lines = summarize(
        _report(
            {"name": "ecdsa", "version": "0.19.0", "vulns": [{"id": "PYSEC-1", "fix_versions": []}]}
        )
    )
    assert code == 0
    assert any("note  ecdsa 0.19.0: PYSEC-1" in line for line in lines)


def test_packages_that_could_not_be_looked_up_are_never_silent() -> None:
    report = _report({"name": "torchvision", "skip_reason": "Dependency not found on PyPI"})
    code, lines = summarize(report)
    assert code == 0 and "NOTHING WAS AUDITED." in lines
    assert "0 of 1 locked packages checked" in lines[0]
    strict_code, _ = summarize(report, strict=True)
    assert strict_code == 1


def test_pins_at_the_newest_release_are_audited_from_the_project_page() -> None:
    from tools.audit import fill_from_project_pages

    pages = {
        "aiohttp": {
            "info": {"version": "3.9.0"},
            "vulnerabilities": [
                {"id": "GHSA-old", "fixed_in": ["3.9.2"], "withdrawn": None},
                {"id": "GHSA-gone", "fixed_in": ["3.9.1"], "withdrawn": "2024-01-01"},
            ],
        },
        "rich": {"info": {"version": "14.0.0"}, "vulnerabilities": []},  # newer than the pin
    }
    report = _report(
        {"name": "aiohttp", "version": "3.9.0", "skip_reason": "not found"},
        {"name": "rich", "version": "13.0.0", "skip_reason": "not found"},
        {"name": "unreachable", "version": "1.0", "skip_reason": "not found"},
    )
    code, lines = summarize(fill_from_project_pages(report, pages.get))
    assert code == 1  # the newest aiohttp has a fixable finding: CI fails
    assert any("FAIL  aiohttp 3.9.0: GHSA-old fixed in 3.9.2" in line for line in lines)
    assert not any("GHSA-gone" in line for line in lines)  # withdrawn advisories do not count
    assert "1 of 3 locked packages checked" in lines[0]
    assert any("2 packages could not be looked up" in line for line in lines)
