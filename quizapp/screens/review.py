"""Review: one card at a time, answer, reveal, rate with FSRS; undo; a summary at the end."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Markdown, ProgressBar, Static

from quizapp.cardtext import ANSWER_PLACEHOLDERS, OPTION_KEYS, choice_markdown
from quizapp.scheduling import RATING_NAMES, Outcome, from_ms, utcnow
from quizapp.session import Rated
from quizapp.store import LEARNING, RELEARNING, CardRow
from quizapp.widgets.guarded import guarded_write_then
from quizapp.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from quizapp.cardtext import Face
    from quizapp.screens.host import AppHost


@dataclass
class Tally:
    ratings: dict[int, int] = field(default_factory=lambda: {1: 0, 2: 0, 3: 0, 4: 0})
    checked: int = 0
    checked_right: int = 0
    seconds: float = 0.0
    leeches: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.ratings.values())


class RatingLabel(Static):
    """One of the four rating buttons: name, key and the interval it would give."""

    def __init__(self, rating: int) -> None:
        super().__init__(id=f"rate-{rating}", classes="rating")
        self.rating = rating

    def show_outcome(self, outcome: Outcome | None, suggested: bool) -> None:
        name = RATING_NAMES[self.rating]
        interval = outcome.label if outcome else ""
        self.update(f"[b]{self.rating}[/b] {name}\n{interval}")
        self.set_class(suggested, "suggested")

    def on_click(self) -> None:
        cast("ReviewScreen", self.screen).action_rate(self.rating)


class ReviewScreen(Screen[None]):
    BINDINGS = [
        Binding("space", "reveal", "Answer", key_display="space"),
        Binding("enter", "submit", "Check", show=False),
        Binding("1", "rate(1)", "Rate", key_display="1-4"),
        Binding("2", "rate(2)", "Hard", show=False),
        Binding("3", "rate(3)", "Good", show=False),
        Binding("4", "rate(4)", "Easy", show=False),
        # ctrl+z (Anki's key) works even while the answer box has focus; `u` only outside it.
        Binding("ctrl+z", "undo", "Undo", key_display="^z", priority=True),
        Binding("u", "undo_key", "Undo", show=False),
        Binding("o", "override", "Count it as right"),
        # chain cards: each step judged on its own (quizapp/chains.py derives the rating)
        Binding("y", "chain_judge(True)", "Knew it"),
        Binding("n", "chain_judge(False)", "Didn't"),
        Binding("i", "info", "Info"),
        Binding("ctrl+f", "figure", "Figure"),
        Binding("exclamation_mark", "suspend", "Suspend", key_display="!"),
        Binding("minus", "bury", "Bury", key_display="-"),
        Binding("escape", "finish", "End"),
        Binding("escape", "close", "Home"),  # on the summary: the footer says where esc goes
        *[Binding(k, f"toggle_option({i})", show=False) for i, k in enumerate(OPTION_KEYS)],
        # Long cards scroll without Tab, even while the answer box has focus.
        Binding("pagedown", "scroll_card(1)", show=False),
        Binding("pageup", "scroll_card(-1)", show=False),
    ]

    def __init__(self, deck_ids: list[str] | None = None) -> None:
        super().__init__()
        self.deck_ids = deck_ids
        self.queue: list[CardRow] = []
        self.pending: list[CardRow] = []  # learning cards coming back later this session
        self.history: list[Rated] = []
        self.current: CardRow | None = None
        self.card: Any = None
        self.face: Face | None = None
        self.phase = "question"  # question | step (a chain's follow-ups) | answer | done
        self.chain_known: list[bool] = []  # judgements of a chain card's steps so far
        self.chain_shown = False  # the current chain step's answer is on screen
        self.outcomes: dict[int, Outcome] = {}
        self.suggested: int | None = None
        self.answer_check: str | None = None  # right | wrong | overridden, for the review log
        self.chosen: set[int] = set()
        self.shown_at = 0.0
        self.tally = Tally()
        self.started = time.monotonic()

    @property
    def quiz_app(self) -> AppHost:
        return cast("AppHost", self.app)

    # ----------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        yield TitleBar()  # one widget, not Header's four (quizapp/widgets/title_bar.py)
        with Horizontal(id="review-top"):
            yield Static(id="deck-label")
            yield ProgressBar(id="progress", show_eta=False)
            yield Static(id="remaining")
        with VerticalScroll(id="card"):
            yield Markdown(id="front")
            yield Input(id="answer")
            yield Static(id="verdict")
            yield Markdown(id="back")
        with Horizontal(id="ratings"):
            for r in (1, 2, 3, 4):
                yield RatingLabel(r)
        # No palette hint here: at 80 columns every study key must fit (help names ctrl+p).
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        session = self.quiz_app.session
        if self.deck_ids:
            unknown = [d for d in self.deck_ids if session.catalog.deck(d) is None]
            if unknown:
                self.notify(f"Unknown deck: {', '.join(unknown)}", severity="error")
        self.queue = session.queue(self.deck_ids).ordered()
        self.queue = [r for r in self.queue if r.card_id in session.catalog]
        self.next_card()

    # ----------------------------------------------------------------- flow
    def _remaining(self) -> int:
        return len(self.queue) + len(self.pending) + (1 if self.current else 0)

    def _update_progress(self) -> None:
        done = self.tally.total
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(done + self._remaining(), 1), progress=done)
        self.query_one("#remaining", Static).update(f"{self._remaining()} left")

    def next_card(self) -> None:
        now = utcnow()
        soon = now + timedelta(minutes=self.quiz_app.session.settings.learn_ahead_min)
        self.pending.sort(key=lambda r: r.due or 0)
        row: CardRow | None = None
        if self.pending and from_ms(self.pending[0].due or 0) <= now:
            row = self.pending.pop(0)
        elif self.queue:
            row = self.queue.pop(0)
        elif self.pending and from_ms(self.pending[0].due or 0) <= soon:
            row = self.pending.pop(0)
        if row is None:
            self.show_summary()
            return
        self.show(row)

    def show(self, row: CardRow) -> None:
        from quizapp.cardtext import face, numeric_seed

        self.current = row
        self.phase = "question"
        self.chain_known = []
        self.chain_shown = False
        self.suggested = None
        self.answer_check = None
        self.chosen = set()
        self.outcomes = {}
        catalog = self.quiz_app.session.catalog
        deck = catalog.deck(row.deck_id)
        self.query_one("#deck-label", Static).update(deck.title if deck else row.deck_id)
        try:
            self.card = catalog.card(row.card_id)
            order = None
            if self.card.type == "multiple_choice":  # shuffled per review; the same after undo
                from quizapp.cardtext import option_order

                order = option_order(len(self.card.options), row.card_id, row.reps)
            self.face = face(self.card, seed=numeric_seed(row.card_id, row.reps), order=order)
        except Exception as exc:  # a card we cannot render must not end the session
            self.notify(f"Skipped card {row.card_id}: {exc}", severity="error")
            self.current = None
            self.next_card()
            return
        self._render_front()
        answer = self.query_one("#answer", Input)
        needs_input = self.card.type in ("typed", "numeric", "cloze")
        answer.display = needs_input
        answer.value = ""
        answer.disabled = not needs_input
        if needs_input:
            answer.placeholder = ANSWER_PLACEHOLDERS[self.card.type]
            answer.focus()
        else:
            self._focus_card()
        self.query_one("#verdict", Static).update("")
        back = self.query_one("#back", Markdown)
        back.display = False
        self.query_one("#ratings").display = False
        self.query_one("#card", VerticalScroll).scroll_home(animate=False)
        self._update_progress()
        self.shown_at = time.monotonic()
        self._update_footer_hint()

    def _render_front(self) -> None:
        assert self.face is not None
        text = self.face.front
        if self.card.type == "multiple_choice":
            n_right = len(self.face.correct)
            text = choice_markdown(self.card.prompt, list(self.face.options), self.chosen, n_right)
        self.query_one("#front", Markdown).update(text)

    def _update_footer_hint(self) -> None:
        self.refresh_bindings()

    def _focus_card(self) -> None:
        """The card itself takes focus, so arrows and PageDown scroll a long answer."""
        self.query_one("#card", VerticalScroll).focus()

    def _typing(self) -> bool:
        """True while the answer box has focus: letter keys go into it, not to bindings."""
        return isinstance(self.focused, Input)

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()  # the footer follows the focused widget

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()

    def action_scroll_card(self, pages: int) -> None:
        card = self.query_one("#card", VerticalScroll)
        if pages > 0:
            card.scroll_page_down(animate=False)
        else:
            card.scroll_page_up(animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the keys that do something in the current phase."""
        if action == "reveal":
            return (self.phase == "question" and not self._typing()) or (
                self.phase == "step" and not self.chain_shown
            )
        if action == "rate":
            return self.phase == "answer"
        if action == "toggle_option":
            return (
                self.phase == "question"
                and self.card is not None
                and self.card.type == "multiple_choice"
                and isinstance(parameters[0], int)
                and self.face is not None
                and parameters[0] < len(self.face.options)
            )
        if action == "undo":
            return bool(self.history) and self.phase != "done"
        if action == "chain_judge":
            return self.phase == "step" and self.chain_shown
        if action == "undo_key":
            return bool(self.history) and self.phase != "done" and not self._typing()
        if action == "override":
            return self._can_override()
        if action in ("info", "suspend", "bury"):
            return self.current is not None and self.phase != "done" and not self._typing()
        if action == "finish":
            return self.phase != "done"
        if action == "close":
            return self.phase == "done"
        if action == "figure":
            spec = getattr(self.card, "figure", None)
            return (
                spec is not None
                and self.phase != "done"
                and (spec.show == "prompt" or self.phase == "answer")
            )
        return True

    # ----------------------------------------------------------------- actions
    def action_toggle_option(self, index: int) -> None:
        if self.card is None or self.card.type != "multiple_choice":
            return
        if self.card.multiple:
            self.chosen ^= {index}
        else:
            self.chosen = {index}
        self._render_front()

    def action_submit(self) -> None:
        if self.phase == "done":
            self.dismiss(None)
            return
        if self.phase == "answer":
            self.action_rate(self.suggested or 3)
            return
        if self.card is None:
            return
        if self.card.type == "multiple_choice":
            if not self.chosen:
                self.notify("Pick an option first (press its letter).")
                return
            from quizapp.checking import check_choice

            assert self.face is not None
            self._checked(check_choice(self.face, self.chosen).correct, None)
        elif self.card.type == "code":
            self._open_code_task()
        elif self.card.type in ("typed", "numeric", "cloze"):
            self._check_input(self.query_one("#answer", Input).value)
        else:
            self.action_reveal()

    @on(Input.Submitted, "#answer")
    def _on_answer(self, event: Input.Submitted) -> None:
        event.stop()
        if self.phase == "question":
            self._check_input(event.value)

    def _check_input(self, value: str) -> None:
        from quizapp.checking import check

        verdict = self.query_one("#verdict", Static)
        if not value.strip():  # "I don't know": show the answer, the user rates themselves
            verdict.update("No answer typed — here is the answer; rate yourself.")
            self.action_reveal()
            return
        try:
            result = check(self.card, self.face, value)
        except ValueError as exc:  # unreadable number or wrong shape: say so, let them retype
            verdict.update(f"[b]{escape(str(exc))}[/b]")
            return
        self._checked(result.correct, value, result.feedback())

    def _checked(self, right: bool, given: str | None, feedback: str = "") -> None:
        self.tally.checked += 1
        self.tally.checked_right += int(right)
        self.suggested = 3 if right else 1
        self.answer_check = "right" if right else "wrong"
        self.action_reveal()
        self._show_verdict(right, given, feedback)

    def _show_verdict(self, right: bool, given: str | None, feedback: str) -> None:
        mark = "[b $success]✔ right[/]" if right else "[b $error]✘ not quite[/]"
        # Static text, not Markdown: the answer in bold, never in raw backticks
        you = f" — you answered [b]{escape(given)}[/b]" if given else ""
        lines = [f"{mark}{you}", *(escape(x) for x in feedback.splitlines() if x)]
        if self._can_override():
            lines.append("Right after all? Press [b]o[/b] to count it as right.")
        self.query_one("#verdict", Static).update("\n".join(lines))

    def _can_override(self) -> bool:
        """After a typed answer was judged wrong (not multiple choice or code: those are exact)."""
        return (
            self.phase == "answer"
            and self.answer_check == "wrong"
            and self.card is not None
            and self.card.type in ("typed", "cloze", "numeric")
        )

    def action_override(self) -> None:
        """The answer no rule foresaw: count it as right (recorded as overridden)."""
        if not self._can_override():
            return
        self.answer_check = "overridden"
        self.tally.checked_right += 1
        self.suggested = 3
        self.query_one("#verdict", Static).update(
            "[b $success]✔ counted as right[/] (your override) — rate how well you knew it."
        )
        for label in self.query(RatingLabel):
            label.show_outcome(self.outcomes.get(label.rating), label.rating == self.suggested)
        self.refresh_bindings()

    def _open_code_task(self) -> None:
        try:
            from quizapp.screens.code import CodePracticeScreen
        except ImportError:
            self.notify("The code editor is not available; rate yourself.", severity="warning")
            self.action_reveal()
            return

        def done(result: bool | None) -> None:
            if result is None:
                self.action_reveal()
            else:
                self._checked(bool(result), None)

        self.app.push_screen(CodePracticeScreen(self.card.task, feeds_review=False), done)

    def action_reveal(self) -> None:
        if self.face is not None and self.face.steps and self.phase in ("question", "step"):
            self._chain_reveal()
            return
        if self.phase != "question" or self.current is None or self.face is None:
            return
        self.phase = "answer"
        answer = self.query_one("#answer", Input)
        answer.disabled = True
        self._focus_card()
        back = self.query_one("#back", Markdown)
        back.update(
            f"---\n\n{self.face.back}\n\n**Why.** {self.face.explanation}\n\n"
            f"*Source: {self.face.source}*"
        )
        back.display = True
        self.outcomes = self.quiz_app.session.preview(self.current, utcnow())
        for label in self.query(RatingLabel):
            label.show_outcome(self.outcomes.get(label.rating), label.rating == self.suggested)
        self.query_one("#ratings").display = True
        self.refresh_bindings()

    # ----------------------------------------------------------------- chains
    def _chain_render(self) -> None:
        """The steps so far: judged answers with ✔/✘, then the current step (its answer only
        once revealed), then what to press."""
        from quizapp.cardtext import chain_markdown

        assert self.face is not None
        steps = self.face.steps
        step = len(self.chain_known)
        parts = []
        shown = step + (1 if self.chain_shown else 0)
        if shown:
            parts.append(chain_markdown(steps, shown, self.chain_known))
        if not self.chain_shown and step > 0:
            parts.append(f"**Follow-up {step}: {steps[step][0]}**")
        if self.chain_shown:
            parts.append("*Did you know it?* **y** yes · **n** no")
        else:
            parts.append(f"*Answer aloud, then* **space** *(step {step + 1} of {len(steps)})*")
        back = self.query_one("#back", Markdown)
        back.update("---\n\n" + "\n\n---\n\n".join(parts))
        back.display = True
        self.refresh_bindings()

    def _chain_reveal(self) -> None:
        if self.phase == "step" and self.chain_shown:
            return  # judge this step first (y / n)
        self.phase = "step"
        self.chain_shown = True
        self._focus_card()
        self._chain_render()
        self.query_one("#card", VerticalScroll).scroll_end(animate=False)

    def action_chain_judge(self, known: bool) -> None:
        """One step judged; the next follow-up appears, or the card is rated from the steps."""
        from quizapp.chains import chain_rating

        if self.phase != "step" or not self.chain_shown or self.face is None:
            return
        self.chain_known.append(bool(known))
        self.chain_shown = False
        if len(self.chain_known) < len(self.face.steps):
            self._chain_render()
            self.query_one("#card", VerticalScroll).scroll_end(animate=False)
            return
        from quizapp.cardtext import chain_markdown

        right = sum(self.chain_known)
        self.suggested = chain_rating(self.chain_known)
        self.phase = "answer"
        back = self.query_one("#back", Markdown)
        back.update(
            f"---\n\n{chain_markdown(self.face.steps, len(self.face.steps), self.chain_known)}"
            f"\n\n**{right} of {len(self.face.steps)} steps known.** "
            f"**Why.** {self.face.explanation}\n\n*Source: {self.face.source}*"
        )
        assert self.current is not None
        self.outcomes = self.quiz_app.session.preview(self.current, utcnow())
        for label in self.query(RatingLabel):
            label.show_outcome(self.outcomes.get(label.rating), label.rating == self.suggested)
        self.query_one("#ratings").display = True
        self.refresh_bindings()

    def action_rate(self, rating: int) -> None:
        if self.phase != "answer" or self.current is None or rating not in self.outcomes:
            return
        outcome = self.outcomes[rating]
        elapsed = time.monotonic() - self.shown_at
        current = self.current
        answer_check = self.answer_check
        guarded_write_then(
            self,
            "save this rating",
            lambda: self.quiz_app.session.rate(
                current,
                outcome,
                utcnow(),
                duration_ms=int(elapsed * 1000),
                answer_check=answer_check,
            ),
            lambda rated: self._rated(rated, current, elapsed),
            keep="The card stays on screen: rate it again to retry.",
        )

    def _rated(self, rated: Rated, current: CardRow, elapsed: float) -> None:
        """The rating is saved: tally it and move on."""
        rating = rated.rating
        if rated.recomputed:
            self.notify(
                f"{current.card_id} had been rated in another window; this rating was "
                "scheduled from its current state.",
                severity="warning",
            )
        self.history.append(rated)
        self.tally.ratings[rating] += 1
        from quizapp.siblings import siblings_to_bury

        siblings = siblings_to_bury(self.quiz_app.session.catalog, current.card_id)
        if siblings:  # seeing one card of a note answers its siblings: not again today
            self._bury(siblings)
        self.tally.seconds += elapsed
        if rated.after.suspended and not rated.before.suspended:
            self.tally.leeches.append(current.card_id)
            self.notify(
                f"Leech: {current.card_id} was forgotten {rated.after.lapses} times and "
                "is suspended. Rewrite or split it.",
                severity="warning",
                timeout=8,
            )
        if rated.after.state in (LEARNING, RELEARNING) and not rated.after.suspended:
            self.pending.append(rated.after)
        if self.current is current:  # not when the session ended while the write waited
            self.current = None
            self.next_card()

    def action_undo_key(self) -> None:
        self.action_undo()

    def action_undo(self) -> None:
        if not self.history or self.phase == "done":
            if self.phase == "done" and self.history:
                self.notify("The session is over; its ratings are saved.")
            return
        rated = self.history[-1]
        guarded_write_then(
            self,
            "undo",
            lambda: self.quiz_app.session.undo(rated),
            lambda restored: self._undone(rated, restored),
            keep="Press u to retry.",
        )

    def _undone(self, rated: Rated, restored: CardRow | None) -> None:
        if not self.history or self.history[-1] is not rated:
            return
        self.history.pop()
        if restored is None:
            self.notify("Nothing to undo.")
            return
        self.pending = [r for r in self.pending if r.card_id != rated.after.card_id]
        self.tally.ratings[rated.rating] -= 1
        if self.current is not None:
            self.queue.insert(0, self.current)
        self.notify(f"Undid {RATING_NAMES[rated.rating]} on {restored.card_id}.")
        self.show(restored)

    def action_info(self) -> None:
        from quizapp.screens.card_info import CardInfoScreen

        if self.current is not None:
            self.app.push_screen(CardInfoScreen(self.current.card_id))

    def action_figure(self) -> None:
        """The card's figure, computed by the solvers (deck field `figure:`)."""
        spec = getattr(self.card, "figure", None)
        if spec is not None and self.check_action("figure", ()):
            from quizapp.screens.figure import FigureScreen

            self.app.push_screen(FigureScreen(spec.kind, spec.seed, **spec.params))

    def action_suspend(self) -> None:
        """Anki's `!`: this card is never shown again until unsuspended (in Browse)."""
        if self.current is None:
            return
        card_id = self.current.card_id
        store = self.quiz_app.session.store

        def suspended(_: None) -> None:
            self.notify(f"Suspended {card_id}. Unsuspend it in Browse (b on the home screen).")
            self._leave(card_id)

        guarded_write_then(
            self,
            f"suspend {card_id}",
            lambda: store.set_suspended(card_id, True),
            suspended,
            keep="The card stays on screen: press ! to retry.",
        )

    def action_bury(self) -> None:
        """Anki's `-`: hide this card until the next study day."""
        if self.current is None:
            return
        card_id = self.current.card_id

        def buried() -> None:
            self.notify(f"Buried {card_id} until tomorrow.")
            self._leave(card_id)

        self._bury([card_id], buried)

    def _leave(self, card_id: str) -> None:
        """The card on screen was suspended or buried: show the next one (unless the screen
        moved on while the write waited for the database)."""
        if self.current is not None and self.current.card_id == card_id:
            self.current = None
            self.next_card()

    def _bury(self, card_ids: list[str], then: Callable[[], None] | None = None) -> None:
        from quizapp.scheduling import day_bounds, to_ms

        session = self.quiz_app.session
        _, end = day_bounds(utcnow(), session.settings.rollover_hour)

        def done(_: None) -> None:
            gone = set(card_ids)
            self.queue = [r for r in self.queue if r.card_id not in gone]
            self.pending = [r for r in self.pending if r.card_id not in gone]
            if then is not None:
                then()

        guarded_write_then(
            self,
            f"bury {', '.join(card_ids)}",
            lambda: session.store.bury(card_ids, to_ms(end)),
            done,
            keep="Nothing was hidden; press - to retry.",
        )

    def action_close(self) -> None:
        self.dismiss(None)

    def action_finish(self) -> None:
        if self.phase == "done":
            self.dismiss(None)
            return
        self.show_summary(early=self.current is not None)

    # ----------------------------------------------------------------- summary
    def show_summary(self, early: bool = False) -> None:
        """The end: what was done, and what is left — counted exactly as home counts it."""
        from quizapp.wording import plural

        self.phase = "done"
        self.current = None
        t = self.tally
        self.query_one("#answer", Input).display = False
        self.query_one("#back", Markdown).display = False
        self.query_one("#ratings").display = False
        self.query_one("#verdict", Static).update("")
        self.query_one("#deck-label", Static).update("Session summary")
        left = self.still_due()
        minutes = (time.monotonic() - self.started) / 60
        lines = ["# Session summary", ""]
        if t.total == 0 and not early:
            lines.append("Nothing is due right now. New cards and reviews come back tomorrow.")
        elif t.total == 0:
            lines.append("You ended the session before rating a card.")
        else:
            took = "under a minute" if minutes < 1 else f"{round(minutes)} min"
            lines.append(f"You reviewed **{plural(t.total, 'card')}** in {took}.\n")
            lines.append("| Again | Hard | Good | Easy |")
            lines.append("|---|---|---|---|")
            lines.append(" | ".join(str(t.ratings[r]) for r in (1, 2, 3, 4)).join(["| ", " |"]))
            if t.checked:
                lines.append(f"\nChecked answers right: **{t.checked_right} of {t.checked}**.")
        if left:
            lines.append(
                f"\n**{plural(left, 'card')}** still to study today, as on the home screen "
                "(learning cards come back after their step)."
            )
        if t.leeches:
            lines.append(f"\nSuspended as leeches: {', '.join(t.leeches)}.")
        lines.append("\nEvery rating is saved. Press **enter** or **escape** to go home.")
        self.query_one("#front", Markdown).update("\n".join(lines))
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(t.total + left, 1), progress=t.total)
        self.query_one("#remaining", Static).update(f"{left} left")
        self._focus_card()
        self.refresh_bindings()

    def still_due(self) -> int:
        """New + learning + due today for this session's decks, from the home screen's counts."""
        counts = self.quiz_app.session.home_counts()
        if not self.deck_ids:
            return sum(counts.total.values())
        return sum(sum(counts.decks.get(d, {}).values()) for d in self.deck_ids)

    def remaining_rows(self) -> list[CardRow]:
        return list(self.queue) + list(self.pending)
