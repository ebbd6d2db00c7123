"""Terminal rendering (pure: values in, rich renderables out)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import UTC, datetime

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bot.core.models import Answer, CheckResult, CheckVerdict, Verdict
from bot.core.onboarding.service import ReportRow

_VERDICT_STYLE = {
    Verdict.PROHIBITED: "bold red",
    Verdict.ALLOWED_WITH_CONDITIONS: "bold yellow",
    Verdict.REQUIRED: "bold cyan",
    Verdict.ALLOWED: "bold green",
    Verdict.ADVISED_AGAINST: "bold magenta",
    Verdict.INFORMATIONAL: "bold blue",
}
_CHECK_STYLE = {
    CheckVerdict.OK: "bold green",
    CheckVerdict.REVIEW: "bold yellow",
    CheckVerdict.VIOLATION: "bold red",
}
_CHECK_LABEL = {
    CheckVerdict.OK: "OK to post: no problems found against the policies",
    CheckVerdict.REVIEW: "Review before posting",
    CheckVerdict.VIOLATION: "Do not post: this breaks policy",
}


def render_answer(answer: Answer) -> RenderableType:
    parts: list[RenderableType] = [Text(f"Q: {answer.question}", style="bold")]
    if answer.notice:
        parts.append(Text(answer.notice, style="italic"))
    if not answer.covered:
        parts.append(Panel(Text(answer.answer), title="The policies are silent", style="yellow"))
        return Group(*parts)
    for v in answer.verdicts:
        line = Text()
        line.append(f"{v.agency}: ", style="bold")
        line.append(v.label, style=_VERDICT_STYLE[v.verdict])
        line.append(f" — {v.summary}")
        parts.append(line)
    for g in answer.guidance:
        parts.append(
            Panel(
                Text(g.text),
                title=f"PIO guidance (not policy text) — {g.author}, {g.created[:10]}",
                style="cyan",
            )
        )
    for n, c in enumerate(answer.citations, 1):
        cl = c.clause
        body = Text()
        if cl.context:
            body.append(f"{cl.context}\n", style="dim")
        body.append(f"“{cl.text}”")
        where = f"[{n}] {escape(cl.agency)} · {escape(cl.policy)}"
        if cl.section:
            where += f" · {escape(cl.section)}"
        parts.append(Panel(body, title=where, title_align="left"))
    return Group(*parts)


def render_check(result: CheckResult) -> RenderableType:
    parts: list[RenderableType] = [
        Text(_CHECK_LABEL[result.verdict], style=_CHECK_STYLE[result.verdict])
    ]
    if result.notice:
        parts.append(Text(result.notice, style="italic"))
    for f in result.findings:
        body = Text()
        body.append(f"“{f.evidence.text}”", style="bold")
        body.append(f" — {f.explanation}\n")
        body.append(f"Fix: {f.suggestion}\n", style="green")
        for c in f.citations[:2]:
            body.append(f"{c.clause.agency} · {c.clause.policy}: ", style="dim")
            body.append(f"“{c.clause.text}”\n")
        parts.append(Panel(body, title=f"{f.severity.value}: {f.category}", title_align="left"))
    return Group(*parts)


def _when(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d") if value else ""


def onboarding_csv(rows: Sequence[ReportRow]) -> str:
    """The onboarding report as CSV (one row per user and agency) for HR's spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["user", "platform", "agency", "status", "score", "questions", "completed", "step", "steps"]
    )
    for r in rows:
        writer.writerow(
            [
                _csv_safe(r.user_label),
                r.platform,
                r.agency_id,
                r.status,
                "" if r.score is None else r.score,
                r.questions,
                _when(r.completed_at),
                r.step,
                r.steps,
            ]
        )
    return out.getvalue()


def _csv_safe(value: str) -> str:
    # A display name starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def render_onboarding_report(rows: Sequence[ReportRow]) -> RenderableType:
    if not rows:
        return Text("Nobody has started an onboarding tour yet.")
    table = Table(title="Onboarding tours", show_lines=False)
    for column in ("User", "Platform", "Agency", "Status", "Score", "Completed", "Step"):
        table.add_column(column)
    for r in rows:
        score = f"{r.score}/{r.questions}" if r.score is not None else ""
        step = "" if r.status == "completed" else f"{min(r.step + 1, r.steps)} of {r.steps}"
        table.add_row(
            Text(r.user_label),
            r.platform,
            r.agency_id,
            r.status,
            score,
            _when(r.completed_at),
            step,
        )
    return table
