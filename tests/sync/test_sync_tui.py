"""Sync from the TUI, against the real PostgreSQL the tests start: the URL and learner typed
in Settings with real keys, the command palette's "Sync with the class server" runs it in a
worker with progress, and a server that is down is a clear message with local data untouched."""

from __future__ import annotations

import socket
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static

from quizapp.app import build_app
from quizapp.screens.settings import SettingsScreen
from quizapp.screens.sync import SyncScreen
from quizapp.session import Session, open_session
from quizapp.store import Store
from quizapp.store_pg import PgServer
from quizapp.sync import URL_SETTING, sync
from tests.conftest import MINI_DECKS
from tests.sync.test_sync import T0, _cards, _study

SIZE = (100, 40)


@pytest.fixture(autouse=True)
def _no_sync_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUIZAPP_SYNC_URL", raising=False)
    monkeypatch.delenv("QUIZAPP_LEARNER", raising=False)


def _session(path: Path, tmp_path: Path) -> Session:
    return open_session(path, deck_dirs=[MINI_DECKS], cache_dir=tmp_path / "cache")


async def _type(pilot: Any, app: Any, field_id: str, value: str) -> None:
    field = app.screen.query_one(f"#{field_id}", Input)
    field.focus()
    await pilot.pause()
    await pilot.press("end", *["backspace"] * (len(field.value) + 1), *value)


def _text(app: Any, widget_id: str) -> str:
    return str(app.screen.query_one(f"#{widget_id}", Static).render())


def _totals(app: Any) -> tuple[str, ...]:
    """Home's Total row: new, learning, due, cards."""
    from textual.widgets import DataTable

    return tuple(str(c) for c in app.screen.query_one("#decks", DataTable).get_row("__total__"))[1:]


async def _open_sync(pilot: Any) -> None:
    """ctrl+p, type, enter: the way a user finds it."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*"sync with the class")
    await pilot.pause(0.5)
    await pilot.press("enter")


async def _wait_for_sync(pilot: Any, app: Any) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, SyncScreen) and app.screen.done is not None


async def test_settings_then_the_palette_syncs_with_progress(tmp_path: Path, pg_url: str) -> None:
    session = _session(tmp_path / "laptop.db", tmp_path)
    _study(session, 3, T0)
    progress: list[str] = []
    app = build_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await _type(pilot, app, "set-sync-url", "http://not-postgres")
        await _type(pilot, app, "set-sync-learner", "Ann/..")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "postgresql://" in _text(app, "note-sync-url")
        assert "learner id" in _text(app, "note-sync-learner")
        assert session.store.get_setting(URL_SETTING) is None  # nothing saved
        await _type(pilot, app, "set-sync-url", pg_url)
        await _type(pilot, app, "set-sync-learner", "ann")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert session.store.get_setting(URL_SETTING) == pg_url
        await pilot.press("escape")
        await pilot.pause()
        real = SyncScreen._progress

        def spy(self: SyncScreen, text: str) -> None:
            progress.append(text)
            real(self, text)

        SyncScreen._progress = spy  # type: ignore[method-assign]
        try:
            await _open_sync(pilot)
            await _wait_for_sync(pilot, app)
        finally:
            SyncScreen._progress = real  # type: ignore[method-assign]
        screen = app.screen
        assert screen.done is True, screen.message
        assert "pushed 3 rows" in _text(app, "sync-result")
        assert "learner ann" in _text(app, "sync-title") and "@" not in _text(app, "sync-title")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SyncScreen)
    assert progress[0] == "connecting…" and any("pushed 3 reviews" in p for p in progress)
    with PgServer.connect(pg_url) as server:
        assert server.max_seq("ann", session.store.get_setting("device_id"))["review_log"] == 3
        # The other device gets them: the TUI's sync is the CLI's sync.
        phone = Store.open(tmp_path / "phone.db")
        assert sync(phone, server, learner="ann").pulled["review_log"] == 3
        phone.close()
    assert session.store.get_setting("sync_learner") == "ann"
    session.close()


async def test_a_pull_from_the_tui_and_the_home_counts_follow(tmp_path: Path, pg_url: str) -> None:
    laptop = _session(tmp_path / "laptop.db", tmp_path)
    _study(laptop, 4, T0 - timedelta(days=30))
    with PgServer.connect(pg_url) as server:
        sync(laptop.store, server, learner="ann")
    phone = _session(tmp_path / "phone.db", tmp_path)
    phone.store.set_setting(URL_SETTING, pg_url)
    phone.store.set_setting("sync.learner", "ann")
    app = build_app(phone)
    async with app.run_test(size=SIZE) as pilot:
        before = _totals(app)
        await _open_sync(pilot)
        await _wait_for_sync(pilot, app)
        assert app.screen.done is True, app.screen.message
        assert "pulled 4 rows" in _text(app, "sync-result")
        await pilot.press("enter")
        await pilot.pause()
        after = _totals(app)
    assert _cards(phone.store) == _cards(laptop.store)
    # The pulled cards are no longer new and (studied a month ago) all due: home shows it.
    assert before[:3] == ("4", "0", "0")
    assert after[0] == "0" and int(after[1]) + int(after[2]) == 4
    laptop.close()
    phone.close()


async def test_server_down_is_a_clear_message_and_nothing_changes(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    session = _session(tmp_path / "a.db", tmp_path)
    _study(session, 2, T0)
    session.store.set_setting(URL_SETTING, f"postgresql://ann:hunter2@127.0.0.1:{port}/class")
    session.store.set_setting("sync.learner", "ann")
    before = (session.store.review_logs(), _cards(session.store))
    app = build_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await _open_sync(pilot)
        await _wait_for_sync(pilot, app)
        screen = app.screen
        assert screen.done is False
        result = _text(app, "sync-result")
        assert "cannot reach the sync server 127.0.0.1:" in result and "untouched" in result
        assert "hunter2" not in result and "Traceback" not in result
        assert screen.query_one("#sync-result").has_class("error")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SyncScreen)
    assert (session.store.review_logs(), _cards(session.store)) == before
    assert session.store.get_setting("sync_learner") is None
    session.close()


async def test_no_server_set_says_where_to_set_it(tmp_path: Path) -> None:
    session = _session(tmp_path / "a.db", tmp_path)
    app = build_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await _open_sync(pilot)
        await pilot.pause()
        assert isinstance(app.screen, SyncScreen) and app.screen.done is False
        assert "Settings" in _text(app, "sync-result")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SyncScreen)
    session.close()
