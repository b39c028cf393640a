"""Settings: scheduling options, the theme and the sync server, validated field by field, saved
together.

Settings are global (every deck shares them), as the `setting` table stores one `scheduling`
object; per-deck options would be a later extension of that object. Each field is parsed here
(so the message can sit next to the field), then `Settings(...)` validates the whole set, and
only a valid set is saved and reloaded into the running session.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static, Switch

from quizapp.scheduling import Settings
from quizapp.widgets.guarded import guarded_write_then
from quizapp.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from quizapp.screens.host import AppHost

THEME_SETTING = "ui.theme"
QUIZ_REVIEW_SETTING = "quiz.counts_as_review"
_STEP_RE = re.compile(r"^(\d+(?:\.\d+)?)([smhd]?)$")
_UNIT_MIN = {"s": 1 / 60, "m": 1.0, "": 1.0, "h": 60.0, "d": 1440.0}


# ---------------------------------------------------------------------- parsing (no UI)


def parse_retention(text: str) -> float:
    """'0.9', '90' or '90%' -> 0.9."""
    raw = text.strip().removesuffix("%").strip()
    try:
        value = float(raw)
    except ValueError:
        raise ValueError("a number such as 0.90 or 90%") from None
    if value > 1 or text.strip().endswith("%"):
        value /= 100
    if not 0.70 <= value <= 0.99:
        raise ValueError("between 70% and 99% (0.70–0.99)")
    return round(value, 4)


def parse_steps(text: str) -> tuple[float, ...]:
    """'1m 10m', '1 10', '30s 1h 1d' -> minutes; empty means no steps."""
    steps = []
    for token in text.replace(",", " ").split():
        m = _STEP_RE.match(token.lower())
        if not m:
            raise ValueError(f"“{token}” is not a step; write minutes like 1m 10m (or 1h, 1d)")
        minutes = float(m.group(1)) * _UNIT_MIN[m.group(2)]
        if minutes <= 0:
            raise ValueError("steps must be longer than zero")
        steps.append(minutes)
    return tuple(steps)


def format_steps(steps: tuple[float, ...]) -> str:
    def one(m: float) -> str:
        if m >= 1440 and m % 1440 == 0:
            return f"{m / 1440:g}d"
        if m >= 60 and m % 60 == 0:
            return f"{m / 60:g}h"
        return f"{m:g}m"

    return " ".join(one(m) for m in steps)


def _int_in(lo: int, hi: int | None, what: str = "") -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise ValueError("a whole number") from None
        if value < lo or (hi is not None and value > hi):
            bound = f"{lo}–{hi}" if hi is not None else f"≥ {lo}"
            raise ValueError(f"{what or 'a whole number'} {bound}".strip())
        return value

    return parse


@dataclass(frozen=True)
class Field:
    key: str  # the Settings attribute
    label: str
    parse: Callable[[str], Any]
    show: Callable[[Any], str]
    help: str


FIELDS: tuple[Field, ...] = (
    Field(
        "desired_retention",
        "Desired retention",
        parse_retention,
        lambda v: f"{v:.2f}",
        "0.70–0.99; higher = more reviews",
    ),
    Field("new_per_day", "New cards / day", _int_in(0, None), str, "0 pauses new cards"),
    Field("reviews_per_day", "Reviews / day", _int_in(0, None), str, "daily review limit"),
    Field("learning_steps_min", "Learning steps", parse_steps, format_steps, "e.g. 1m 10m"),
    Field("relearning_steps_min", "Relearning steps", parse_steps, format_steps, "e.g. 10m"),
    Field("maximum_interval_days", "Maximum interval", _int_in(1, None), str, "days"),
    Field(
        "leech_threshold",
        "Leech threshold",
        _int_in(0, None),
        str,
        "lapses before suspending; 0 = off",
    ),
    Field(
        "rollover_hour", "Day starts at hour", _int_in(0, 23, "an hour"), str, "0–23, local time"
    ),
    Field(
        "interview_date",
        "Interview date",
        lambda t: parse_interview_date(t),
        lambda v: v or "",
        "YYYY-MM-DD; empty = off. Reviews follow the plan",
    ),
    Field("minutes_per_day", "Minutes / day", _int_in(1, 1440), str, "the interview plan's budget"),
    Field(
        "follow_plan",
        "Follow the plan",
        lambda t: parse_on_off(t),
        lambda v: "on" if v else "off",
        "on/off: review order and new cards follow the interview plan",
    ),
    Field(
        "cram_reschedules",
        "Cram reschedules",
        lambda t: parse_on_off(t),
        lambda v: "on" if v else "off",
        "on/off: `quizapp plan --cram N` makes those cards due now",
    ),
)


def parse_on_off(text: str) -> bool:
    """'on' / 'off' (also yes/no, true/false, 1/0), any case."""
    raw = text.strip().lower()
    if raw in ("on", "yes", "true", "1"):
        return True
    if raw in ("off", "no", "false", "0"):
        return False
    raise ValueError("on or off")


def parse_interview_date(text: str) -> str | None:
    """'' -> None (interview mode off); 'YYYY-MM-DD' -> the same, validated."""
    import datetime

    raw = text.strip()
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw).isoformat()
    except ValueError:
        raise ValueError("a date as YYYY-MM-DD, or empty") from None


# Settings.__post_init__ messages -> the field they are about.
_MESSAGE_FIELDS = (
    ("desired_retention", "desired_retention"),
    ("daily limits", "new_per_day"),
    ("rollover_hour", "rollover_hour"),
    ("maximum_interval", "maximum_interval_days"),
    ("learning steps", "learning_steps_min"),
)


def build_settings(
    current: Settings, texts: dict[str, str]
) -> tuple[Settings | None, dict[str, str]]:
    """Parse every field; return the new Settings or the error message per field key."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in FIELDS:
        if f.key not in texts:
            continue
        try:
            values[f.key] = f.parse(texts[f.key])
        except ValueError as exc:
            errors[f.key] = str(exc)
    if errors:
        return None, errors
    try:
        return dataclasses.replace(current, **values), {}
    except ValueError as exc:
        message = str(exc)
        key = next((k for needle, k in _MESSAGE_FIELDS if needle in message), "")
        return None, {key: message}


