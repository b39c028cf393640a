"""The CLI through `main()` with an injected environment, and once as a real process."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.cli.env import Environment

MINI = Path(__file__).parent / "fixtures" / "decks"


def run(*argv: str, environ: dict[str, str] | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdout=out, stderr=err, environ=dict(environ or os.environ))
    code = main(list(argv), env=env)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def mini_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    monkeypatch.setenv("QUIZAPP_DECKS", str(MINI))
    monkeypatch.setenv("QUIZAPP_DB", str(tmp_path / "cli.db"))
    return dict(os.environ)


def test_decks_check_clean(mini_env: dict[str, str]) -> None:
    code, out, err = run("decks", "check", str(MINI))
    assert code == 0 and out == "" and "no problems" in err


def test_decks_check_reports_file_line_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("deck: x\ntitle: T\ncards:\n  - id: a\n    type: basic\n    prompt: p\n")
    code, out, _ = run("decks", "check", str(bad), str(tmp_path / "missing.yaml"))
    assert code == 1
    lines = out.splitlines()
    assert f"{tmp_path / 'missing.yaml'}:1: no such file or folder" in lines
    assert f"{bad}:4: card `a`: missing key `answer`" in lines


def test_decks_list_json(mini_env: dict[str, str]) -> None:
    code, out, _ = run("decks", "list", "--json")
    assert code == 0
    (deck,) = json.loads(out)
    assert deck["id"] == "mini" and deck["cards"] == 4 and deck["new"] == 4
    assert deck["types"] == {"basic": 1, "multiple_choice": 1, "typed": 1, "cloze": 1}


def test_decks_export_json_and_csv(mini_env: dict[str, str]) -> None:
    code, out, _ = run("decks", "export", "--format", "json")
    assert code == 0
    cards = json.loads(out)
    keys = {"id", "deck", "type", "prompt", "answer", "explanation", "tags", "source"}
    assert all(keys <= set(c) for c in cards)
    mc = next(c for c in cards if c["type"] == "multiple_choice")
    assert mc["answer"].count("✔") == 1 and "x · 0.8" in mc["prompt"]
    code, out, _ = run("decks", "export", "--deck", "mini", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == [c["id"] for c in cards]
    assert rows[2]["answer"].startswith("**L1**")


def test_export_unknown_deck_is_usage_error(mini_env: dict[str, str]) -> None:
    code, _, err = run("decks", "export", "--deck", "nope", "--format", "json")
    assert code == 2 and "unknown deck 'nope'; decks: mini" in err


def test_schema_is_json_schema() -> None:
    code, out, _ = run("decks", "schema")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "DeckFile" and "cards" in schema["properties"]


def test_bad_database_is_a_clear_error(tmp_path: Path, mini_env: dict[str, str]) -> None:
    p = tmp_path / "notes.txt"
    p.write_text("not a db")
    code, _, err = run("--db", str(p), "decks", "list")
    assert code == 3 and "not an SQLite database" in err and "Traceback" not in err
    assert p.read_text() == "not a db"


def test_review_unknown_deck_is_usage_error(mini_env: dict[str, str]) -> None:
    code, _, err = run("review", "--deck", "nope")
    assert code == 2 and "unknown deck 'nope'" in err


def test_python_m_quizapp_runs_as_a_process(mini_env: dict[str, str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "quizapp", "decks", "list", "--json"],
        capture_output=True,
        text=True,
        env=mini_env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["id"] == "mini"
    proc = subprocess.run(
        [sys.executable, "-m", "quizapp", "no-such-command"],
        capture_output=True,
        text=True,
        env=mini_env,
        timeout=60,
    )
    assert proc.returncode == 2 and "invalid choice" in proc.stderr


def test_decks_list_loads_good_decks_next_to_a_crashing_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "mini.yaml").write_text((MINI / "mini.yaml").read_text(encoding="utf-8"))
    (decks / "deep.yaml").write_text("deck: deep\ntitle: T\ncards: " + "[" * 5000 + "]" * 5000)
    (decks / "bin.yaml").write_bytes(b"\x00\x01\x02\xff" * 100)
    monkeypatch.setenv("QUIZAPP_DECKS", str(decks))
    code, out, err = run("--db", str(tmp_path / "q.db"), "decks", "list", "--json")
    assert code == 0, err
    assert [d["id"] for d in json.loads(out)] == ["mini"]
    assert f"warning: {decks / 'deep.yaml'}:1: the file nests too deeply" in err
    assert f"warning: {decks / 'bin.yaml'}:1: this is a binary file" in err
    code, out, _ = run("decks", "check", str(decks))
    assert code == 1 and len(out.splitlines()) == 2


def test_database_damaged_past_its_first_page_exits_3(
    tmp_path: Path, mini_env: dict[str, str]
) -> None:
    db = tmp_path / "cli.db"
    assert run("--db", str(db), "decks", "list")[0] == 0
    from quizapp.store import Store

    with Store.open(db) as store:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.conn.execute("PRAGMA journal_mode = DELETE")
    data = bytearray(db.read_bytes())
    for off in range(4096, len(data), 4096):  # every page but the schema page
        data[off : off + 4096] = b"\x5a" * 4096
    db.write_bytes(bytes(data))
    for argv in (["decks", "list"], ["stats"]):
        code, _, err = run("--db", str(db), *argv)
        assert code == 3 and "not a usable quizapp database" in err, err
        assert "internal error" not in err


def test_locked_database_exits_3_with_a_clear_message(
    tmp_path: Path, mini_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    import quizapp.store as store_mod

    db = tmp_path / "cli.db"
    assert run("--db", str(db), "decks", "list")[0] == 0
    monkeypatch.setattr(store_mod, "BUSY_TIMEOUT_S", 0.2)
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    extra = tmp_path / "more"
    extra.mkdir()
    (extra / "m.yaml").write_text((MINI / "mini.yaml").read_text(encoding="utf-8"))
    monkeypatch.setenv("QUIZAPP_DECKS", str(extra))
    try:  # other decks: the card table must be written, which waits for the lock
        code, _, err = run("--db", str(db), "decks", "list")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert code == 3 and "is locked by another program" in err, err


@pytest.mark.parametrize(
    "argv", [("drill", "--seed", "-3"), ("drill", "l1_penalty", "--seed", "-1")]
)
def test_drill_bad_seed_is_one_line_and_exit_2(mini_env: dict[str, str], argv: tuple[str]) -> None:
    code, out, err = run(*argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "--seed must be a non-negative integer" in err


def test_command_map_matches_what_the_modules_register() -> None:
    """The lazy parser's table names, for every command, the module that registers it."""
    import argparse
    import importlib

    from quizapp.cli import _COMMAND_MODULES, _COMMANDS

    registered = {}
    for name in _COMMAND_MODULES:
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(f"quizapp.cli.{name}").register(sub)
        registered.update(dict.fromkeys(sub.choices, name))
    assert registered == _COMMANDS


