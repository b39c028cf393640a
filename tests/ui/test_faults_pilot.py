"""Every TUI write under faults (issue 20): another connection holding the write lock, a
damaged page, the file moved away under the running app. The screen must stay usable, say what
failed and what to do, keep what was typed, and save it on retry. No traceback."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, TextArea

from quizapp.app import build_app
from quizapp.screens.browse import BrowseScreen
from quizapp.screens.card_info import CardInfoScreen
from quizapp.screens.quiz import QuizScreen
from quizapp.screens.review import ReviewScreen
from quizapp.screens.settings import SettingsScreen

SIZE = (100, 30)


class Locker:
    """A second connection that holds the write lock (what another window mid-write does)."""

    def __init__(self, db: Path) -> None:
        self.conn = sqlite3.connect(db, isolation_level=None)

    def hold(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        self.conn.execute("ROLLBACK")


@pytest.fixture
def locker(mini_session: Any, db_path: Path) -> Iterator[Locker]:
    mini_session.store.conn.execute("PRAGMA busy_timeout = 50")  # fail fast in tests
    lock = Locker(db_path)
    yield lock
    if lock.conn.in_transaction:
        lock.release()
    lock.conn.close()


async def settle(pilot: Any) -> None:
    """Let a write that moved to a worker (the lock was held) finish and report."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def messages(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


