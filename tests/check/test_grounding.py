"""Findings quote the right clauses of the real, ingested policies (real model)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from bot.core.check import RuleDraftChecker
from bot.core.check.scoring import grounded, norm, score_check
from bot.core.models import CheckVerdict, Severity

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "drafts.jsonl"


def _items() -> list[dict[str, Any]]:
    return [json.loads(x) for x in GOLDEN.read_text(encoding="utf-8").splitlines() if x.strip()]


def test_golden_set_is_big_and_varied() -> None:
    items = _items()
    assert len(items) >= 60
    assert sum(not i["flag"] for i in items) >= 25
    agencies = {i.get("agency") for i in items if i["flag"]}
    assert {"la-dcfs", "lccs", "la-cio", "ct-dcf", "ma-dys", None} <= agencies


@pytest.fixture(scope="module")
def golden_rows(real_checker: RuleDraftChecker) -> list[dict[str, Any]]:
    return [real_checker.check(i["text"], i.get("agency")).to_json() for i in _items()]


def test_golden_set_meets_the_bars(golden_rows: list[dict[str, Any]]) -> None:
    report = score_check(_items(), golden_rows)
    assert report["flag_recall"] == 1.0, report["misses"]
    assert report["grounded_recall"] >= 0.9, report["misses"]
    assert report["false_alarm_rate"] == 0.0, report["misses"]


def test_golden_recall_per_category(golden_rows: list[dict[str, Any]]) -> None:
    flagged: dict[str, list[bool]] = defaultdict(list)
    for item, row in zip(_items(), golden_rows, strict=True):
        if item["flag"]:
            ok = row["verdict"] != "ok" and grounded(item["gold"], row)
            flagged[item["category"]].append(ok)
    recall = {c: sum(v) / len(v) for c, v in sorted(flagged.items())}
    print("\nper-category grounded recall:", json.dumps(recall, indent=1))
    assert len(recall) >= 15
    assert all(r >= 0.5 for r in recall.values()), recall
    assert sum(recall.values()) / len(recall) >= 0.9


def test_golden_set_without_agency_still_grounded(real_checker: RuleDraftChecker) -> None:
    items = _items()
    rows = [real_checker.check(i["text"]).to_json() for i in items]
    report = score_check(items, rows)
    assert report["flag_recall"] == 1.0 and report["false_alarm_rate"] == 0.0, report["misses"]
    assert report["grounded_recall"] >= 0.9, report["misses"]


def test_disclaimer_suggestion_quotes_la_dcfs_text(real_checker: RuleDraftChecker) -> None:
    result = real_checker.check("Ten years at DCFS today, grateful for this work!", "la-dcfs")
    assert result.verdict is CheckVerdict.REVIEW
    (finding,) = result.findings
    assert finding.category == "disclaimer_missing" and finding.severity is Severity.REVIEW
    assert "The postings on this website are my own" in finding.suggestion
    assert all(c.clause.agency_id == "la-dcfs" for c in finding.citations)


def test_citations_are_stored_clause_text(real_checker: RuleDraftChecker, real_search: Any) -> None:
    result = real_checker.check(
        "Selfie in front of the Brockton DYS van, then friended my client's mom."
    )
    assert result.verdict is CheckVerdict.VIOLATION
    facility = next(f for f in result.findings if f.category == "agency_facility")
    assert any("buildings, facilities, or vehicles" in c.clause.text for c in facility.citations)
    contact = next(f for f in result.findings if f.category == "client_contact")
    assert any("friend" in norm(c.clause.text) for c in contact.citations)
    policies = Path(__file__).resolve().parents[2] / "knowledge" / "policies"
    corpus = norm(" ".join(p.read_text(encoding="utf-8") for p in policies.glob("*.txt")))
    for f in result.findings:
        for c in f.citations:
            assert norm(c.clause.text) in corpus  # a real clause, word for word
