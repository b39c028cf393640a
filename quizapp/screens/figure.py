"""A figure computed by the solvers, drawn in the terminal (textual-plotext).

Left/right move the λ marker on the coefficient paths (and the stability on the forgetting
curve), `n` draws a new seed, `k` cycles through the figure kinds. The figure is rebuilt from
the solvers on every change: the screen never shows data it did not compute. textual-plotext
(~0.1 s by `python -X importtime`, nearly all of it plotext) is imported only when this
screen is first opened.
"""

from __future__ import annotations

import random
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from quizapp.errors import QuizappError
from quizapp.widgets.title_bar import TitleBar


class FigureScreen(Screen[None]):
    BINDINGS = [
        Binding("left", "nudge(-1)", "◀ λ / S", show=True),
        Binding("right", "nudge(1)", "λ / S ▶", show=True),
        Binding("n", "new_seed", "New seed"),
        Binding("k", "next_kind", "Next figure"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(
        self, kind: str = "lasso_path", seed: int = 0, *, figure: Any = None, **params: Any
    ) -> None:
        super().__init__()
        self.kind = figure.kind if figure is not None else kind
        self.seed = seed
        self.params = dict(params)
        self.figure: Any = figure
        self.fixed = figure is not None  # drawn from the user's data: nothing to move or reseed

    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot

        yield TitleBar()  # one widget, not Header's four (quizapp/widgets/title_bar.py)
        yield PlotextPlot(id="figure-plot")
        yield Static(id="figure-note")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        from textual_plotext import PlotextPlot

        from quizapp.figure_plot import draw
        from quizapp.figures import build

        note = self.query_one("#figure-note", Static)
        if not self.fixed:
            try:
                self.figure = build(self.kind, self.seed, **self.params)
            except QuizappError as exc:
                note.update(f"[b]Cannot draw {self.kind}:[/b] {exc}")
                return
        plot = self.query_one(PlotextPlot)
        draw(plot.plt, self.figure)
        plot.refresh()
        note.update(self.figure.note)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("nudge", "new_seed", "next_kind"):
            return not self.fixed
        return True

    def action_nudge(self, step: int) -> None:
        if self.kind.endswith("_path"):
            marker = float(self.params.get("marker", 0.5)) + 0.05 * step
            self.params["marker"] = round(min(max(marker, 0.0), 1.0), 2)
        elif self.kind == "forgetting_curve":
            s = float(self.params.get("stability", 10.0)) * (1.25 if step > 0 else 0.8)
            self.params["stability"] = round(min(max(s, 0.5), 3650.0), 2)
        else:
            return
        self.redraw()

    def action_new_seed(self) -> None:
        self.seed = random.Random().randrange(10_000)
        self.redraw()

    def action_next_kind(self) -> None:
        from quizapp.figures import KINDS

        names = list(KINDS)
        self.kind = (
            names[(names.index(self.kind) + 1) % len(names)] if self.kind in names else names[0]
        )
        self.params = {}
        self.redraw()
