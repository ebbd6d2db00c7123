"""Verdicts come from each clause's own wording."""

from __future__ import annotations

from bot.core.models import Verdict
from bot.core.verdicts import read_clause, summarize
from tests.fakes.clauses import make_clause


def test_prohibitions_permissions_and_conditions() -> None:
    cases = [
        ("DCF staff may not discuss or comment on clients.", "", Verdict.PROHIBITED),
        (
            'DCF employees shall not "friend" clients without the written permission of a '
            "DCF manager.",
            "",
            Verdict.ALLOWED_WITH_CONDITIONS,
        ),
        ("Profanity;", "The following activities are prohibited:", Verdict.PROHIBITED),
        (
            "Accepting a 'friend' request from clients except as authorized by this policy;",
            "The following are activities are prohibited during work:",
            Verdict.ALLOWED_WITH_CONDITIONS,
        ),
        ("Employees must use strong passwords.", "", Verdict.REQUIRED),
        (
            "It is advised not to friend other professionals in the community.",
            "",
            Verdict.ADVISED_AGAINST,
        ),
        ("Employees may use their own personal account for supervision.", "", Verdict.ALLOWED),
        ("A video sharing website portal.", "", Verdict.INFORMATIONAL),
    ]
    for text, context, expected in cases:
        assert read_clause(make_clause(text, context=context)).verdict is expected, text


def test_summary_carries_the_condition() -> None:
    c = make_clause(
        'DCF employees shall not "friend" or otherwise contact DCF adult and child clients '
        "through personal social media accounts without the written permission of a DCF manager."
    )
    reading = read_clause(c)
    summary = summarize(c, reading)
    assert "without the written permission of a DCF manager" in summary
