"""Numeric drills: a fresh seeded problem, the user's answer, then the worked solution."""

from __future__ import annotations

import random
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Markdown, Static

from quizapp.widgets.title_bar import TitleBar


class DrillScreen(Screen[None]):
    BINDINGS = [
        Binding("n", "next", "Next problem"),
        Binding("enter", "continue", "Next", show=False),
        Binding("s", "show", "Show solution"),
        Binding("ctrl+f", "figure", "Figure"),
        # The give-up key works while the answer box has focus (letters go into the box).
        Binding("ctrl+g", "give_up", "Give up", key_display="^g", priority=True),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, kind: str | None = None, seed: int | None = None) -> None:
        super().__init__()
        self.kind = kind
        self.first_seed = seed
        self.example: Any = None
        self.solved = 0
        self.tried = 0
        self.revealed = False
        self._rng = random.Random()

    def compose(self) -> ComposeResult:
        yield TitleBar()  # one widget, not Header's four (quizapp/widgets/title_bar.py)
        with Horizontal(id="drill-top"):
            yield Static(id="drill-label")
            yield Static(id="drill-score")
        with VerticalScroll(id="drill-card"):
            yield Markdown(id="drill-problem")
            yield Input(id="drill-answer")
            yield Static(id="drill-verdict")
            yield Markdown(id="drill-solution")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.new_problem(self.first_seed)
        self.refresh_bindings()

    def action_figure(self) -> None:
        """The figure of this problem's topic, drawn from the solvers with the problem's seed."""
        from quizapp.figures import EXAMPLE_FIGURES
        from quizapp.screens.figure import FigureScreen

        entry = EXAMPLE_FIGURES.get(self.example.kind) if self.example is not None else None
        if entry is not None:
            kind, params = entry
            self.app.push_screen(FigureScreen(kind, self.example.seed, **params))

    def new_problem(self, seed: int | None = None) -> None:
        from solvers.examples import KINDS, generate

        kind = self.kind or self._rng.choice(list(KINDS))
        seed = seed if seed is not None else self._rng.randrange(100_000)
        self.example = generate(kind, seed)
        self.revealed = False
        meta = KINDS[kind]
        self.query_one("#drill-label", Static).update(f"[b]{meta.title}[/b] · seed {seed}")
        self.query_one("#drill-problem", Markdown).update(
            f"{self.example.problem}\n\n*Answer with {self.example.answer_format}; "
            f"relative tolerance {self.example.tolerance:g}. "
            f"Reproduce with `quizapp example {kind} --seed {seed}`.*"
        )
        answer = self.query_one("#drill-answer", Input)
        answer.value = ""
        answer.disabled = False
        answer.placeholder = "your answer (0.25, 1/4, 25%, [1, -0.5] …), enter to check"
        answer.focus()
        self.query_one("#drill-verdict", Static).update("")
        self.refresh_bindings()
        solution = self.query_one("#drill-solution", Markdown)
        solution.display = False
        self._score()

    def _score(self) -> None:
        self.query_one("#drill-score", Static).update(f"{self.solved}/{self.tried} right")

    @on(Input.Submitted, "#drill-answer")
    def check(self, event: Input.Submitted) -> None:
        from quizapp.answers import parse_answer, shape_mismatch

        event.stop()
        verdict = self.query_one("#drill-verdict", Static)
        if self.revealed:
            self.action_next()
            return
        if not event.value.strip():  # "I don't know": the worked solution, counted as tried
            self.action_give_up()
            return
        try:
            value = parse_answer(event.value)
        except ValueError as exc:
            verdict.update(f"[b]{exc}[/b]")
            return
        hint = shape_mismatch(value, self.example.answer)
        if hint:  # a slip in the form, not the maths: let the user answer again
            verdict.update(f"[b]{hint}[/b]")
            return
        right = bool(self.example.is_correct(value))
        self.tried += 1
        self.solved += int(right)
        verdict.update(
            ("[b $success]✔ right[/]" if right else "[b $error]✘ not quite[/]")
            + " — press [b]n[/b] (or enter) for the next one"
        )
        self.action_show()

    def action_show(self) -> None:
        from quizapp.cardtext import format_value

        self.revealed = True
        steps = "\n".join(f"{i}. {s.text}" for i, s in enumerate(self.example.steps, 1))
        solution = self.query_one("#drill-solution", Markdown)
        solution.update(
            f"---\n\n**Worked solution**\n\n{steps}\n\n"
            f"**Answer: {format_value(self.example.answer)}**"
        )
        solution.display = True
        self.query_one("#drill-answer", Input).disabled = True
        self.query_one("#drill-card", VerticalScroll).focus()  # arrows scroll the steps
        self._score()
        self.refresh_bindings()

    def action_give_up(self) -> None:
        """Show the worked solution for this problem; it counts as tried, not solved."""
        if self.revealed:
            return
        self.tried += 1
        self.query_one("#drill-verdict", Static).update(
            "Here is the worked solution — press [b]n[/b] (or enter) for the next one"
        )
        self.action_show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer shows what works now: letters only when the answer box is not focused."""
        typing = isinstance(self.focused, Input)
        if action == "show":
            return not typing and not self.revealed
        if action == "next":
            return not typing
        if action == "give_up":
            return not self.revealed
        if action == "figure":
            from quizapp.figures import EXAMPLE_FIGURES

            return self.example is not None and self.example.kind in EXAMPLE_FIGURES
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()

    def action_next(self) -> None:
        self.new_problem()

    def action_continue(self) -> None:
        if self.revealed:
            self.new_problem()
