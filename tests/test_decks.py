"""The deck loader: every class of problem reported as file:line with a useful message."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from quizapp.decks import load_decks, load_file

MINI_DECKS = Path(__file__).parent / "fixtures" / "decks"

CARD = """\
  - id: {id}
    type: basic
    tags: [x]
    prompt: Q?
    answer: A.
    explanation: Why.
    source: {{beyond: "a book"}}
"""


def write(tmp_path: Path, name: str, body: str) -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(body), encoding="utf-8")
    return p


def problems(*paths: Path, **kw: object) -> list[str]:
    return [str(p) for p in load_decks(list(paths), **kw).problems]  # type: ignore[arg-type]


def test_mini_fixture_is_clean() -> None:
    ds = load_decks([MINI_DECKS])
    assert ds.problems == []
    assert [c.type for c in ds.decks[0].cards] == ["basic", "multiple_choice", "typed", "cloze"]


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    p = write(tmp_path, "bad.yaml", "deck: x\ntitle: T\ncards:\n  - id: a\n    prompt: [unclosed\n")
    (msg,) = problems(p)
    assert msg.startswith(f"{p}:") and "YAML syntax error" in msg
    assert int(msg.split(":")[1]) >= 5


def test_unknown_key_points_at_its_line(tmp_path: Path) -> None:
    body = "deck: x\ntitle: T\ncards:\n" + CARD.format(id="a") + "    colour: red\n"
    p = write(tmp_path, "k.yaml", body)
    assert problems(p) == [f"{p}:11: card `a`: unknown key `colour`"]


def test_missing_key(tmp_path: Path) -> None:
    body = "deck: x\ntitle: T\ncards:\n" + CARD.format(id="a").replace("    answer: A.\n", "")
    p = write(tmp_path, "m.yaml", body)
    assert problems(p) == [f"{p}:4: card `a`: missing key `answer`"]


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    a = write(tmp_path, "a.yaml", "deck: a\ntitle: A\ncards:\n" + CARD.format(id="same"))
    b = write(tmp_path, "b.yaml", "deck: b\ntitle: B\ncards:\n" + CARD.format(id="same"))
    (msg,) = problems(a, b)
    assert msg == f"{b}:4: duplicate card id `same` (first at {a}:4)"


def test_duplicate_yaml_key(tmp_path: Path) -> None:
    p = write(tmp_path, "d.yaml", "deck: a\ndeck: b\ntitle: T\ncards: []\n")
    assert problems(p) == [f"{p}:2: duplicate key `deck`"]


def test_cloze_without_gap(tmp_path: Path) -> None:
    body = """\
    deck: x
    title: T
    cards:
      - id: c
        type: cloze
        text: "no gap"
        explanation: e
        source: {beyond: b}
    """
    p = write(tmp_path, "c.yaml", body)
    (msg,) = problems(p)
    assert msg.startswith(f"{p}:6: card `c`: text: cloze text has no gap")


def test_multiple_choice_without_right_option(tmp_path: Path) -> None:
    body = """\
    deck: x
    title: T
    cards:
      - id: m
        type: multiple_choice
        prompt: p
        options:
          - {text: a}
          - {text: b}
        explanation: e
        source: {beyond: b}
    """
    p = write(tmp_path, "mc.yaml", body)
    (msg,) = problems(p)
    assert msg.startswith(f"{p}:8: card `m`: options: multiple choice without a right option")


def test_unknown_type_and_bad_source(tmp_path: Path) -> None:
    body = """\
    deck: x
    title: T
    cards:
      - id: t
        type: essay
      - id: s
        type: basic
        prompt: p
        answer: a
        explanation: e
        source: {seed: 009_nope.txt, section: S}
    """
    p = write(tmp_path, "t.yaml", body)
    msgs = problems(p)
    assert (
        f"{p}:5: card `t`: unknown card type; use one of: basic, cloze, multiple_choice, "
        "typed, numeric, code" in msgs
    )
    assert any(m.startswith(f"{p}:11: card `s`: source: unknown seed file") for m in msgs)


def test_numeric_and_code_cards_must_name_real_generators_and_tasks(tmp_path: Path) -> None:
    body = """\
    deck: x
    title: T
    cards:
      - id: n
        type: numeric
        example: no_such_kind
        explanation: e
        source: {beyond: b}
      - id: k
        type: code
        task: no_such_task
        explanation: e
        source: {beyond: b}
    """
    p = write(tmp_path, "n.yaml", body)
    msgs = problems(p, example_exists=lambda k: False, task_exists=lambda t: False)
    assert msgs == [
        f"{p}:4: unknown example kind `no_such_kind`; see `quizapp example --list`",
        f"{p}:9: unknown grading task `no_such_task`; see `quizapp tasks list`",
    ]


def test_one_bad_card_keeps_the_rest_of_the_file(tmp_path: Path) -> None:
    body = "deck: x\ntitle: T\ncards:\n" + CARD.format(id="good") + "  - id: bad\n    type: basic\n"
    p = write(tmp_path, "p.yaml", body)
    ds = load_decks([p])
    assert [c.id for c in ds.decks[0].cards] == ["good"]
    assert sorted(pr.message for pr in ds.problems) == [
        f"card `bad`: missing key `{key}`" for key in ("answer", "explanation", "prompt", "source")
    ]
    assert all(pr.line == 11 for pr in ds.problems)


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty deck file"),
        ("- just\n- a list\n", "a deck file is a mapping"),
        ("deck: x\ntitle: T\ncards: []\n", "cards: List should have at least 1 item"),
        ("deck: Bad Id\ntitle: T\ncards: []\n", "deck: ids use lowercase"),
    ],
)
def test_file_level_problems(tmp_path: Path, text: str, message: str) -> None:
    p = write(tmp_path, "f.yaml", text)
    msgs = problems(p)
    assert any(message in m for m in msgs), msgs


def test_unreadable_file(tmp_path: Path) -> None:
    p = tmp_path / "bin.yaml"
    p.write_bytes(b"\xff\xfe\x00garbage")
    _, _, probs = load_file(p)
    assert probs and "cannot read deck file" in probs[0].message


def test_same_deck_id_in_two_files(tmp_path: Path) -> None:
    a = write(tmp_path, "a.yaml", "deck: same\ntitle: A\ncards:\n" + CARD.format(id="a1"))
    b = write(tmp_path, "b.yaml", "deck: same\ntitle: B\ncards:\n" + CARD.format(id="b1"))
    msgs = problems(a, b)
    assert msgs == [f"{b}:1: deck id `same` is also used by {a}"]


def test_multiple_choice_with_more_options_than_keys(tmp_path: Path) -> None:
    options = "".join(f"      - {{text: o{i}, correct: {str(i == 0).lower()}}}\n" for i in range(7))
    body = (
        "deck: x\ntitle: T\ncards:\n  - id: m\n    type: multiple_choice\n    prompt: p\n"
        f"    options:\n{options}    explanation: e\n    source: {{beyond: b}}\n"
    )
    p = write(tmp_path, "seven.yaml", body)
    (msg,) = problems(p)
    assert msg.startswith(f"{p}:8: card `m`: options: List should have at most 6 items")
