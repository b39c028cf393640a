"""`quizapp figure KIND [--seed N] [--set K=V ...] [--svg FILE] [--json]` and `--list`.

The figures are computed by `quizapp.figures` from the solvers; this module parses, then
draws with plotext (terminal) or writes SVG. plotext (~0.1 s) and NumPy load inside the
handler only, so `quizapp --help` does not pay for them.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from quizapp.cli.env import Environment, ExitStatus
from quizapp.errors import UsageError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "figure",
        help="draw a figure computed by the solvers (lasso path, L1 ball, early stopping, ...)",
        description=(
            "Draw one figure in the terminal, or write it as SVG. Every number is computed "
            "by the reference solvers on a seeded problem."
        ),
    )
    parser.add_argument("kind", nargs="?", metavar="KIND", help="figure kind (see --list)")
    parser.add_argument("--seed", type=int, default=0, metavar="N", help="seed (default 0)")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a parameter of the figure, e.g. --set penalty=l2 or --set p=0.3 (repeatable)",
    )
    parser.add_argument("--svg", metavar="FILE", help="write the figure as SVG instead")
    parser.add_argument("--json", action="store_true", help="print the figure's data as JSON")
    parser.add_argument("--list", action="store_true", help="list the figure kinds and exit")
    parser.set_defaults(handler=run)


def parse_sets(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set wants KEY=VALUE, got {item!r}")
        out[key.strip()] = value.strip()
    return out


def run(args: argparse.Namespace, env: Environment) -> int:
    from quizapp import figures

    if args.list:
        width = max(len(k) for k in figures.KINDS)
        for k in figures.KINDS.values():
            params = ", ".join(f"{n}={d}" for n, (_, d) in k.params.items())
            print(
                f"{k.name:<{width}}  {k.description}" + (f" [{params}]" if params else ""),
                file=env.stdout,
            )
        return ExitStatus.OK
    if not args.kind:
        raise UsageError("give a KIND (e.g. `quizapp figure lasso_path`) or --list")
    fig = figures.build(args.kind, args.seed, **parse_sets(args.set))
    return emit(fig, env, svg=args.svg, as_json=args.json)


def emit(fig: Any, env: Environment, *, svg: str | None = None, as_json: bool = False) -> int:
    """Print, or write as SVG (atomically: a failed write leaves no half file)."""
    if as_json:
        print(json.dumps(fig.to_dict(), ensure_ascii=False), file=env.stdout)
        return ExitStatus.OK
    if svg:
        from quizapp.figure_svg import to_svg

        target = Path(svg).expanduser()
        if target.is_dir():
            raise UsageError(f"{target} is a directory; give a file name ending in .svg")
        try:
            fd, tmp = tempfile.mkstemp(
                dir=target.parent if str(target.parent) else ".", prefix=".figure-", suffix=".svg"
            )
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(to_svg(fig))
            os.replace(tmp, target)
        except OSError as exc:
            raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
        print(f"wrote {target}", file=env.stdout)
        return ExitStatus.OK
    import plotext  # ~0.1 s (python -X importtime)

    from quizapp.figure_plot import draw

    size = os.get_terminal_size(env.stdout.fileno()) if env.stdout_isatty else None
    width = min(size.columns, 120) if size else 80
    height = max(min(size.lines - 4, 30), 12) if size else 22
    draw(plotext, fig, width=width, height=height)
    text = str(plotext.build())
    # Colours only for a terminal; a pipe or file gets plain text.
    print(text if env.stdout_isatty else plotext.uncolorize(text), file=env.stdout)
    if fig.note:
        print(fig.note, file=env.stdout)
    return ExitStatus.OK