@pytest.mark.parametrize(
    ("argv", "loaded"),
    [
        (["grade", "x", "y"], {"quizapp.cli.grade"}),
        (["--db", "stats", "decks", "list"], {"quizapp.cli.decks"}),
        (["--db=f", "--debug", "class", "report", "u"], {"quizapp.cli.sync"}),
        ([], set()),
    ],
)
def test_a_command_loads_only_its_own_module(argv: list[str], loaded: set[str]) -> None:
    code = (
        "import json, sys; from quizapp.cli import build_parser, _COMMAND_MODULES; "
        f"build_parser({argv!r}); "
        "print(json.dumps([m for m in sys.modules if m.startswith('quizapp.cli.') "
        "and m.rsplit('.', 1)[1] in _COMMAND_MODULES]))"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root)
    assert out.returncode == 0, out.stderr
    assert set(json.loads(out.stdout)) == loaded


@pytest.mark.parametrize("argv", [["--help"], ["nosuch"], ["--db", "x", "-h"], ["--", "bogus"]])
def test_help_and_unknown_commands_still_list_every_command(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    text = capsys.readouterr()
    listing = text.out + text.err
    assert exc.value.code in (0, 2)
    for command in ("review", "grade", "class", "storage", "workload"):
        assert command in listing


def test_a_command_after_the_db_option_runs(mini_env: dict[str, str], tmp_path: Path) -> None:
    code, out, _ = run("--db", str(tmp_path / "other.db"), "decks", "list", "--json")
    assert code == 0 and json.loads(out)


@pytest.mark.parametrize("passed", [True, False])
def test_grade_as_a_process_ends_fast_with_everything_written(tmp_path: Path, passed: bool) -> None:
    """`quizapp grade` skips the interpreter's teardown: its report still reaches a pipe
    whole, its exit status is the verdict's, and the attempt is in a closed database."""
    from quizapp.grading.catalog import get_task

    task = get_task("l2_penalty")
    answer = tmp_path / "answer.py"
    answer.write_text(task.solution if passed else "def l2_penalty(w, lam):\n    return 0.0\n")
    db = tmp_path / "grade.db"
    env = {**os.environ, "QUIZAPP_DB": str(db), "QUIZAPP_CACHE_DIR": str(tmp_path / "c")}
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-m", "quizapp", "grade", "--json", task.id, str(answer)],
        capture_output=True, text=True, cwd=root, env=env, timeout=120,
    )  # fmt: skip
    assert out.returncode == (0 if passed else 1), out.stderr
    report = json.loads(out.stdout)  # the whole JSON object arrived
    assert report["passed"] is passed
    assert not (tmp_path / "grade.db-wal").exists()  # closed: checkpointed and removed
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT task_id, passed FROM code_attempt").fetchall()
    finally:
        conn.close()
    assert rows == [(task.id, int(passed))]
