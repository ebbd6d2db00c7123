"""`policybot`: ingest, ask, check, eval, serve, slack-socket, teams-package,
report, forget, guidance.

Exit codes: 0 on an answer (covered or not) or a check result; 2 on bad usage
or bad input, with one line on stderr; 1 when a needed part is unavailable.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.app import Runtime

EXIT_UNAVAILABLE = 1
EXIT_USAGE = 2


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="policybot",
        description="Quoted answers from your agency's social-media policy, and draft checks.",
    )
    sub = p.add_subparsers(dest="command", required=True)

    ing = sub.add_parser("ingest", help="index the policies in knowledge/ (or the given files)")
    ing.add_argument("paths", nargs="*", type=Path)

    ask = sub.add_parser("ask", help="answer a question with quoted clauses")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--agency", help="answer from this agency's policies only")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("--batch", type=Path, help='JSONL file of {"question": ...} lines')

    chk = sub.add_parser("check", help="check a draft post before it goes out")
    chk.add_argument("text", nargs="?", help="the draft (default: read stdin)")
    chk.add_argument("--file", type=Path, help="read the draft from a file")
    chk.add_argument("--agency")
    chk.add_argument("--json", action="store_true")
    chk.add_argument("--batch", type=Path, help='JSONL file of {"text": ...} lines')

    ev = sub.add_parser("eval", help="score a golden question / draft file")
    ev.add_argument("--questions", type=Path, help="JSONL golden questions")
    ev.add_argument("--drafts", type=Path, help="JSONL golden drafts")
    ev.add_argument("--verbose", action="store_true", help="list the misses")

    srv = sub.add_parser("serve", help="run the Slack/Teams web server")
    srv.add_argument("--host", default="127.0.0.1")
    srv.add_argument("--port", type=int, default=3000)

    sub.add_parser("slack-socket", help="run the Slack app over Socket Mode")

    onb = sub.add_parser("onboarding", help="new-hire onboarding tours")
    onb_sub = onb.add_subparsers(dest="onboarding_command", required=True)
    rep = onb_sub.add_parser("report", help="who completed the tour, with score and date")
    rep.add_argument("--agency", help="only this agency's tour")
    rep.add_argument("--csv", action="store_true", help="CSV for a spreadsheet")

    tp = sub.add_parser("teams-package", help="zip the Teams app manifest for upload")
    tp.add_argument("--out", type=Path, default=Path("policybot-teams.zip"))

    from bot.cli import tune_cmd
    from bot.cli.state_cmds import add_parsers

    tune_cmd.add_parser(sub)
    add_parsers(sub)
    return p


def _runtime(settings: Settings) -> Any:
    from bot.app import build_runtime

    return build_runtime(settings)


def _no_policies(settings: Settings) -> CliError:
    # An empty index would make every answer "the policies are silent": a wrong
    # answer, when the truth is that nothing was ingested here (or the data
    # directory is another one, e.g. when run from another folder).
    where = settings.chroma_url or settings.chroma_dir.resolve()
    return CliError(
        f"the policy index ({where}) holds no policies yet; run `policybot ingest` "
        "first, or set POLICYBOT_DATA_DIR to the data directory that has them",
        EXIT_UNAVAILABLE,
    )


def _answering_runtime(settings: Settings) -> Any:
    """The runtime, if its index was made by its model; else a message, never wrong answers."""
    from ingest.pipeline import outdated_documents

    if settings.chroma_url is None and not settings.chroma_dir.is_dir():
        raise _no_policies(settings)  # before opening it, which would leave data/ behind
    rt = _runtime(settings)
    if not rt.store.document_hashes():
        raise _no_policies(settings)
    outdated = outdated_documents(rt.store, rt.embedder)
    if outdated:
        raise CliError(
            f"the policy index ({', '.join(outdated)}) was built with another embedding model "
            "or PolicyBot version; run `policybot ingest` to rebuild it",
            EXIT_UNAVAILABLE,
        )
    return rt


def _read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    """(line number, object or None, error) for each non-empty line."""
    if not path.is_file():
        raise CliError(f"{path}: no such file")
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as err:
                yield n, None, f"line {n}: not a JSON object ({err.__class__.__name__})"
                continue
            if not isinstance(obj, dict):
                yield n, None, f"line {n}: not a JSON object"
                continue
            yield n, obj, ""


def _emit(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _batch(path: Path, key: str, run: Callable[[str, str | None], dict[str, Any]]) -> None:
    from bot.core.models import InputError

    for _, obj, error in _read_jsonl(path):
        if obj is None:
            _emit({"error": error})
            continue
        value = obj.get(key)
        if not isinstance(value, str):
            _emit({"error": f'missing "{key}" string'})
            continue
        try:
            _emit(run(value, obj.get("agency") if isinstance(obj.get("agency"), str) else None))
        except InputError as err:
            _emit({"error": str(err)})


def _cmd_ingest(settings: Settings, args: argparse.Namespace) -> int:
    for path in args.paths:
        # Checked before the model loads: a mistyped path fails at once.
        if not path.exists():
            raise CliError(f"{path}: no such file")
    return ingest_with_progress(_runtime(settings), args.paths)


def ingest_with_progress(rt: Runtime, paths: list[Path]) -> int:
    """Ingest with a progress bar (a line per document in logs) and a summary line."""
    from rich.console import Console
    from rich.progress import Progress

    from bot.app import ingest

    console = Console(stderr=True)
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("ingesting", total=None)

        def progress(name: str, n: int, total: int) -> None:
            bar.update(task, total=total, completed=n - 1, description=f"ingesting {name}")
            if not console.is_terminal:
                # Logs (Docker, CI) get one line per document instead of a bar.
                print(f"ingesting {n}/{total}: {name}", file=sys.stderr, flush=True)

        report = ingest(rt, paths or None, progress)
    console.print(
        f"Indexed {report.clauses_total} clauses from {len(rt.manifest.documents())} documents: "
        f"{len(report.added)} added, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.removed)} removed; "
        f"{report.clauses_embedded} clauses embedded."
    )
    for name, reason in report.failed:
        console.print(f"[red]Not ingested:[/red] {name}: {reason} (its previous version stays)")
    return 0 if report.ok else EXIT_UNAVAILABLE


def _cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    from rich.console import Console

    from bot.cli.render import render_answer

    if args.batch is None and not args.question:
        raise CliError('ask needs a QUESTION (or --batch FILE), e.g. policybot ask "May I ...?"')
    assistant = _answering_runtime(settings).assistant
    if args.batch is not None:
        _batch(args.batch, "question", lambda q, a: assistant.ask(q, a or args.agency).to_json())
        return 0
    answer = assistant.ask(args.question, args.agency)
    if args.json:
        _emit(answer.to_json())
    else:
        Console().print(render_answer(answer))
    return 0


def _read_draft(args: argparse.Namespace) -> str:
    if args.file is not None:
        path: Path = args.file
        if not path.is_file():
            raise CliError(f"{path}: no such file")
        try:
            data = path.read_bytes()
        except OSError as err:
            reason = err.strerror or type(err).__name__
            raise CliError(f"{path}: cannot read it ({reason})") from err
    elif args.text is not None:
        return str(args.text)
    else:
        if sys.stdin.isatty():
            print("Paste the draft, then Ctrl-D:", file=sys.stderr)
        data = sys.stdin.buffer.read()
    if b"\x00" in data:
        raise CliError("the draft looks binary (it has NUL bytes); paste the post's text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise CliError("the draft is not valid UTF-8 text") from err


def _cmd_check(settings: Settings, args: argparse.Namespace) -> int:
    from rich.console import Console

    from bot.cli.render import render_check

    # Read (and refuse) the draft before the model loads: bad input fails fast.
    draft = _read_draft(args) if args.batch is None else ""
    assistant = _answering_runtime(settings).assistant
    if args.batch is not None:
        _batch(args.batch, "text", lambda t, a: assistant.check(t, a or args.agency).to_json())
        return 0
    result = assistant.check(draft, args.agency)
    if args.json:
        _emit(result.to_json())
    else:
        Console().print(render_check(result))
    return 0


def _cmd_eval(settings: Settings, args: argparse.Namespace) -> int:
    from bot.evaluation import read_jsonl, score_drafts, score_questions

    golden = Path(__file__).resolve().parents[2] / "tests" / "golden"
    questions = args.questions or (golden / "questions.jsonl")
    drafts = args.drafts or (golden / "drafts.jsonl")
    assistant = _answering_runtime(settings).assistant
    # Named files only, when any are named; otherwise both project golden sets.
    jobs = [
        (path, scorer)
        for path, scorer, named in (
            (questions, score_questions, args.questions is not None),
            (drafts, score_drafts, args.drafts is not None),
        )
        if named or (args.questions is None and args.drafts is None)
    ]
    for path, scorer in jobs:
        if not path.is_file():
            print(f"{path}: no such file", file=sys.stderr)
            continue
        score = scorer(assistant, read_jsonl(path))
        if args.verbose:
            for miss in score.misses:
                print("  " + miss)
        print(json.dumps({"file": str(path), **score.to_json()}))
    return 0


def _log_model(settings: Settings) -> None:
    from bot.app import model_notice

    level, text = model_notice(settings)
    logging.getLogger("policybot").log(level, text)


def _cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    from bot.server import ServerConfigError, run_server

    # Refused before the port opens: a server on an outdated index would answer
    # every Slack and Teams user with wrongly ranked clauses until someone noticed.
    rt = _answering_runtime(settings)
    _log_model(settings)
    try:
        run_server(settings, rt.assistant, args.host, args.port, rt.services)
    except ServerConfigError as err:
        raise CliError(str(err), EXIT_UNAVAILABLE) from err
    return 0


def _cmd_slack_socket(settings: Settings, args: argparse.Namespace) -> int:
    if settings.slack_app_token is None or settings.slack_bot_token is None:
        raise CliError("slack-socket needs SLACK_APP_TOKEN (xapp-…) and SLACK_BOT_TOKEN", 1)
    from bot.slack.socket_mode import run_socket_mode

    rt = _answering_runtime(settings)
    _log_model(settings)
    run_socket_mode(settings, rt.assistant, rt.services)
    return 0


def _cmd_teams_package(settings: Settings, args: argparse.Namespace) -> int:
    from bot.teams.package import PackageError, build_package

    try:
        out = build_package(args.out, settings)
    except PackageError as err:
        raise CliError(str(err)) from err
    print(f"Wrote {out}: upload it in Teams (Apps > Manage your apps > Upload an app).")
    return 0


def _cmd_onboarding(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.render import onboarding_csv, render_onboarding_report
    from bot.core.onboarding.service import OnboardingUnavailable

    onboarding = _runtime(settings).assistant.onboarding
    if onboarding is None:
        raise CliError("onboarding is not set up in this deployment", EXIT_UNAVAILABLE)
    try:
        rows = onboarding.report(args.agency)
    except OnboardingUnavailable as err:
        raise CliError(str(err), EXIT_UNAVAILABLE) from err
    if args.csv:
        sys.stdout.write(onboarding_csv(rows))
    else:
        from rich.console import Console

        Console().print(render_onboarding_report(rows))
    return 0


def _tune(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.tune_cmd import cmd_tune

    return cmd_tune(settings, args)


_COMMANDS: dict[str, Callable[[Settings, argparse.Namespace], int]] = {
    "ingest": _cmd_ingest,
    "ask": _cmd_ask,
    "check": _cmd_check,
    "eval": _cmd_eval,
    "serve": _cmd_serve,
    "slack-socket": _cmd_slack_socket,
    "teams-package": _cmd_teams_package,
    "onboarding": _cmd_onboarding,
    "report": lambda s, a: _state("cmd_report", s, a),
    "forget": lambda s, a: _state("cmd_forget", s, a),
    "guidance": lambda s, a: _state("cmd_guidance", s, a),
    "tune": _tune,
}


def _state(name: str, settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli import state_cmds

    try:
        result: int = getattr(state_cmds, name)(settings, args)
    except state_cmds.StateCommandError as err:
        raise CliError(str(err)) from err
    return result


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    logging.basicConfig(
        level=os.environ.get("POLICYBOT_LOG_LEVEL", "WARNING").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "chromadb", "sentence_transformers", "transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    args = _parser().parse_args(argv)
    from pydantic import ValidationError

    from bot.core.models import IndexUnavailable, InputError
    from bot.core.onboarding.tour import TourError
    from bot.settings import SecretFileError
    from ingest.loaders import LoadError
    from ingest.manifest import ManifestError

    try:
        try:
            settings = Settings()
        except SecretFileError as err:
            raise CliError(f"configuration: {err}") from err
        except ValidationError as err:
            # Field names and reasons only: the input values could be secrets.
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in err.errors()
            )
            raise CliError(f"configuration: {problems}") from err
        return _COMMANDS[args.command](settings, args)
    except CliError as err:
        print(f"policybot: {err}", file=sys.stderr)
        return err.code
    except (InputError, ManifestError, LoadError, TourError) as err:
        print(f"policybot: {err}", file=sys.stderr)
        return EXIT_USAGE
    except IndexUnavailable as err:
        print(f"policybot: {IndexUnavailable.USER_MESSAGE} ({err})", file=sys.stderr)
        return EXIT_UNAVAILABLE
    except KeyboardInterrupt:
        return 130
    except Exception as err:
        # Never a traceback for the user; the type only, since a message could quote a draft.
        logging.getLogger(__name__).debug("unexpected error", exc_info=args.command != "check")
        print(
            f"policybot: something went wrong ({type(err).__name__}). "
            "Set POLICYBOT_LOG_LEVEL=DEBUG for details.",
            file=sys.stderr,
        )
        return EXIT_UNAVAILABLE


if __name__ == "__main__":
    sys.exit(main())
