"""`policybot tune FILE...`: teach the embedding model an agency's golden questions."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

from bot.settings import Settings
from bot.tuning import EPOCHS


def add_parser(sub: Any) -> None:
    tune = sub.add_parser(
        "tune",
        help="fine-tune the embedding model on golden question files, then re-index",
        description=(
            "Each JSONL line pairs a question with gold phrases of the clauses that answer "
            'it ({"question": ..., "gold": [...], "agency": optional}), as in `policybot '
            "eval`. The tuned model is written to the data directory and used from then on; "
            "the policies are re-embedded with it. --reset goes back to the packaged model."
        ),
    )
    tune.add_argument("files", nargs="*", type=Path)
    tune.add_argument("--epochs", type=int, default=EPOCHS)
    tune.add_argument(
        "--seed",
        type=int,
        default=0,
        help="the training run's shuffle and initialisation (default 0): the same files "
        "and seed give the same model; two seeds differ by a few questions per file",
    )
    tune.add_argument("--reset", action="store_true", help="drop the tuned model and re-index")


def cmd_tune(settings: Settings, args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import Progress

    from bot.app import tune
    from bot.cli.main import CliError, _read_jsonl
    from bot.precedent_files import precedents_from

    console = Console(stderr=True)
    if args.reset:
        if args.files:
            raise CliError("tune --reset takes no files")
        shutil.rmtree(settings.tuned_model_dir, ignore_errors=True)
        console.print("Back to the packaged model; re-indexing the policies with it.")
        return _reindex(settings)
    if not args.files:
        raise CliError("tune needs one or more golden JSONL files, e.g. policybot tune q.jsonl")
    if not 1 <= args.epochs <= 20:
        raise CliError("--epochs must be between 1 and 20")
    # torch takes seeds up to 2**64; 2**32 keeps them easy to write down.
    if not 0 <= args.seed < 2**32:
        raise CliError("--seed must be a whole number from 0 to 4294967295")
    items: list[tuple[str, dict[str, Any]]] = []
    bad: list[str] = []
    for path in args.files:
        # Read before the model loads: a mistyped path or a broken line fails at once.
        for n, obj, error in _read_jsonl(path):
            if obj is None:
                bad.append(f"{path.name} {error}")
            else:
                items.append((f"{path.name} line {n}", obj))
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("preparing", total=None)

        def progress(stage: str, n: int, total: int) -> None:
            bar.update(task, total=total, completed=n, description=stage)

        found, seconds = tune(settings, items, args.epochs, progress, seed=args.seed)
    for line in bad + found.skipped:
        console.print(f"[yellow]Not used:[/yellow] {line}")
    kept = len(precedents_from(items))
    console.print(
        f"Tuned on {len(found.pairs)} questions ({found.out_of_scope} of them out of scope) "
        f"in {seconds:.0f} s, {args.epochs} epochs, seed {args.seed}; model in "
        f"{settings.tuned_model_dir}, with {kept} question{'s' * (kept != 1)} kept as "
        "precedents. Re-indexing the policies with it."
    )
    code = _reindex(settings)
    print(
        "Measure it on questions it was not tuned on: policybot eval --questions FILE",
        file=sys.stderr,
    )
    return code


def _reindex(settings: Settings) -> int:
    """Policies and saved PIO guidance, both embedded again with the model now in use."""
    from bot.app import build_runtime
    from bot.cli.main import ingest_with_progress

    rt = build_runtime(settings)
    code = ingest_with_progress(rt, [])
    guidance = rt.services.guidance
    if guidance is not None:
        print(f"Re-embedded {guidance.reembed()} saved PIO guidance answers.", file=sys.stderr)
    return code
