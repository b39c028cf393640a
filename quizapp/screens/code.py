"""Coding practice: the task list and the editor screen that grades answers in a sandbox.

Grading runs in a thread worker (the UI never blocks); starting a new run cancels the previous
one, which kills its sandbox process. A warm sandbox child (Python + NumPy already imported) is
kept ready so a re-grade costs only the tests themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, ScrollableContainer, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Markdown, Static, TextArea

from quizapp.widgets.code_markdown import CodeMarkdown
from quizapp.widgets.guarded import (
    FAILED,
    database_waiting,
    guarded_write,
    guarded_write_then,
)
from quizapp.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from quizapp.grading.catalog import Task
    from quizapp.grading.sandbox import CancelToken, WarmPool
    from quizapp.grading.verdicts import Report
    from quizapp.store import Store

__all__ = ["CodePracticeScreen", "TaskListScreen"]

DRAFT_DEBOUNCE_S = 0.5
DRAFT_MAX_WAIT_S = 2.0
_MARKS = {"passed": "✔", "failing": "✘", "untried": "·"}


def _store(screen: Screen[Any]) -> Store:
    return cast("Store", screen.app.store)  # type: ignore[attr-defined]


def _styled(report_text: str) -> Any:
    """The text report with theme colours: passed lines, failed lines, the verdict line."""
    from textual.content import Content
    from textual.markup import escape

    lines = []
    for i, line in enumerate(report_text.splitlines()):
        text = escape(line)
        if i == 0:
            text = f"[b]{text}[/b]"
        elif line.startswith(" ✔"):
            text = f"[$text-success]{text}[/]"
        elif line.startswith(" ✘"):
            text = f"[$text-error]{text}[/]"
        elif line.lstrip().startswith("hint:"):
            text = f"[$text-warning]{text}[/]"
        lines.append(text)
    return Content.from_markup("\n".join(lines))


class TaskListScreen(Screen[None]):
    """Every coding task with the user's status; enter opens the editor."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="tasks.back"),
        Binding("enter", "open", "Open", id="tasks.open", show=True),
    ]
    _id_width = 4  # the longest task id, set on mount
    DEFAULT_CSS = """
    TaskListScreen #task-table { height: 1fr; }
    TaskListScreen #task-help { height: auto; padding: 0 1; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield TitleBar()  # one widget, not Header's four (quizapp/widgets/title_bar.py)
        yield DataTable(id="task-table", cursor_type="row", zebra_stripes=True)
        yield Static(
            "Write the function in the editor, ctrl+r runs the tests. Or from a shell: "
            "quizapp tasks show ID · quizapp grade ID FILE",
            id="task-help",
        )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        from quizapp.grading.catalog import all_tasks

        self._id_width = max((len(t.id) for t in all_tasks()), default=4)
        table = self.query_one(DataTable)
        table.add_column("", key="mark", width=1)
        table.add_column("task", key="task", width=self._id_width)
        table.add_column("title", key="title", width=self._title_width())
        table.add_column("attempts", key="attempts", width=8)
        self.refresh_rows()
        table.focus()

    def _title_width(self) -> int:
        """The title takes what the other columns leave (each has 1 cell of padding per side,
        plus the scrollbar), so the attempts column stays on screen at 80 columns."""
        return max(12, self.app.size.width - (3 + self._id_width + 2 + 10 + 2 + 2 + 1))

    def on_resize(self) -> None:
        from textual.widgets.data_table import ColumnKey

        column = self.query_one(DataTable).columns.get(ColumnKey("title"))
        if column is not None and column.width != self._title_width():
            column.width = self._title_width()
            self.refresh_rows()

    def refresh_rows(self) -> None:
        from quizapp.grading.catalog import all_tasks

        progress = _store(self).task_progress()
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for task in all_tasks():
            p = progress.get(task.id)
            status = p.status if p else "untried"
            table.add_row(
                _MARKS[status],
                task.id,
                Text(task.title, overflow="ellipsis", no_wrap=True),
                Text(str(p.attempts if p else 0), justify="right"),
                key=task.id,
            )
        if table.row_count:
            table.move_cursor(row=min(max(cursor, 0), table.row_count - 1))

    def status_of(self, task_id: str) -> str:
        p = _store(self).task_progress().get(task_id)
        return p.status if p else "untried"

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is not None:
            self.open_task(str(key))

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.open_task(str(event.row_key.value))

    def open_task(self, task_id: str) -> None:
        self.app.push_screen(CodePracticeScreen(task_id), lambda _: self.refresh_rows())


class CodePracticeScreen(Screen[bool | None]):
    """Statement, editor, tests. Dismisses with True (passed), False (failed) or None (no run)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "run", "Run", id="code.run", priority=True),
        Binding("ctrl+t", "hint", "Hint", id="code.hint", priority=True),
        Binding("ctrl+o", "solution", "Solution", id="code.solution", priority=True),
        Binding("ctrl+s", "save", "Save", id="code.save", show=False, priority=True),
        Binding("ctrl+l", "layout", "Layout", id="code.layout", priority=True),
        # tab indents in the editor, so the statement (and its code blocks) needs its own key:
        # f6 as in most IDEs (over TextArea's rarely used "select line")
        Binding(
            "f6",
            "other_pane",
            "Pane",
            id="code.pane",
            priority=True,
            tooltip="Move between the statement (its code blocks scroll with ← →) and the editor",
        ),
        # f2 is listed in help (the footer keeps room for f6 and ? at 80 columns)
        Binding("f2", "soft_wrap", "Wrap", id="code.wrap", show=False, priority=True),
        Binding("ctrl+g", "scratch", "Try", id="code.scratch", priority=True),
        Binding("escape", "back", "Back", id="code.back", priority=True),
    ]
    LAYOUTS = ("split", "editor", "statement")  # ctrl+l cycles: both, editor wide, reading
    DEFAULT_CSS = """
    CodePracticeScreen #code-left { width: 2fr; min-width: 30; }
    CodePracticeScreen #code-editor { width: 3fr; }
    CodePracticeScreen.-layout-editor #code-left { display: none; }
    CodePracticeScreen.-layout-statement #code-editor { display: none; }
    CodePracticeScreen #statement { height: auto; }
    CodePracticeScreen #statement MarkdownFence { scrollbar-size-horizontal: 1; }
    CodePracticeScreen #hints { height: auto; margin: 1 0 0 0; }
    CodePracticeScreen #solution { height: auto; display: none; }
    CodePracticeScreen #editor { height: 1fr; }
    CodePracticeScreen #scratch { display: none; }
    CodePracticeScreen #scratch.visible { display: block; }
    CodePracticeScreen #report-box { height: auto; max-height: 45%; overflow: auto auto; }
    CodePracticeScreen #results { height: auto; width: auto; min-width: 100%; min-height: 3;
        border: round $primary; padding: 0 1; text-wrap: nowrap; text-overflow: clip; }
    CodePracticeScreen #results.passed { border: round $success; }
    CodePracticeScreen #results.failed { border: round $error; }
    """

    class Graded(Message):
        """A run finished (posted from the grading thread)."""

        def __init__(self, report: Report, code: str) -> None:
            super().__init__()
            self.report = report
            self.code = code

    def __init__(self, task_id: str, *, feeds_review: bool = True) -> None:
        super().__init__()
        from quizapp.grading.catalog import get_task

        self.coding_task: Task = get_task(task_id)
        # from the task list: attempts feed review (quizapp.tasklinks); from a review or a
        # quiz the caller rates (or leaves the schedule alone)
        self.feeds_review = feeds_review
        self.hints_shown = 0
        self.attempted = False
        self.passed = False
        self.running = False
        self.last_report: Report | None = None
        self._token: CancelToken | None = None
        self._pool: WarmPool | None = None
        self._save_timer: Timer | None = None
        self._dirty = False
        self._max_wait_timer: Timer | None = None
        self._closed = False
        self._editor: TextArea | None = None

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield TitleBar()  # one widget, not Header's four (quizapp/widgets/title_bar.py)
        with Horizontal():
            with VerticalScroll(id="code-left"):
                # code blocks take focus (tab) and scroll with left / right when too wide
                yield CodeMarkdown(self.coding_task.statement, id="statement")
                yield Markdown("", id="hints")
                yield Markdown("", id="solution")
            # The report sits under the editor, where the eye is after ctrl+r; it never wraps
            # (expected/got columns and the syntax-error caret stay aligned) and scrolls instead.
            with Vertical(id="code-editor"):
                self._editor = self._make_editor()
                yield self._editor
                yield Input(
                    placeholder=f"a call, e.g. {self.coding_task.func_name}(...); enter runs",
                    id="scratch",
                    compact=True,
                    select_on_focus=False,  # the prefilled "func(" is to be continued
                )
                with ScrollableContainer(id="report-box"):
                    yield Static(
                        "ctrl+r runs the tests",
                        id="results",
                        markup=False,
                    )
        yield Footer(compact=True, show_command_palette=False)

    def _make_editor(self) -> TextArea:
        from quizapp.widgets.editor import CodeEditor

        text = _store(self).load_draft(self.coding_task.id)
        if text is None:
            text = self.coding_task.starter
        editor = CodeEditor.python(text, id="editor")  # plain editing without tree-sitter
        editor.cursor_blink = False
        return editor

    def action_layout(self) -> None:
        """ctrl+l: statement and editor side by side → editor full width → statement full."""
        current = next((m for m in self.LAYOUTS if self.has_class(f"-layout-{m}")), "split")
        mode = self.LAYOUTS[(self.LAYOUTS.index(current) + 1) % len(self.LAYOUTS)]
        for m in self.LAYOUTS:
            self.set_class(m == mode, f"-layout-{m}")
        if mode == "statement":
            self.query_one("#code-left", VerticalScroll).focus()
        elif self._editor is not None:
            self._editor.focus()
        self.notify(
            {
                "split": "Statement and editor",
                "editor": "Editor only",
                "statement": "Statement only",
            }[mode]
            + " (ctrl+l for the next layout)",
            timeout=2,
        )

    def action_other_pane(self) -> None:
        """f6: focus moves between the statement (tab then reaches its wide code blocks,
        which scroll with left / right) and the editor; a hidden pane is shown first."""
        left = self.query_one("#code-left", VerticalScroll)
        focused = self.focused
        in_left = focused is not None and (focused is left or left in focused.ancestors)
        hidden = "-layout-statement" if in_left else "-layout-editor"
        if self.has_class(hidden):
            for m in self.LAYOUTS:
                self.set_class(m == "split", f"-layout-{m}")
        if in_left and self._editor is not None:
            self._editor.focus()
        else:
            left.focus()

    def action_scratch(self) -> None:
        """ctrl+g: a box for one call on your own input; enter runs it in the sandbox."""
        box = self.query_one("#scratch", Input)
        box.add_class("visible")
        if not box.value:
            box.value = f"{self.coding_task.func_name}("
        box.focus()
        box.cursor_position = len(box.value)

    @on(Input.Submitted, "#scratch")
    def _scratch_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.save_draft()
        if self._token is not None:
            self._token.cancel()
        from quizapp.grading.sandbox import CancelToken

        self._token = CancelToken()
        results = self.query_one("#results", Static)
        results.remove_class("passed", "failed")
        results.update("Running your call in the sandbox…")
        self._scratch(self.code, event.value, self._token)

    class Scratched(Message):
        """A scratch run finished (posted from its thread)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    @work(thread=True, exclusive=True, group="grade", exit_on_error=False)
    def _scratch(self, code: str, call: str, token: CancelToken) -> None:
        from quizapp.grading.scratch import run_scratch

        result = run_scratch(code, call, pool=self._pool, cancel=token)
        if not token.cancelled:
            self.post_message(self.Scratched(result.text()))

    @on(Scratched)
    def _scratched(self, message: Scratched) -> None:
        self.query_one("#results", Static).update(message.text)
        self.query_one("#report-box", ScrollableContainer).scroll_home(animate=False)

    def action_soft_wrap(self) -> None:
        if self._editor is not None:
            self._editor.soft_wrap = not self._editor.soft_wrap
            self.notify(f"Soft wrap {'on' if self._editor.soft_wrap else 'off'} (f2)", timeout=2)

    def on_mount(self) -> None:
        self.sub_title = self.coding_task.title
        if self._editor is not None:
            self._editor.focus()
        self._warm_up()

    @work(thread=True, group="warmup", exit_on_error=False)
    def _warm_up(self) -> None:
        """Import NumPy here and start a sandbox child now, so the first run is fast too."""
        import numpy  # noqa: F401  (~100 ms, paid while the user reads the statement)

        from quizapp.grading.sandbox import WarmPool

        pool = WarmPool()
        pool.prestart()
        if self._closed:  # the screen went away while we were starting
            pool.close()
            return
        self._pool = pool

    # ------------------------------------------------------------------ drafts
    @property
    def code(self) -> str:
        return self._editor.text if self._editor is not None else ""

    @on(TextArea.Changed, "#editor")
    def _edited(self) -> None:
        self._dirty = True
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(DRAFT_DEBOUNCE_S, self._autosave)
        # Steady typing never pauses: a second timer, not reset by edits, saves at the latest
        # DRAFT_MAX_WAIT_S after the first unsaved edit, so a kill loses at most that much.
        if self._max_wait_timer is None:
            self._max_wait_timer = self.set_timer(DRAFT_MAX_WAIT_S, self._autosave)

    def _autosave(self) -> None:
        """The timers' save: a locked database makes it wait in a thread, not freeze typing."""
        for timer in (self._save_timer, self._max_wait_timer):
            if timer is not None:
                timer.stop()
        self._save_timer = self._max_wait_timer = None
        if not self._dirty or database_waiting(self.app):  # retried on the next edit
            return
        task_id, code = self.coding_task.id, self.code

        def saved(_: None) -> None:
            if self.code == code:  # nothing typed while it was saving
                self._dirty = False

        guarded_write_then(
            self,
            "save the draft",
            lambda: _store(self).save_draft(task_id, code),
            saved,
            keep="Your code is still in the editor; saving is retried on the next edit "
            "(ctrl+s to retry now).",
        )

    def save_draft(self) -> None:
        for timer in (self._save_timer, self._max_wait_timer):
            if timer is not None:
                timer.stop()
        self._save_timer = self._max_wait_timer = None
        if self._dirty:
            task_id, code = self.coding_task.id, self.code
            saved = guarded_write(
                self,
                "save the draft",
                lambda: _store(self).save_draft(task_id, code),
                keep="Your code is still in the editor; saving is retried on the next edit "
                "(ctrl+s to retry now).",
            )
            if saved is not FAILED:
                self._dirty = False

    def action_save(self) -> None:
        self._dirty = True
        self.save_draft()
        if not self._dirty:
            self.notify("Draft saved.")

    # ------------------------------------------------------------------ running
    def action_run(self) -> None:
        self.save_draft()
        if self._token is not None:
            self._token.cancel()  # kills the previous run's sandbox at once
        from quizapp.grading.sandbox import CancelToken

        self._token = CancelToken()
        self.running = True
        results = self.query_one("#results", Static)
        results.remove_class("passed", "failed")
        results.update("Running the tests…")
        self._grade(self.code, self._token)

    @work(thread=True, exclusive=True, group="grade", exit_on_error=False)
    def _grade(self, code: str, token: CancelToken) -> None:
        from quizapp.grading.grader import GradingCancelled, grade

        try:
            report = grade(self.coding_task.id, code, pool=self._pool, cancel=token)
        except GradingCancelled:
            return
        except Exception as exc:  # e.g. no process could be started: say so, never hang
            if not token.cancelled:
                message = f"Grading could not run: {type(exc).__name__}: {exc}"
                self.app.call_from_thread(self._grading_failed, message)
            return
        if not token.cancelled:
            self.post_message(self.Graded(report, code))

    def _grading_failed(self, message: str) -> None:
        self.running = False
        self.query_one("#results", Static).update(message)

    @on(Graded)
    def _graded(self, message: Graded) -> None:
        import json

        from quizapp.grading.verdicts import render_text

        report = message.report
        self.running = False
        self.attempted = True
        self.passed = self.passed or report.passed
        self.last_report = report
        guarded_write(
            self,
            "save this attempt",
            lambda: _store(self).record_attempt(
                self.coding_task.id,
                message.code,
                str(report.verdict),
                report.passed,
                report.duration_s,
                json.dumps(report.to_json(), ensure_ascii=False),
            ),
            keep="The result is shown below; run the tests again (ctrl+r) to record it.",
        )
        session = getattr(self.app, "session", None)
        if self.feeds_review and session is not None:
            from quizapp.scheduling import utcnow
            from quizapp.tasklinks import after_attempt

            fed = after_attempt(session, self.coding_task.id, report.passed, utcnow())
            for line in fed.messages():
                self.notify(line)
        results = self.query_one("#results", Static)
        results.set_class(report.passed, "passed")
        results.set_class(not report.passed, "failed")
        results.update(_styled(render_text(report)))
        self.query_one("#report-box", ScrollableContainer).scroll_home(animate=False)
        if report.passed:
            self.notify("All tests passed. ctrl+o shows the reference solution.")

    # ------------------------------------------------------------------ help
    def action_hint(self) -> None:
        hints = self.coding_task.hints
        if self.hints_shown >= len(hints):
            self.notify("No more hints for this task.", severity="warning")
            return
        self.hints_shown += 1
        text = "\n".join(
            f"**Hint {i + 1}.** {h}\n" for i, h in enumerate(hints[: self.hints_shown])
        )
        self.query_one("#hints", Markdown).update(text)

    def action_solution(self) -> None:
        if not self.attempted:
            self.notify(
                "Run your code once (ctrl+r) to unlock the reference solution.",
                severity="warning",
            )
            return
        # Over the editor, where the eye is, not below a statement scrolled out of view.
        self.app.push_screen(ReferenceScreen(self.coding_task.title, self.coding_task.solution))

    # ------------------------------------------------------------------ leaving
    def action_back(self) -> None:
        box = self.query_one("#scratch", Input)
        if box.has_focus:  # escape leaves the scratch box first, not the task
            box.remove_class("visible")
            if self._editor is not None:
                self._editor.focus()
            return
        self.dismiss(self.outcome)

    @property
    def outcome(self) -> bool | None:
        if not self.attempted:
            return None
        return self.passed

    def on_unmount(self) -> None:
        self._closed = True
        self.save_draft()
        if self._token is not None:
            self._token.cancel()
        if self._pool is not None:
            self._pool.close()


class ReferenceScreen(ModalScreen[None]):
    """ctrl+o: the reference solution in front of the editor; escape (or ctrl+o) closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,ctrl+o,q", "dismiss", "Close"),
    ]
    DEFAULT_CSS = """
    ReferenceScreen { align: center middle; }
    ReferenceScreen > VerticalScroll { width: 90%; height: 90%; border: round $success;
        background: $surface; padding: 0 1; }
    ReferenceScreen MarkdownFence { scrollbar-size-horizontal: 1; }
    """

    def __init__(self, title: str, solution: str) -> None:
        super().__init__()
        self.title_text = title
        self.solution = solution

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="reference"):
            yield CodeMarkdown(
                f"### Reference solution — {self.title_text}\n\n```python\n{self.solution}```\n\n"
                "*escape closes; your code is untouched.*",
                id="reference-text",
            )
