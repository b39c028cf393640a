"""A timed, scored quiz: mixed question types, feedback after each, a review of mistakes."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, cast

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Markdown, ProgressBar, Static

from quizapp.cardtext import ANSWER_PLACEHOLDERS, OPTION_KEYS, choice_markdown
from quizapp.quiz import Answer, Question, QuizResult, check_answer
from quizapp.widgets.guarded import FAILED, guarded_write, guarded_write_then
from quizapp.widgets.title_bar import TitleBar
from quizapp.wording import plural

if TYPE_CHECKING:
    from quizapp.screens.host import AppHost


class QuizScreen(Screen[None]):
    UNDO_TITLE = "Undo the last answer"  # the command palette's entry (app.py)
    UNDO_HELP = "Same as ctrl+z: the question is asked again"
    BINDINGS = [
        Binding("enter", "submit", "Answer / next"),
        Binding("space", "show_key", "Show key points", show=False),
        Binding("y", "self_grade(True)", "I knew it", show=False),
        Binding("n", "self_grade(False)", "I didn't", show=False),
        Binding("o", "override", "Count it as right"),
        # ctrl+z (Anki's key) works even while the answer box has focus: the question comes back
        Binding("ctrl+z", "undo", "Undo", key_display="^z", priority=True),
        Binding("escape", "finish", "End quiz"),
        Binding("enter", "close", "Home"),  # on the results: the footer says where keys go
        Binding("escape", "close", "Home", show=False),
        *[Binding(k, f"toggle_option({i})", show=False) for i, k in enumerate(OPTION_KEYS)],
    ]

    def __init__(
        self,
        deck_ids: list[str] | None = None,
        count: int = 20,
        types: tuple[str, ...] | None = None,
        time_limit_min: float | None = None,
        seed: int | None = None,
    ) -> None:
        super().__init__()
        self.deck_ids = deck_ids
        self.count = count
        self.types = types
        self.time_limit_s = time_limit_min * 60 if time_limit_min else None
        self.seed = seed
        self.questions: list[Question] = []
        self.index = 0
        self.phase = "question"  # question | feedback | done
        self.chosen: set[int] = set()
        self.result = QuizResult()
        self.started = time.monotonic()
        self.shown_at = self.started
        self.quiz_id = 0
        self.counts_as_review = False
        self.last_answer_id = 0  # the quiz_answer row of the question in feedback
        self.last_rated: Any = None  # its FSRS rating, when quizzes count as reviews
        # per answer in self.result.answers: (its quiz_answer row, its FSRS rating or None)
        self.undo_stack: list[tuple[int, Any]] = []

    @property
    def quiz_app(self) -> AppHost:
        return cast("AppHost", self.app)

    @property
    def subject(self) -> str:
        """What is being quizzed, for the header: "all decks" or the deck titles."""
        if not self.deck_ids:
            return "all decks"
        catalog = self.quiz_app.session.catalog
        return ", ".join(getattr(catalog.deck(d), "title", d) for d in self.deck_ids)

    @property
    def question(self) -> Question | None:
        return self.questions[self.index] if self.index < len(self.questions) else None

    def compose(self) -> ComposeResult:
        yield TitleBar()  # one widget, not Header's four (quizapp/widgets/title_bar.py)
        with Horizontal(id="quiz-top"):
            yield Static(id="quiz-label")
            yield ProgressBar(id="quiz-progress", show_eta=False, show_percentage=False)
            yield Static(id="quiz-score")
            yield Static(id="quiz-timer")
        with VerticalScroll(id="quiz-card"):
            yield Markdown(id="quiz-front")
            yield Input(id="quiz-answer")
            yield Static(id="quiz-verdict")
            yield Markdown(id="quiz-back")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        from quizapp.quiz import ALL_TYPES, build_quiz

        session = self.quiz_app.session
        self.questions = build_quiz(
            session.catalog,
            session.store,
            deck_ids=self.deck_ids,
            count=self.count,
            types=self.types or ALL_TYPES,
            seed=self.seed,
        )
        self.result.planned = len(self.questions)
        self.counts_as_review = bool(session.store.get_setting("quiz.counts_as_review", False))
        if not self.questions:
            self.query_one("#quiz-front", Markdown).update(
                "# No questions\n\nNo cards match this deck and these question types. "
                "Press **escape** to go back."
            )
            self.query_one("#quiz-answer", Input).display = False
            self.phase = "done"
            return
        # If the database refuses now, the quiz still runs; the first answer retries the start.
        guarded_write_then(
            self,
            "start the quiz",
            self._start_quiz,
            self._quiz_started,
            keep="Answer as usual: saving is retried.",
        )
        self.query_one("#quiz-progress", ProgressBar).update(total=len(self.questions))
        self.started = self.shown_at = time.monotonic()  # the clock starts with question 1
        self.set_interval(1.0, self._tick)
        self._tick()
        self.show_question()

    # ----------------------------------------------------------------- timer
    def _tick(self) -> None:
        elapsed = time.monotonic() - self.started
        timer = self.query_one("#quiz-timer", Static)
        if self.phase == "done":
            return
        if self.time_limit_s:
            left = max(0.0, self.time_limit_s - elapsed)
            timer.update(f"⏱ {int(left) // 60}:{int(left) % 60:02d} left")
            timer.set_class(left < 60, "urgent")
            if left <= 0:
                self.result.timed_out = True
                self.notify("Time is up.", severity="warning")
                self.finish()
        else:
            timer.update(f"⏱ {int(elapsed) // 60}:{int(elapsed) % 60:02d}")

    # ----------------------------------------------------------------- flow
    def show_question(self) -> None:
        q = self.question
        if q is None:
            self.finish()
            return
        self.phase = "question"
        self.chosen = set()
        from textual.content import Content

        self.query_one("#quiz-label", Static).update(
            Content(f"Quiz · {self.subject} · {self.index + 1}/{len(self.questions)}")
        )
        self.query_one("#quiz-score", Static).update(f"✔ {self.result.correct}")
        self._render_front()
        answer = self.query_one("#quiz-answer", Input)
        needs_input = q.type in ("typed", "numeric", "cloze")
        answer.display = needs_input
        answer.disabled = not needs_input
        answer.value = ""
        if needs_input:
            answer.placeholder = ANSWER_PLACEHOLDERS[q.type]
            answer.focus()
        else:
            self.set_focus(None)
        self.query_one("#quiz-verdict", Static).update(
            "Think of your answer, then press [b]space[/b] to see the key points."
            if q.type == "basic"
            else ""
        )
        back = self.query_one("#quiz-back", Markdown)
        back.display = False
        self.query_one("#quiz-card", VerticalScroll).scroll_home(animate=False)
        self.shown_at = time.monotonic()
        self.refresh_bindings()

    def _render_front(self) -> None:
        q = self.question
        assert q is not None
        if q.type == "multiple_choice":
            n_right = len(q.correct_positions)
            text = choice_markdown(q.card.prompt, q.options, self.chosen, n_right)
        else:
            text = q.face.front
        self.query_one("#quiz-front", Markdown).update(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        q = self.question
        if action == "toggle_option":
            return (
                self.phase == "question"
                and q is not None
                and q.type == "multiple_choice"
                and isinstance(parameters[0], int)
                and parameters[0] < len(q.options)
            )
        if action == "show_key":
            return self.phase == "question" and q is not None and q.type == "basic"
        if action == "self_grade":
            return self.phase == "selfgrade"
        if action == "override":
            return self._can_override()
        if action == "close":
            return self.phase == "done"
        if action in ("submit", "finish"):
            return self.phase != "done"
        if action == "undo":
            return self.phase != "done" and bool(self.undo_stack)
        return True

    def action_toggle_option(self, pos: int) -> None:
        q = self.question
        if q is None or q.type != "multiple_choice" or self.phase != "question":
            return
        if len(q.correct_positions) > 1:
            self.chosen ^= {pos}
        else:
            self.chosen = {pos}
        self._render_front()

    def action_submit(self) -> None:
        q = self.question
        if self.phase == "done":
            self.dismiss(None)
            return
        if self.phase in ("feedback",):
            self.index += 1
            self.query_one("#quiz-progress", ProgressBar).update(progress=self.index)
            self.show_question()
            return
        if q is None or self.phase != "question":
            return
        if q.type == "multiple_choice":
            if not self.chosen:
                self.notify("Pick an option first (press its letter).")
                return
            check = check_answer(q, set(self.chosen))
            given = ", ".join(OPTION_KEYS[p] for p in sorted(self.chosen))
            self._answered(check.correct, check.message, given)
        elif q.type in ("typed", "numeric", "cloze"):
            self._check_text(self.query_one("#quiz-answer", Input).value)
        elif q.type == "basic":
            self.action_show_key()
        elif q.type == "code":
            self._open_code(q)

    @on(Input.Submitted, "#quiz-answer")
    def _on_answer(self, event: Input.Submitted) -> None:
        event.stop()
        if self.phase == "question":
            self._check_text(event.value)

    def _check_text(self, value: str) -> None:
        q = self.question
        assert q is not None
        verdict = self.query_one("#quiz-verdict", Static)
        if not value.strip():  # a skip: counted wrong, and the answer is shown
            self._answered(False, "no answer", None)
            return
        try:
            check = check_answer(q, value)
        except ValueError as exc:
            verdict.update(f"[b]{escape(str(exc))}[/b]")
            return
        self._answered(check.correct, check.message, value, check.feedback())

    def action_show_key(self) -> None:
        q = self.question
        if q is None or q.type != "basic" or self.phase != "question":
            return
        self.phase = "selfgrade"
        self._show_back()
        self.query_one("#quiz-verdict", Static).update(
            "Compare with the key points below: press [b]y[/b] if your answer had them, "
            "[b]n[/b] if not."
        )
        self.refresh_bindings()

    def action_self_grade(self, knew: bool) -> None:
        if self.phase != "selfgrade":
            return
        self._answered(knew, "you said you knew it" if knew else "you said you missed it", None)

    def _open_code(self, q: Question) -> None:
        try:
            from quizapp.screens.code import CodePracticeScreen
        except ImportError:
            self.notify("The code editor is not available in this build.", severity="error")
            return

        def done(result: bool | None) -> None:
            if result is None:
                self.notify("No attempt: counted as wrong.")
                self._answered(False, "not attempted", None)
            else:
                self._answered(bool(result), "tests passed" if result else "tests failed", None)

        self.app.push_screen(CodePracticeScreen(q.card.task, feeds_review=False), done)

    def _quiz_started(self, quiz_id: int) -> None:
        if not self.quiz_id:  # an answer may have started it while this waited
            self.quiz_id = quiz_id

    def _start_quiz(self) -> int:
        return self.quiz_app.session.store.start_quiz(
            self.deck_ids,
            len(self.questions),
            int(self.time_limit_s) if self.time_limit_s else None,
        )

    def _answered(self, correct: bool, message: str, given: str | None, feedback: str = "") -> None:
        q = self.question
        assert q is not None
        seconds = time.monotonic() - self.shown_at
        session = self.quiz_app.session

        def save() -> tuple[int, int]:
            quiz_id = self.quiz_id or self._start_quiz()
            answer_id = session.store.record_quiz_answer(
                quiz_id, q.card_id, q.deck_id, q.type, correct, given, int(seconds * 1000)
            )
            return quiz_id, answer_id

        guarded_write_then(
            self,
            "save this answer",
            save,
            lambda ids: self._saved_answer(ids, q, correct, message, given, seconds, feedback),
            keep="Your answer is kept: submit it again to retry.",
        )

    def _saved_answer(
        self,
        ids: tuple[int, int],
        q: Question,
        correct: bool,
        message: str,
        given: str | None,
        seconds: float,
        feedback: str = "",
    ) -> None:
        if q is not self.question or self.phase not in ("question", "selfgrade"):
            return  # the quiz ended (time) while the answer waited for the database
        self.quiz_id, self.last_answer_id = ids
        self.result.answers.append(Answer(q, correct, given, seconds))
        self.last_rated = None
        if self.counts_as_review:
            rated = guarded_write(
                self,
                "count this answer as a review",
                lambda: self._count_as_review(q, correct, seconds),
                keep="The quiz answer itself is saved.",
            )
            self.last_rated = None if rated is FAILED else rated
        self.undo_stack.append((self.last_answer_id, self.last_rated))
        self.phase = "feedback"
        from textual.content import Content

        text = verdict(correct, message)
        extra = [x for x in feedback.splitlines() if x]  # per-gap ✔/✘ lines, plain text
        if self._can_override():
            extra.append("Right after all? Press o to count it as right.")
        if extra:
            text = text + Content("\n" + "\n".join(extra))
        self.query_one("#quiz-verdict", Static).update(text)
        self.query_one("#quiz-score", Static).update(f"✔ {self.result.correct}")
        self.query_one("#quiz-answer", Input).disabled = True
        self.set_focus(None)
        self._show_back()
        self.refresh_bindings()

    def _count_as_review(
        self, q: Question, correct: bool, seconds: float, answer_check: str | None = None
    ) -> Any:
        """The opt-in setting: a quiz answer is also an FSRS rating (Good or Again)."""
        from quizapp.scheduling import utcnow

        session = self.quiz_app.session
        row = session.store.card(q.card_id)
        if row is None:
            return None
        now = utcnow()
        outcome = session.preview(row, now)[3 if correct else 1]
        if answer_check is None and q.type in ("typed", "cloze", "numeric"):
            answer_check = "right" if correct else "wrong"
        return session.rate(
            row, outcome, now, int(seconds * 1000), origin="quiz", answer_check=answer_check
        )

    def _can_override(self) -> bool:
        """After a typed answer was judged wrong (multiple choice and code are exact)."""
        if self.phase != "feedback" or not self.result.answers:
            return False
        last = self.result.answers[-1]
        return (
            not last.correct
            and bool(last.given)
            and last.question.type in ("typed", "cloze", "numeric")
        )

    def action_override(self) -> None:
        """The answer no rule foresaw: count it as right (recorded as overridden)."""
        if not self._can_override():
            return
        last = self.result.answers[-1]
        session = self.quiz_app.session
        session.store.override_quiz_answer(self.last_answer_id)
        last.correct = True
        if self.last_rated is not None:  # replace the Again rating with Good
            session.undo(self.last_rated)
            self.last_rated = self._count_as_review(last.question, True, last.seconds, "overridden")
            self.undo_stack[-1] = (self.last_answer_id, self.last_rated)
        self.query_one("#quiz-score", Static).update(f"✔ {self.result.correct}")
        self.query_one("#quiz-verdict", Static).update(
            "[b $success]✔ counted as right[/] (your override) — press [b]enter[/b] for the "
            "next question"
        )
        self.refresh_bindings()

    def action_undo(self) -> None:
        """Take back the last answer: its row is deleted (and its FSRS rating, when quizzes
        count as reviews), and its question is asked again, options in the same order."""
        if self.phase == "done" or not self.undo_stack:
            return
        answer_id, rated = self.undo_stack[-1]
        session = self.quiz_app.session

        def undo() -> None:
            # The rating first: a retry after a failure in between finds it gone, a no-op.
            if rated is not None:
                session.undo(rated)
            session.store.undo_quiz_answer(answer_id)

        if guarded_write(self, "undo this answer", undo, keep="Press ctrl+z to retry.") is FAILED:
            return
        self.undo_stack.pop()
        answer = self.result.answers.pop()
        self.index = self.questions.index(answer.question)
        self.last_answer_id, self.last_rated = self.undo_stack[-1] if self.undo_stack else (0, None)
        self.query_one("#quiz-progress", ProgressBar).update(progress=self.index)
        self.notify(f"Undid your answer to question {self.index + 1}: answer it again.")
        self.show_question()

    def _show_back(self) -> None:
        q = self.question
        assert q is not None
        if q.type == "multiple_choice":
            lines = []
            order = q.order
            for pos, i in enumerate(order):
                opt = q.card.options[i]
                mark = "✔" if opt.correct else "✘"
                why = f" — {opt.why}" if opt.why else ""
                lines.append(f"- {mark} **{OPTION_KEYS[pos]}**) {opt.text}{why}")
            back = "\n".join(lines)
        else:
            back = q.face.back
        md = self.query_one("#quiz-back", Markdown)
        md.update(f"---\n\n{back}\n\n**Why.** {q.face.explanation}\n\n*Source: {q.face.source}*")
        md.display = True

    # ----------------------------------------------------------------- the end
    def action_close(self) -> None:
        self.dismiss(None)

    def action_finish(self) -> None:
        """Escape asks first: a stray key must not end a timed quiz."""
        if self.phase == "done":
            self.dismiss(None)
            return
        from quizapp.widgets.confirm import ConfirmScreen

        left = len(self.questions) - len(self.result.answers)

        def answered(yes: bool | None) -> None:
            if yes:
                self.finish()

        self.app.push_screen(
            ConfirmScreen(
                f"End the quiz now? {left} of {len(self.questions)} questions are not "
                "answered yet and count as wrong.",
                yes="end and see results",
                no="keep going",
            ),
            answered,
        )

    def finish(self) -> None:
        if self.phase == "done":
            return
        self.phase = "done"
        self.result.seconds = time.monotonic() - self.started
        session = self.quiz_app.session
        if self.quiz_id:
            quiz_id = self.quiz_id
            guarded_write_then(
                self,
                "mark the quiz finished",
                lambda: session.store.finish_quiz(quiz_id),
                lambda _: None,
                keep="Every answer given is saved; only the end time is missing.",
            )
        self.query_one("#quiz-answer", Input).display = False
        self.query_one("#quiz-back", Markdown).display = False
        self.query_one("#quiz-verdict", Static).update("")
        self.query_one("#quiz-timer", Static).update("")
        from textual.content import Content

        self.query_one("#quiz-label", Static).update(Content(f"Quiz results · {self.subject}"))
        self.query_one("#quiz-front", Markdown).update(results_markdown(self.result, session))
        self.query_one("#quiz-card", VerticalScroll).scroll_home(animate=False)
        self.refresh_bindings()


def results_markdown(result: QuizResult, session: Any) -> str:
    titles = {d.id: d.title for d in session.catalog.decks}
    r = result
    minutes, secs = divmod(int(r.seconds), 60)
    lines = [
        "# Quiz results",
        "",
        f"**Score: {r.correct}/{r.planned}** ({r.score:.0%}) in {minutes}:{secs:02d}"
        + (" — time ran out" if r.timed_out else ""),
    ]
    unanswered = r.planned - len(r.answers)
    if unanswered:
        lines.append(f"\n{plural(unanswered, 'question')} not answered (counted as wrong).")
    topics = r.by_topic(titles)
    if topics:
        lines += ["", "| topic | right | asked |", "|---|---|---|"]
        lines += [f"| {t} | {right} | {n} |" for t, right, n in topics]
    mistakes = r.mistakes()
    if mistakes:
        lines += ["", "## Your mistakes", ""]
        for i, a in enumerate(mistakes, 1):
            q = a.question
            # The whole question (numeric problems included), not its first line; a rule
            # between mistakes instead of headings, which would cut a long prompt.
            prompt = q.card.prompt if q.type == "multiple_choice" else q.face.front
            lines.append(f"**{i}.** {prompt.strip()}")
            if a.given:
                lines.append(f"\nYou answered: {inline_code(a.given)}")
            if q.type == "multiple_choice":
                right = [q.card.options[i].text for i in sorted(q.face.correct)]
                lines.append(f"\n**Answer:** {'; '.join(right)}")
            else:
                # On its own lines: a numeric answer's worked steps stay a numbered list.
                lines.append(f"\n**Answer:**\n\n{q.face.back}")
            lines.append(f"\n**Why.** {q.face.explanation}\n")
            lines.append("---\n")
    elif r.answers:
        lines.append("\nNo mistakes. 🎯")
    lines.append("\nResults are saved. Press **enter** or **escape** to go home.")
    return "\n".join(lines)


def verdict(correct: bool, message: str) -> Any:
    """ "✔ right — watch the spelling: …", "✘ not attempted": one mark, never "right right"."""
    from textual.content import Content

    mark = "[b $success]✔ right[/]" if correct else "[b $error]✘ wrong[/]"
    detail = message
    for said in ("right", "not quite", "wrong"):
        if detail == said:
            detail = ""
        elif detail.startswith(said + " — "):
            detail = detail[len(said) + 3 :]
    if not correct and detail:
        mark = "[b $error]✘[/]"
    text = Content.from_markup(mark)
    if detail:
        sep = " — " if correct else " "
        text = text + Content(sep) + Content.from_markup(_bold(detail))
    return text + Content.from_markup("  — press [b]enter[/b] for the next question")


def _bold(markdown: str) -> str:
    """`**x**` in a checker's message → bold; everything else is escaped, never markup."""
    from textual.markup import escape

    parts = markdown.split("**")
    return "".join(f"[b]{escape(p)}[/b]" if i % 2 else escape(p) for i, p in enumerate(parts))


def inline_code(text: str) -> str:
    """User text as a Markdown code span that its own backticks cannot close."""
    import re

    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"