SYNC_URL_HELP = "the class PostgreSQL; empty = off. ctrl+p → Sync"
SYNC_LEARNER_HELP = "your id in the class (a-z, 0-9, - and _)"


def check_sync_fields(url: str, learner: str, bound: object) -> dict[str, str]:
    """Messages for the sync fields, keyed "sync-url" / "sync-learner"; empty = fine.

    The URL is checked for shape only (libpq's own parser when psycopg is installed); whether
    the server answers is what the sync itself reports."""
    from quizapp.web.auth import LEARNER_ID_RULE, valid_learner_id

    errors: dict[str, str] = {}
    if url:
        if not url.startswith(("postgresql://", "postgres://")):
            errors["sync-url"] = "a URL such as postgresql://you@host:5432/class"
        else:
            try:
                from psycopg.conninfo import conninfo_to_dict  # ~60 ms, only when saving
            except ModuleNotFoundError:
                pass  # the sync itself says the postgres extra is missing
            else:
                try:
                    conninfo_to_dict(url)
                except Exception:
                    errors["sync-url"] = "not a valid PostgreSQL URL (postgresql://you@host/db)"
    if learner and not valid_learner_id(learner):
        errors["sync-learner"] = LEARNER_ID_RULE
    elif isinstance(bound, str) and learner != bound:
        errors["sync-learner"] = (
            f"this database was synced as '{bound}'; one database belongs to one learner"
        )
    return errors


def apply_saved_theme(app: Any) -> None:
    """Call from `App.on_mount`: use the theme saved by this screen, if it still exists."""
    theme = app.session.store.get_setting(THEME_SETTING)
    if isinstance(theme, str) and theme in app.available_themes:
        app.theme = theme


# ---------------------------------------------------------------------- screen


