"""Review: undo reachable from every card, the footer follows focus, options shuffled, long
cards scroll, the summary counts as home counts. Real keys, real SQLite."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

from textual.containers import VerticalScroll
from textual.widgets import DataTable, Input, Markdown
from textual.widgets._footer import FooterKey

from quizapp.app import build_app
from quizapp.cardtext import OPTION_KEYS, option_order
from quizapp.screens.review import ReviewScreen

SIZE = (80, 24)


def logs(db: Path) -> list[tuple[str, int]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT card_id, rating FROM review_log ORDER BY id").fetchall()
    finally:
        conn.close()


async def footer(app: Any) -> list[str]:
    """The footer's key descriptions, once the footer has recomposed (slow on a busy machine)."""
    for _ in range(50):
        keys = [str(k.description) for k in app.screen.query(FooterKey)]
        if keys:
            return keys
        await asyncio.sleep(0.05)
    return []


def right_key(app: Any) -> str:
    return OPTION_KEYS[min(app.screen.face.correct)]


async def test_ctrl_z_undoes_while_the_answer_box_has_focus(
    mini_session: Any, db_path: Path
) -> None:
    app = build_app(mini_session, start="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "4")
        await pilot.pause()
        options = app.screen.face.options
        await pilot.press(right_key(app), "enter", "enter")
        await pilot.pause()
        answer = app.screen.query_one("#answer", Input)
        assert answer.has_focus and "Lasso" in str(app.screen.query_one("#front").source)
        keys = await footer(app)
        assert "Undo" in keys  # ^z works here ...
        assert "Info" not in keys and "Suspend" not in keys  # ... letters do not
        await pilot.press("u")  # typed into the box, not an undo
        await pilot.pause()
        assert answer.value == "u" and len(logs(db_path)) == 2
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert logs(db_path) == [("mini-basic", 4)]
        assert app.screen.current.card_id == "mini-mc"
        assert app.screen.face.options == options  # the same shuffle after undo
        assert not isinstance(app.screen.focused, Input)
        assert "Info" in (await footer(app))  # no box: the letter keys are back
        await pilot.press("u")  # and `u` undoes where no input has focus
        await pilot.pause()
        assert logs(db_path) == []


async def test_undo_is_in_the_command_palette(mini_session: Any, db_path: Path) -> None:
    app = build_app(mini_session, start="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "3")
        await pilot.pause()
        assert len(logs(db_path)) == 1
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Undo the last")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert logs(db_path) == []
        assert app.screen.current.card_id == "mini-basic"


def test_options_are_shuffled_per_review_not_right_first() -> None:
    from quizapp.catalog import load_catalog

    catalog = load_catalog(None, None)
    firsts = 0
    n = 0
    for deck in catalog.decks:
        for cid, ctype in zip(deck.card_ids, deck.card_types, strict=True):
            if ctype != "multiple_choice":
                continue
            card = catalog.card(cid)
            order = option_order(len(card.options), cid, 0)
            assert sorted(order) == list(range(len(card.options)))
            assert order == option_order(len(card.options), cid, 0)  # stable
            firsts += card.options[order[0]].correct
            n += 1
    assert n > 20 and firsts / n < 0.6  # in file order it was 63 of 64


async def test_source_is_shown_by_name(mini_session: Any) -> None:
    app = build_app(mini_session, start="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.pause()
        back = str(app.screen.query_one("#back", Markdown).source)
        assert "The Mathematics Behind L2 Regularization (source 003)" in back


def _long_deck(tmp_path: Path) -> Path:
    decks = tmp_path / "decks"
    decks.mkdir()
    answer = "\n".join(f"      Line {i} of a long answer." for i in range(60))
    (decks / "long.yaml").write_text(
        "deck: long\ntitle: Long\ncards:\n"
        "  - id: long1\n    type: basic\n    prompt: A long one?\n"
        f"    answer: |\n{answer}\n"
        '    explanation: Because.\n    source: {beyond: "The end line"}\n'
        "  - id: long2\n    type: typed\n    prompt: Type it\n    accept: [x]\n"
        "    explanation: E\n    source: {beyond: b}\n"
    )
    return decks


async def test_long_answers_scroll_without_tab(tmp_path: Path, db_path: Path) -> None:
    from quizapp.session import open_session

    session = open_session(db_path, deck_dirs=[_long_deck(tmp_path)], cache_dir=tmp_path / "c")
    app = build_app(session, start="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.pause()
        card = app.screen.query_one("#card", VerticalScroll)
        assert card.max_scroll_y > 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert card.scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert card.scroll_y == card.max_scroll_y  # the end (and the source line) is reachable
        y = card.scroll_y
        await pilot.press("up")
        await pilot.pause()
        assert card.scroll_y < y
    session.close()


async def test_ending_early_does_not_say_nothing_is_due(mini_session: Any) -> None:
    app = build_app(mini_session, start="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        text = str(app.screen.query_one("#front", Markdown).source)
        assert "Nothing is due" not in text
        assert "before rating a card" in text and "**4 cards** still to study today" in text
        assert "4 left" in str(app.screen.query_one("#remaining").render())
        await pilot.press("escape")
        await pilot.pause()
        row = [str(c) for c in app.screen.query_one("#decks", DataTable).get_row("__total__")]
        assert sum(int(x) for x in row[1:4]) == 4  # home agrees


async def test_hostile_typed_answer_is_shown_as_text(mini_session: Any) -> None:
    app = build_app(mini_session, start="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "4")
        await pilot.pause()
        await pilot.press(right_key(app), "enter", "enter")
        await pilot.press(*"[/b] **x**", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.phase == "answer"
        assert "[/b] **x**" in str(app.screen.query_one("#verdict").render())


async def test_help_lists_every_screens_keys(mini_session: Any) -> None:
    from quizapp.screens.help import HelpScreen, _screens

    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one("#help-keys").render().plain  # type: ignore[union-attr]
        titles = [t for t, _ in _screens()]
        assert {"Code editor", "Browse", "Settings", "Review", "Quiz", "Drills"} <= set(titles)
        # each screen's section: from its title line to the next blank line
        sections = {t: text.split(f"\n{t}\n", 1)[1].split("\n\n", 1)[0] for t in titles}
        for title, screen in _screens():
            for b in screen.BINDINGS:
                if getattr(b, "description", ""):
                    lines = [ln for ln in sections[title].splitlines() if b.description in ln]
                    assert lines, (title, b.description)
        assert "  ^z" in sections["Quiz"] and "Undo" in sections["Quiz"]


async def test_a_theme_chosen_in_the_palette_is_remembered(mini_session: Any) -> None:
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"theme")
        await pilot.pause(0.3)
        await pilot.press("enter")  # "Change theme" opens the theme list
        await pilot.pause(0.3)
        await pilot.press(*"nord")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "nord"
    assert mini_session.store.get_setting("ui.theme") == "nord"
    again = build_app(mini_session)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == "nord"


async def test_settings_ask_before_dropping_unsaved_edits(mini_session: Any) -> None:
    from quizapp.screens.settings import FIELDS, SettingsScreen
    from quizapp.widgets.confirm import ConfirmScreen

    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        settings = app.screen
        assert isinstance(settings, SettingsScreen)
        await pilot.press("escape")  # nothing changed: leaves at once
        await pilot.pause()
        assert not isinstance(app.screen, SettingsScreen)
        await pilot.press("o")
        await pilot.pause()
        box = app.screen.query_one(f"#set-{FIELDS[0].key}", Input)
        box.value = ""
        await pilot.press("9")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen) and box.value == "9"
        await pilot.press("escape", "y")  # drop them
        await pilot.pause()
        assert not isinstance(app.screen, (SettingsScreen, ConfirmScreen))


async def preview_settled(pilot: Any) -> None:
    """Browse renders the preview once the cursor has rested PREVIEW_DELAY seconds."""
    for _ in range(100):
        await pilot.pause()
        if not pilot.app.screen.preview_pending:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the preview never caught up with the cursor")


async def test_browse_preview_shows_the_answer(mini_session: Any) -> None:
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await pilot.pause()
        await pilot.press(*"Lasso")
        await preview_settled(pilot)
        preview = app.screen.query_one("#browse-preview-text", Markdown)
        assert "Lasso" in str(preview.source) and "**L1**" in str(preview.source)
        assert "Tibshirani (1996)" in str(preview.source)
        await pilot.press("ctrl+a", "ctrl+k")  # clear the search: every card
        await pilot.press("down", "down")  # into the list, then to the second card
        await preview_settled(pilot)
        assert "inverted dropout" in str(preview.source) and "✔" in str(preview.source)


async def test_stats_screen_lists_leeches(mini_session: Any) -> None:
    s = mini_session.store
    with s.transaction():
        s.conn.execute("UPDATE card SET lapses = 9, suspended = 1 WHERE card_id = 'mini-mc'")
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = str(app.screen.query_one("#stats-leeches").render())
        assert "mini-mc · 9 lapses · suspended" in shown and "is:leech" in shown


async def test_verdict_names_the_answer_without_raw_backticks_and_summary_says_home(
    mini_session: Any,
) -> None:
    app = build_app(mini_session, start="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "4")
        await pilot.pause()
        await pilot.press(right_key(app), "enter", "enter")
        await pilot.press(*"abc", "enter")
        await pilot.pause()
        verdict = str(app.screen.query_one("#verdict").render())
        assert "you answered abc" in verdict and "`" not in verdict
        await pilot.press("escape")  # end early: the summary
        await pilot.pause()
        assert app.screen.phase == "done"
        keys = await footer(app)
        assert "Home" in keys and "End" not in keys
        label = app.screen.query_one("#deck-label")
        bar = app.screen.query_one("#progress")
        assert label.region.right < bar.region.x  # a gap: the title never runs into the bar
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)
