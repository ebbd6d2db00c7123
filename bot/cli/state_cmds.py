"""`policybot report`, `policybot forget USER`, `policybot guidance list|retire ID`."""

from __future__ import annotations

import argparse
import json
import logging
from datetime import UTC, date, datetime

from bot.core.insights import render_text
from bot.services import build_guidance_vectors, build_services
from bot.settings import Settings
from bot.state.forget import ForgetError
from bot.state.guidance import SqlGuidanceRecords

log = logging.getLogger(__name__)


class StateCommandError(ValueError):
    pass


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rep = sub.add_parser("report", help="insights for the PIO: questions, gaps, escalations")
    rep.add_argument("--since", help="YYYY-MM-DD (default: everything kept)")
    rep.add_argument("--agency", help="one agency id only")
    rep.add_argument("--json", action="store_true")

    fg = sub.add_parser("forget", help="remove everything kept about one user")
    fg.add_argument("user", help="platform:id, e.g. slack:U0123ABCD or teams:<AAD object id>")

    gd = sub.add_parser("guidance", help="list or retire saved PIO guidance")
    gsub = gd.add_subparsers(dest="guidance_command", required=True)
    gl = gsub.add_parser("list", help="saved guidance (active only unless --all)")
    gl.add_argument("--all", action="store_true", help="include retired guidance")
    gl.add_argument("--json", action="store_true")
    gr = gsub.add_parser("retire", help="stop showing one piece of guidance")
    gr.add_argument("id")
    gr.add_argument("--by", default="policybot CLI", help="who retired it (shown in the record)")


def _since(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError as err:
        raise StateCommandError(f"--since must be a date like 2026-11-01 (got {raw!r}).") from err
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def cmd_report(settings: Settings, args: argparse.Namespace) -> int:
    services = build_services(settings)
    try:
        report = services.report(_since(args.since), args.agency or None)
    finally:
        services.close()
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(render_text(report))
    return 0


def cmd_forget(settings: Settings, args: argparse.Namespace) -> int:
    services = build_services(settings)
    try:
        gone = services.forget(args.user)
    except ForgetError as err:
        raise StateCommandError(str(err)) from err
    finally:
        services.close()
    print(
        f"Removed {gone.total} records for {args.user}: {gone.questions} questions, "
        f"{gone.feedback} feedback votes, {gone.escalations} escalations, "
        f"{gone.onboarding} onboarding rows."
    )
    return 0


def cmd_guidance(settings: Settings, args: argparse.Namespace) -> int:
    services = build_services(settings)
    records = SqlGuidanceRecords(services.db)
    try:
        if args.guidance_command == "list":
            items = records.all(include_retired=args.all)
            if args.json:
                print(json.dumps([_json(r) for r in items], ensure_ascii=False, indent=2))
            elif not items:
                print("No saved guidance.")
            for r in items if not args.json else []:
                state = (
                    f"retired {r.retired_at:%Y-%m-%d} by {r.retired_by}"
                    if r.retired_at
                    else ("active")
                )
                print(
                    f"{r.id}  [{r.agency_id or 'all agencies'}]  {r.author}, "
                    f"{r.created_at:%Y-%m-%d}  ({state})"
                )
                print(f"    Q: {r.question}")
                print(f"    A: {r.text}")
            return 0
        record = records.retire(args.id, args.by, datetime.now(UTC))
        if record is None:
            current = records.get(args.id)
            if current is None:
                raise StateCommandError(f"No guidance with id {args.id!r}.")
            raise StateCommandError(f"Guidance {args.id} was already retired.")
        try:
            build_guidance_vectors(settings).delete(args.id)
        except Exception as err:
            # The retired row alone keeps it from being shown; the vector is just dead weight.
            log.warning("could not delete the guidance vector %s: %s", args.id, err)
        print(f"Retired guidance {args.id}; it will not be shown again.")
        return 0
    finally:
        services.close()


def _json(r: object) -> dict[str, object]:
    from dataclasses import asdict

    out = asdict(r)  # type: ignore[call-overload]
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in out.items()}
