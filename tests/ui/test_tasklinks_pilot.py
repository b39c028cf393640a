"""Code failures feed review, in the real app: a failed run of a task (ctrl+r, the real
sandbox) makes the studied cards on its concept due; the pass that follows is a Hard review of
its code card. Checked in the SQLite file."""

from __future__ import annotations

import sqlite3
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from textual.widgets import TextArea

from quizapp.app import build_app
from quizapp.catalog import bundled_decks_dir
from quizapp.grading.catalog import get_task
from quizapp.scheduling import to_ms, utcnow
from quizapp.screens.code import CodePracticeScreen
from quizapp.session import open_session
from quizapp.store import REVIEW
from quizapp.tasklinks import code_card, links

DAY_MS = 86_400_000
TASK = "l1_penalty"


async def _until(pilot: Any, cond: Any, what: str) -> None:
    deadline = time.monotonic() + 60
    while not cond():
        assert time.monotonic() < deadline, what
        await pilot.pause(0.1)


async def test_a_failed_run_makes_its_cards_due_and_a_pass_reviews_the_code_card(
    tmp_path: Path,
) -> None:
    db = tmp_path / "q.db"
    session = open_session(db, deck_dirs=[bundled_decks_dir()], cache_dir=tmp_path / "c")
    linked = links(session.catalog)[TASK]
    code = code_card(session.catalog, TASK)
    assert code is not None and code in linked
    now_ms = to_ms(utcnow())
    for cid in linked:  # every linked card studied, due in 10 days
        row = session.store.card(cid)
        after = replace(row, state=REVIEW, stability=20.0, difficulty=5.0, reps=2,
                        last_review=now_ms - 5 * DAY_MS, due=now_ms + 10 * DAY_MS)  # fmt: skip
        session.store.record_review(
            row, after, rating=3, reviewed_at=now_ms - 5 * DAY_MS, duration_ms=1
        )
    try:
        app = build_app(session)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = CodePracticeScreen(TASK)
            app.push_screen(screen)
            await pilot.pause()
            editor = screen.query_one("#editor", TextArea)
            editor.load_text("import numpy as np\n\ndef l1_penalty(w, lam):\n    return 0.0\n")
            await pilot.press("ctrl+r")
            await _until(pilot, lambda: len(session.store.attempts(TASK)) == 1, "no attempt")
            await pilot.pause()
            assert not session.store.attempts(TASK)[0].passed
            assert any("on this concept" in n.message for n in app._notifications), [
                n.message for n in app._notifications
            ]
            editor.load_text(get_task(TASK).solution)
            await pilot.press("ctrl+r")
            await _until(pilot, lambda: len(session.store.attempts(TASK)) == 2, "no 2nd attempt")
            await pilot.pause()
            assert session.store.attempts(TASK)[1].passed
    finally:
        session.close()
    conn = sqlite3.connect(db)
    try:
        dues = dict(
            conn.execute(
                f"SELECT card_id, due FROM card WHERE card_id IN ({','.join('?' * len(linked))})",
                linked,
            ).fetchall()
        )
        origin = conn.execute(
            "SELECT rating, origin FROM review_log WHERE card_id = ? ORDER BY id DESC LIMIT 1",
            (code,),
        ).fetchone()
    finally:
        conn.close()
    for cid in linked:
        if cid != code:  # made due by the failure (the code card was then reviewed)
            assert dues[cid] <= to_ms(utcnow()), cid
    assert origin == (2, "code")  # the pass after a failure: Hard, from the code screen
    assert dues[code] > now_ms  # and rescheduled by that review