class SettingsScreen(Screen[None]):
    """Global settings. ctrl+s or enter in a field saves; escape leaves without saving."""

    DEFAULT_CSS = """
    SettingsScreen #settings { padding: 0 1; }
    SettingsScreen .setting-row { height: 1; margin-bottom: 1; }
    SettingsScreen .setting-label { width: 20; }
    SettingsScreen .setting-row Input { width: 14; }
    SettingsScreen .setting-row Select { width: 30; }
    SettingsScreen .setting-row Switch { height: 1; border: none; padding: 0; width: 14; }
    SettingsScreen .setting-note { width: 1fr; padding-left: 2; color: $text-muted; }
    SettingsScreen .setting-note.error { color: $text-error; text-style: bold; }
    SettingsScreen #settings-general { height: auto; }
    SettingsScreen #settings-general.error { color: $text-error; }
    SettingsScreen #settings-save { margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "back", "Back"),
    ]
    _saved: tuple[object, ...] = ()

    @property
    def quiz_app(self) -> AppHost:
        return cast("AppHost", self.app)

    def compose(self) -> ComposeResult:
        current = self.quiz_app.session.settings
        yield TitleBar()  # one widget, not Header's four (quizapp/widgets/title_bar.py)
        with VerticalScroll(id="settings"):
            yield Static(
                "Global settings (every deck). [b]ctrl+s[/b] saves, [b]esc[/b] leaves.",
                id="settings-general",
            )
            for f in FIELDS:
                with Horizontal(classes="setting-row"):
                    yield Label(f.label, classes="setting-label")
                    yield Input(f.show(getattr(current, f.key)), id=f"set-{f.key}", compact=True)
                    yield Static(f.help, id=f"note-{f.key}", classes="setting-note")
            with Horizontal(classes="setting-row"):
                yield Label("Theme", classes="setting-label")
                themes = sorted(self.app.available_themes)
                yield Select(
                    [(t, t) for t in themes],
                    value=self.app.theme if self.app.theme in themes else Select.NULL,
                    allow_blank=False,
                    id="set-theme",
                    compact=True,
                )
            with Horizontal(classes="setting-row"):
                yield Label("Quiz = review", classes="setting-label")
                store = self.quiz_app.session.store
                yield Switch(
                    bool(store.get_setting(QUIZ_REVIEW_SETTING, False)), id="set-quiz-review"
                )
                yield Static(
                    "off: quizzes never change the schedule",
                    classes="setting-note",
                )
            from quizapp.sync import LEARNER_SETTING, URL_SETTING

            bound = store.get_setting("sync_learner")
            with Horizontal(classes="setting-row"):
                yield Label("Sync server", classes="setting-label")
                yield Input(
                    str(store.get_setting(URL_SETTING) or ""),
                    id="set-sync-url",
                    compact=True,
                    placeholder="postgresql://you@host/class",
                )
                yield Static(SYNC_URL_HELP, id="note-sync-url", classes="setting-note")
            with Horizontal(classes="setting-row"):
                yield Label("Learner id", classes="setting-label")
                yield Input(
                    str(bound or store.get_setting(LEARNER_SETTING) or ""),
                    id="set-sync-learner",
                    compact=True,
                )
                yield Static(SYNC_LEARNER_HELP, id="note-sync-learner", classes="setting-note")
            yield Button("Save", id="settings-save", variant="primary", compact=True)
            with Horizontal(classes="setting-row"):
                yield Button("Fit FSRS", id="settings-optimize", compact=True)
                yield Static(
                    "fit the parameters to your reviews (quizapp optimize)",
                    id="note-optimize",
                    classes="setting-note",
                )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(f"#set-{FIELDS[0].key}", Input).focus()
        self._saved = self.snapshot()

    def snapshot(self) -> tuple[object, ...]:
        """Everything the form holds, to tell whether there are unsaved edits."""
        return (
            tuple(sorted(self.texts().items())),
            self.query_one("#set-theme", Select).value,
            self.query_one("#set-quiz-review", Switch).value,
            self.query_one("#set-sync-url", Input).value,
            self.query_one("#set-sync-learner", Input).value,
        )

    def action_back(self) -> None:
        """Leave; with unsaved edits, ask first (Anki asks too)."""
        if self.snapshot() == self._saved:
            self.app.pop_screen()
            return
        from quizapp.widgets.confirm import ConfirmScreen

        def answered(discard: bool | None) -> None:
            if discard:
                self.app.pop_screen()

        self.app.push_screen(
            ConfirmScreen(
                "You have unsaved changes. Leave settings and drop them?",
                yes="drop them and leave",
                no="keep editing (ctrl+s saves)",
            ),
            answered,
        )

    def texts(self) -> dict[str, str]:
        return {f.key: self.query_one(f"#set-{f.key}", Input).value for f in FIELDS}

    @on(Button.Pressed, "#settings-optimize")
    def _optimize_pressed(self) -> None:
        self.query_one("#note-optimize", Static).update("Fitting…")
        self._optimize()

    @work(thread=True, exclusive=True, exit_on_error=False, group="optimize")
    def _optimize(self) -> str:
        """In its own connection, so a long fit never holds the session's."""
        from quizapp.fitting import NotEnoughHistory, optimize
        from quizapp.store import Store

        session = self.quiz_app.session
        store = Store.open(session.store.path)
        try:
            report, saved = optimize(store, session.settings)
        except NotEnoughHistory as exc:
            return str(exc)
        finally:
            store.close()
        verdict = "saved" if saved else "not saved (no better than the current ones)"
        return (
            f"{report.reviews} reviews: log loss {report.before.log_loss:.4f} -> "
            f"{report.after.log_loss:.4f}, RMSE {report.before.rmse_bins:.4f} -> "
            f"{report.after.rmse_bins:.4f}; {verdict}"
        )

    def on_worker_state_changed(self, event: Any) -> None:
        if event.worker.group != "optimize" or not event.worker.is_finished:
            return
        note = self.query_one("#note-optimize", Static)
        if event.worker.error is not None:
            note.update(f"Fit failed: {event.worker.error}")
            return
        note.update(str(event.worker.result))
        self.quiz_app.session.reload_settings()

    @on(Input.Submitted)
    @on(Button.Pressed, "#settings-save")
    def _submit(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        session = self.quiz_app.session
        new, errors = build_settings(session.settings, self.texts())
        sync_url = self.query_one("#set-sync-url", Input).value.strip()
        learner = self.query_one("#set-sync-learner", Input).value.strip()
        sync_errors = check_sync_fields(
            sync_url, learner, session.store.get_setting("sync_learner")
        )
        for key, help_text in (("sync-url", SYNC_URL_HELP), ("sync-learner", SYNC_LEARNER_HELP)):
            note = self.query_one(f"#note-{key}", Static)
            note.update(sync_errors.get(key, help_text))
            note.set_class(key in sync_errors, "error")
        if sync_errors and new is not None:
            new = None
            errors = {"": "Not saved: fix the field(s) marked in red."}
        errors = {**errors, **sync_errors}
        for f in FIELDS:
            note = self.query_one(f"#note-{f.key}", Static)
            note.update(errors.get(f.key, f.help))
            note.set_class(f.key in errors, "error")
        general = self.query_one("#settings-general", Static)
        if new is None:
            general.update(errors.get("", "Not saved: fix the field(s) marked in red."))
            general.add_class("error")
            first = next(
                (k for k in (*(f.key for f in FIELDS), "sync-url", "sync-learner") if k in errors),
                None,
            )
            if first:
                self.query_one(f"#set-{first}", Input).focus()
            self.notify("Settings not saved: " + "; ".join(errors.values()), severity="error")
            return
        theme = self.query_one("#set-theme", Select).value
        counts = self.query_one("#set-quiz-review", Switch).value
        good_theme = isinstance(theme, str) and theme in self.app.available_themes

        def save() -> None:
            new.save(session.store)
            if good_theme:
                session.store.set_setting(THEME_SETTING, theme)
            session.store.set_setting(QUIZ_REVIEW_SETTING, bool(counts))
            from quizapp.sync import LEARNER_SETTING, URL_SETTING

            session.store.set_setting(URL_SETTING, sync_url or None)
            session.store.set_setting(LEARNER_SETTING, learner or None)

        def not_saved() -> None:
            general.update("Not saved (see the message); your entries are kept.")
            general.add_class("error")

        def saved(_: None) -> None:
            session.reload_settings()
            general.remove_class("error")
            general.update("Saved. Global settings (every deck). [b]ctrl+s[/b] saves.")
            if good_theme:
                self.app.theme = cast(str, theme)
            self._saved = self.snapshot()
            self.notify("Settings saved.")

        general.update("Saving… (waits while another window writes to the database)")
        guarded_write_then(
            self,
            "save the settings",
            save,
            saved,
            keep="Your entries are kept: ctrl+s to retry.",
            failed=not_saved,
        )
