"""`quizapp example KIND [--seed N] [--json]` and `quizapp example --list`: worked examples.

The generators live in `solvers.examples`; this module only parses, renders (rich) or emits
JSON. `solvers` (and so NumPy, ~0.1 s) is imported inside the handler, never at module top,
so `quizapp --help` stays fast.
"""

from __future__ import annotations

import argparse
import json
import random
from typing import TYPE_CHECKING, Any

from quizapp.cli.env import Environment, ExitStatus

if TYPE_CHECKING:
    from solvers.examples import WorkedExample

_SEED_RANGE = 10_000  # random seeds stay short enough to retype


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "example",
        help="a worked numeric example with a step-by-step solution",
        description=(
            "Generate a worked numeric example (the same seed always gives the same "
            "numbers). Without --seed a random seed is picked and shown."
        ),
    )
    parser.add_argument("kind", nargs="?", metavar="KIND", help="example kind (see --list)")
    parser.add_argument("--seed", type=int, metavar="N", help="seed (a non-negative integer)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--list", action="store_true", help="list the example kinds and exit")
    parser.add_argument(
        "--plot", action="store_true", help="also draw the figure of the example's problem"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, env: Environment) -> int:
    from solvers import examples

    if args.list:
        kinds = examples.list_kinds()
        if args.json:
            rows = [
                {"name": k.name, "title": k.title, "topic": k.topic, "description": k.description}
                for k in kinds
            ]
            print(json.dumps(rows, indent=2, ensure_ascii=False), file=env.stdout)
        else:
            width = max(len(k.name) for k in kinds)
            for k in kinds:
                print(f"{k.name:<{width}}  {k.description}", file=env.stdout)
        return ExitStatus.OK
    if not args.kind:
        print(
            "quizapp example: give a KIND (e.g. `quizapp example l1_penalty`) or --list",
            file=env.stderr,
        )
        return ExitStatus.USAGE
    if args.kind not in examples.KINDS:
        print(
            f"quizapp example: unknown example kind {args.kind!r}; see `quizapp example --list`",
            file=env.stderr,
        )
        return ExitStatus.USAGE
    if args.seed is not None and args.seed < 0:
        print(
            f"quizapp example: --seed must be a non-negative integer, got {args.seed}",
            file=env.stderr,
        )
        return ExitStatus.USAGE
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(_SEED_RANGE)
    example = examples.generate(args.kind, seed)
    if args.json:
        print(json.dumps(example.to_dict(), indent=2, ensure_ascii=False), file=env.stdout)
    else:
        _render(example, examples.KINDS[args.kind].title, env)
    if args.plot:
        from quizapp.cli.figure import emit
        from quizapp.figures import EXAMPLE_FIGURES, build

        entry = EXAMPLE_FIGURES.get(args.kind)
        if entry is None:
            print(f"(no figure for {args.kind}; see `quizapp figure --list`)", file=env.stderr)
        else:
            figure_kind, params = entry
            emit(build(figure_kind, seed, **params), env)
    return ExitStatus.OK


def _render(example: WorkedExample, title: str, env: Environment) -> None:
    """Problem, numbered steps, answer. Text objects, not markup: the maths has brackets."""
    from rich.table import Table
    from rich.text import Text

    console = env.console()
    console.print(Text.assemble((title, "bold"), (f"  ·  seed {example.seed}", "dim")))
    console.print(Text(example.problem))
    console.print()
    steps = Table.grid(padding=(0, 1))
    steps.add_column(justify="right", style="bold cyan", no_wrap=True)
    steps.add_column()
    for i, step in enumerate(example.steps, 1):
        steps.add_row(f"{i}.", Text(step.text))
    console.print(steps)
    answer = example.answer
    shown = (
        _number(answer)
        if isinstance(answer, float)
        else "[" + ", ".join(_number(v) for v in answer) + "]"
    )
    console.print()
    console.print(
        Text.assemble(
            ("Answer ", "bold"),
            (shown, "bold green"),
            (f"  ({example.answer_format}; relative tolerance {example.tolerance:g})", "dim"),
        )
    )
    console.print(
        Text(
            f"Same numbers again: quizapp example {example.kind} --seed {example.seed}", style="dim"
        )
    )


def _number(x: float) -> str:
    return f"{x:.6g}".replace("-", "−")