def count(db: Path, sql: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def _damage_review_log(db: Path) -> None:
    """Overwrite the review_log table's root page with garbage."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'review_log'"
        ).fetchone()[0]
        page = conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()
    data = bytearray(db.read_bytes())
    data[(root - 1) * page : root * page] = b"\x5a" * page
    db.write_bytes(bytes(data))


async def test_rating_while_locked_keeps_the_card_and_saves_on_retry(
    mini_session: Any, db_path: Path, locker: Locker
) -> None:
    app = build_app(mini_session, start="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        shown = screen.current
        await pilot.press("space")
        locker.hold()
        await pilot.press("3")
        await settle(pilot)
        assert any("locked" in m and "Close the other" in m for m in messages(app))
        assert app.screen is screen and screen.current == shown and screen.phase == "answer"
        assert count(db_path, "SELECT count(*) FROM review_log") == 0
        locker.release()
        await pilot.press("3")
        await settle(pilot)
        assert screen.current != shown
    assert count(db_path, "SELECT count(*) FROM review_log") == 1


async def test_suspend_and_bury_while_locked_do_not_crash(
    mini_session: Any, db_path: Path, locker: Locker
) -> None:
    app = build_app(mini_session, start="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        shown = screen.current
        locker.hold()
        await pilot.press("exclamation_mark")
        await pilot.pause()
        await pilot.press("minus")
        await pilot.pause()
        assert sum("locked" in m for m in messages(app)) == 2
        assert screen.current == shown
        locker.release()
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert screen.current != shown
    assert count(db_path, "SELECT count(*) FROM card WHERE suspended = 1") == 1


async def test_quiz_start_and_answer_while_locked_keep_the_typed_answer(
    mini_session: Any, db_path: Path, locker: Locker
) -> None:
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        locker.hold()
        app.push_screen(QuizScreen(None, count=4, types=("typed",), seed=1))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        assert any("start the quiz" in m for m in messages(app))
        await pilot.press(*"L1", "enter")
        await settle(pilot)
        assert any("save this answer" in m for m in messages(app))
        assert screen.phase == "question"
        assert screen.query_one("#quiz-answer", Input).value == "L1"  # kept for the retry
        locker.release()
        await pilot.press("enter")
        await settle(pilot)
        assert screen.phase == "feedback"
    assert count(db_path, "SELECT count(*) FROM quiz") == 1
    assert count(db_path, "SELECT count(*) FROM quiz_answer WHERE given = 'L1'") == 1


async def test_code_draft_while_locked_is_kept_and_saved_later(
    mini_session: Any, db_path: Path, locker: Locker
) -> None:
    from quizapp.grading.catalog import task_ids
    from quizapp.screens.code import CodePracticeScreen

    task_id = task_ids()[0]
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(CodePracticeScreen(task_id))
        await pilot.pause()
        locker.hold()
        editor = app.screen.query_one(TextArea)
        editor.insert("# my work\n", (0, 0))
        await pilot.pause(0.7)  # the debounced save runs and fails
        await settle(pilot)
        assert any("save the draft" in m for m in messages(app))
        assert "# my work" in editor.text
        locker.release()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert mini_session.store.load_draft(task_id).startswith("# my work")


async def test_draft_is_saved_every_two_seconds_of_steady_typing(
    mini_session: Any, db_path: Path
) -> None:
    from quizapp.grading.catalog import task_ids
    from quizapp.screens.code import CodePracticeScreen

    task_id = task_ids()[0]
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(CodePracticeScreen(task_id))
        await pilot.pause()
        editor = app.screen.query_one(TextArea)
        editor.move_cursor((0, 0))
        for _ in range(12):  # a key every 0.3 s: never the 0.5 s pause
            editor.insert("x", editor.cursor_location)
            await pilot.pause(0.3)
        draft = mini_session.store.load_draft(task_id)
        assert draft is not None and draft.startswith("xxxx")


async def test_card_info_on_a_damaged_page_reports_and_stays_open(
    mini_session: Any, db_path: Path, tmp_path: Path
) -> None:
    from quizapp.session import Session
    from quizapp.store import Store

    store = mini_session.store
    row = store.card("mini-basic")
    store.record_review(row, row, rating=3, reviewed_at=1, duration_ms=1)
    store.close()
    _damage_review_log(db_path)
    damaged = Session(Store.open(db_path), mini_session.catalog, mini_session.settings)
    mini_session.store = damaged.store  # the fixture closes this one
    app = build_app(damaged)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(CardInfoScreen("mini-basic"))
        await pilot.pause()
        assert isinstance(app.screen, CardInfoScreen)
        assert any("history" in m and "usable" in m for m in messages(app))
        table = app.screen.query_one(DataTable)
        assert "unreadable" in str(table.get_row_at(0)[0])


async def test_browse_and_settings_writes_while_locked(
    mini_session: Any, db_path: Path, locker: Locker
) -> None:
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(BrowseScreen())
        await pilot.pause()
        app.screen.query_one(DataTable).focus()
        locker.hold()
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        assert sum("locked" in m for m in messages(app)) == 2
        assert isinstance(app.screen, BrowseScreen)
        locker.release()
        await pilot.press("s")
        await pilot.pause()
        assert count(db_path, "SELECT count(*) FROM card WHERE suspended = 1") == 1
        app.pop_screen()
        await pilot.pause()
        app.push_screen(SettingsScreen())
        await pilot.pause()
        locker.hold()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any("save the settings" in m for m in messages(app))
        assert isinstance(app.screen, SettingsScreen)
        locker.release()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert messages(app)[-1] == "Settings saved."


async def test_database_moved_under_the_running_app(
    mini_session: Any, db_path: Path, tmp_path: Path
) -> None:
    app = build_app(mini_session, start="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.press("space", "4")  # saved in the file we opened
        await pilot.pause()
        db_path.rename(tmp_path / "synced-away.db")
        shown = screen.current
        await pilot.press("space", "4")
        await settle(pilot)
        text = "\n".join(messages(app))
        assert "stopped writing" in text and "synced-away.db" in text
        assert screen.current == shown  # not shown as done
        assert "NOT SAVING" in app.sub_title
    rescued = list(tmp_path.glob("quizapp.rescued-*.db"))
    assert len(rescued) == 1 and str(rescued[0]) in text
    assert count(rescued[0], "SELECT count(*) FROM review_log") == 1
    assert count(tmp_path / "synced-away.db", "SELECT count(*) FROM review_log") == 1


async def test_a_lock_does_not_freeze_the_ui_and_the_rating_lands_once(
    mini_session: Any, db_path: Path, locker: Locker
) -> None:
    """With the real busy wait, the rating waits in a worker: the screen says so and keeps
    handling keys (a second rating is refused, not queued), and the rating is saved once."""
    import asyncio

    mini_session.store.conn.execute("PRAGMA busy_timeout = 5000")
    app = build_app(mini_session, start="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        shown = screen.current
        await pilot.press("space")
        locker.hold()
        await pilot.press("3")
        await pilot.pause(0.3)
        assert "Waiting for the database" in app.sub_title
        assert any("Waiting for the database" in m for m in messages(app))
        await pilot.press("4")  # the UI is not frozen: this key is handled now, and refused
        await pilot.pause()
        assert any("Still waiting" in m for m in messages(app))
        await asyncio.sleep(0.3)
        locker.release()
        await settle(pilot)
        assert screen.current != shown
        assert "Waiting" not in app.sub_title
    assert count(db_path, "SELECT count(*) FROM review_log") == 1
    assert count(db_path, "SELECT rating FROM review_log") == 3


# ---------------------------------------------------------------------- every write waits in a
# worker (issue 20, item 5): with the real busy wait, a key pressed while another connection
# holds the write lock leaves the UI responsive (the waiting state is shown and a second key is
# handled at once, refused), and the write lands once the lock is released.


@pytest.fixture
def real_wait(mini_session: Any) -> None:
    mini_session.store.conn.execute("PRAGMA busy_timeout = 5000")


async def wait_shown(pilot: Any, again: str) -> None:
    """The write is waiting: the screen says so, and `again` is handled now and refused."""
    await pilot.pause(0.3)
    assert "Waiting for the database" in pilot.app.sub_title
    await pilot.press(again)
    await pilot.pause()
    assert any("Still waiting" in m for m in messages(pilot.app))


async def released(pilot: Any, locker: Locker) -> None:
    locker.release()
    await settle(pilot)
    assert "Waiting" not in pilot.app.sub_title


@pytest.mark.parametrize(("key", "column"), [("exclamation_mark", "suspended"), ("minus", "bury")])
async def test_review_suspend_and_bury_wait_for_the_lock(
    mini_session: Any, db_path: Path, locker: Locker, real_wait: None, key: str, column: str
) -> None:
    app = build_app(mini_session, start="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        shown = screen.current
        assert shown is not None
        locker.hold()
        await pilot.press(key)
        await wait_shown(pilot, key)
        assert screen.current == shown  # not moved on before it is saved
        assert count(db_path, "SELECT count(*) FROM card WHERE suspended = 1") == 0
        await released(pilot, locker)
        assert screen.current != shown
    where = "suspended = 1" if column == "suspended" else "buried_until IS NOT NULL"
    assert count(db_path, f"SELECT count(*) FROM card WHERE {where}") == 1
    assert (
        count(db_path, f"SELECT count(*) FROM card WHERE {where} AND card_id = '{shown.card_id}'")
        == 1
    )


async def test_review_undo_waits_for_the_lock(
    mini_session: Any, db_path: Path, locker: Locker, real_wait: None
) -> None:
    app = build_app(mini_session, start="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("space", "3")
        await settle(pilot)
        assert count(db_path, "SELECT count(*) FROM review_log") == 1
        locker.hold()
        await pilot.press("u")
        await wait_shown(pilot, "u")
        assert count(db_path, "SELECT count(*) FROM review_log") == 1
        await released(pilot, locker)
    assert count(db_path, "SELECT count(*) FROM review_log") == 0


@pytest.mark.parametrize(
    ("keys", "where"),
    [
        (("s",), "suspended = 1"),
        (("b",), "buried_until IS NOT NULL"),
        (("r", "y"), "state = 0 AND reps = 0 AND card_id = 'mini-basic'"),
    ],
)
async def test_browse_writes_wait_for_the_lock(
    mini_session: Any,
    db_path: Path,
    locker: Locker,
    real_wait: None,
    keys: tuple[str, ...],
    where: str,
) -> None:
    from dataclasses import replace

    row = mini_session.store.card("mini-basic")
    mini_session.store.record_review(
        row, replace(row, state=2, reps=1, due=1), rating=3, reviewed_at=1, duration_ms=1
    )
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(BrowseScreen("mini-basic"))
        await pilot.pause()
        app.screen.query_one(DataTable).focus()
        before = count(db_path, f"SELECT count(*) FROM card WHERE {where}")
        locker.hold()
        await pilot.press(*keys)
        await wait_shown(pilot, "s")  # any write key, not r: that one asks first
        assert isinstance(app.screen, BrowseScreen)
        assert count(db_path, f"SELECT count(*) FROM card WHERE {where}") == before
        await released(pilot, locker)
        state = str(app.screen.query_one(DataTable).get_row_at(0)[3])
        said = messages(app)  # what the user was told, should the write not be saved
    assert before == 0
    assert count(db_path, f"SELECT count(*) FROM card WHERE {where}") == 1, said
    assert state != "review"  # the row on screen was refreshed from the saved card


async def test_settings_save_waits_for_the_lock(
    mini_session: Any, db_path: Path, locker: Locker, real_wait: None
) -> None:
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(SettingsScreen())
        await pilot.pause()
        field = app.screen.query_one("#set-new_per_day", Input)
        field.value = "7"
        locker.hold()
        await pilot.press("ctrl+s")
        await wait_shown(pilot, "ctrl+s")
        assert isinstance(app.screen, SettingsScreen)
        assert field.value == "7"  # the entry is kept while it waits
        await released(pilot, locker)
        assert messages(app)[-1] == "Settings saved."
    assert mini_session.settings.new_per_day == 7
    assert (
        count(
            db_path,
            "SELECT json_extract(value, '$.new_per_day') FROM setting WHERE key = 'scheduling'",
        )
        == 7
    )


async def test_quiz_start_waits_for_the_lock_and_the_typed_answer_is_kept(
    mini_session: Any, db_path: Path, locker: Locker, real_wait: None
) -> None:
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        locker.hold()
        app.push_screen(QuizScreen(None, count=4, types=("typed",), seed=1))
        await pilot.pause(0.3)
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        assert "Waiting for the database" in app.sub_title
        await pilot.press(*"L1", "enter")  # typing works; submitting is refused, not queued
        await pilot.pause()
        assert any("Still waiting" in m for m in messages(app))
        assert screen.query_one("#quiz-answer", Input).value == "L1"
        assert count(db_path, "SELECT count(*) FROM quiz") == 0
        await released(pilot, locker)
        assert count(db_path, "SELECT count(*) FROM quiz") == 1
        await pilot.press("enter")
        await settle(pilot)
        assert screen.phase == "feedback"
    assert count(db_path, "SELECT count(*) FROM quiz") == 1
    assert count(db_path, "SELECT count(*) FROM quiz_answer WHERE given = 'L1'") == 1
