"""`quizapp example`: rendering, --json, --list, errors; called in-process and as a process."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from quizapp.cli import main
from quizapp.cli.env import Environment
from solvers.examples import KINDS, generate


def run(*argv: str) -> tuple[int, str, str]:
    env = Environment(stdout=io.StringIO(), stderr=io.StringIO())
    code = main(list(argv), env=env)
    return code, env.stdout.getvalue(), env.stderr.getvalue()  # type: ignore[attr-defined]


def test_list_prints_one_kind_per_line_name_first() -> None:
    code, out, err = run("example", "--list")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == list(KINDS)
    for line, kind in zip(lines, KINDS.values(), strict=True):
        assert line.endswith(kind.description)


def test_list_json() -> None:
    code, out, _ = run("example", "--list", "--json")
    assert code == 0
    assert [row["name"] for row in json.loads(out)] == list(KINDS)


def test_json_output_is_the_example() -> None:
    code, out, _ = run("example", "elastic_net_penalty", "--seed", "7", "--json")
    assert code == 0
    data = json.loads(out)
    assert data == generate("elastic_net_penalty", 7).to_dict()
    assert {"kind", "seed", "problem", "steps", "answer", "tolerance"} <= set(data)


def test_text_output_shows_problem_steps_answer_and_seed() -> None:
    ex = generate("early_stopping_trace", 3)
    code, out, _ = run("example", "early_stopping_trace", "--seed", "3")
    assert code == 0
    flat = " ".join(out.split())
    assert "seed 3" in out
    assert " ".join(ex.problem.split()) in flat  # brackets survive: no rich markup eaten
    for i, step in enumerate(ex.steps, 1):
        assert f"{i}." in out and " ".join(step.text.split()) in flat
    assert "Answer" in out and "--seed 3" in out


def test_without_seed_a_seed_is_picked_and_shown() -> None:
    code, out, _ = run("example", "l1_penalty", "--json")
    assert code == 0
    data = json.loads(out)
    assert data == generate("l1_penalty", data["seed"]).to_dict()
    code, out, _ = run("example", "l1_penalty")
    assert code == 0 and "seed " in out


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (("example", "no_such_kind"), "unknown example kind 'no_such_kind'"),
        (("example",), "--list"),
        (("example", "l1_penalty", "--seed", "-3"), "--seed"),
    ],
)
def test_usage_errors_exit_2_with_a_message_on_stderr(argv: tuple[str, ...], fragment: str) -> None:
    code, out, err = run(*argv)
    assert code == 2 and out == "" and fragment in err


def test_python_dash_m_quizapp_example_list() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "quizapp", "example", "--list"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].split()[0] == next(iter(KINDS))
