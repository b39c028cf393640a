"""The deck loader: every class of problem reported as file:line with a useful message."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

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
    assert problems(p) == [
        f"{p}:11: card `a`: unknown key `colour`; "
        "allowed here: id, tags, tasks, explanation, source, figure, type, prompt, answer"
    ]


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
    assert problems(p) == [f"{p}:2: duplicate key `deck`; keep one"]


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
        "typed, numeric, code, chain" in msgs
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
        ("deck: x\ntitle: T\ncards: []\n", "cards: needs at least 1 entry"),
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
    assert probs and "UTF-16" in probs[0].message and "save it as UTF-8" in probs[0].message


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
    assert msg.startswith(f"{p}:8: card `m`: options: has more than 6 entries; keep at most 6")


# ------------------------------------------------------------------ adversarial files


def deck_text(*cards: str, deck: str = "x") -> str:
    return f"deck: {deck}\ntitle: T\ncards:\n" + "".join(cards)


def test_deep_nesting_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    bad = tmp_path / "deep.yaml"
    bad.write_text(deck_text(CARD.format(id="d1")).replace("A.", "[" * 5000 + "]" * 5000))
    good = write(tmp_path, "good.yaml", deck_text(CARD.format(id="g1"), deck="good"))
    ds = load_decks([bad, good])
    assert [str(p) for p in ds.problems] == [
        f"{bad}:1: the file nests too deeply (or an alias refers to itself)"
    ]
    assert [d.id for d in ds.decks] == ["good"]


def test_self_referencing_alias(tmp_path: Path) -> None:
    p = write(tmp_path, "rec.yaml", "deck: x\ntitle: T\ncards: &c\n  - *c\n")
    (msg,) = problems(p)
    assert "refers to itself" in msg


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    rows = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefg", "bcdefgh", strict=True):
        rows.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    p = write(tmp_path, "bomb.yaml", "\n".join(rows) + "\n")
    (msg,) = problems(p)
    assert "aliases here expand to more than" in msg


def test_duplicate_id_in_one_file_names_both_lines(tmp_path: Path) -> None:
    p = write(tmp_path, "dup.yaml", deck_text(CARD.format(id="d1"), CARD.format(id="d1")))
    assert problems(p) == [f"{p}:11: duplicate card id `d1` (first at {p}:4)"]


def test_duplicate_id_across_files_names_both(tmp_path: Path) -> None:
    a = write(tmp_path, "a.yaml", deck_text(CARD.format(id="s"), deck="a"))
    b = write(tmp_path, "b.yaml", deck_text(CARD.format(id="z"), CARD.format(id="s"), deck="b"))
    assert problems(a, b) == [f"{b}:11: duplicate card id `s` (first at {a}:4)"]


def test_anchors_aliases_and_merge_keys_are_supported(tmp_path: Path) -> None:
    body = deck_text(
        "  - &base\n    " + CARD.format(id="a1").removeprefix("  - "),
        "  - <<: *base\n    id: a2\n    prompt: Other?\n",
        "  - <<: *base\n    id: a3\n    bogus: 1\n",
    )
    p = write(tmp_path, "m.yaml", body)
    ds = load_decks([p])
    assert [str(x) for x in ds.problems] == [
        f"{p}:17: card `a3`: unknown key `bogus`; allowed here: "
        "id, tags, tasks, explanation, source, figure, type, prompt, answer"
    ]
    cards = {c.id: c for _, c in ds.cards()}
    assert cards["a2"].prompt == "Other?" and cards["a2"].answer == "A."


def test_python_tags_are_refused(tmp_path: Path) -> None:
    body = deck_text(CARD.format(id="p1")).replace(
        "answer: A.", "answer: !!python/object/apply:os.system ['echo hi']"
    )
    p = write(tmp_path, "py.yaml", body)
    (msg,) = problems(p)
    assert msg.startswith(f"{p}:8: YAML tag `!!python/object/apply:os.system` is not allowed")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("The {{c1::}} gap", "empty gap `{{c1::}} gap`"),
        ("The {{c1::}} gap and {{c2::b}}", "empty gap"),
        ("The {{c1::a gap", "gap `{{c1::a gap` is not closed"),
        ("The {{c1::a}} and {{c2::b gap", "gap `{{c2::b gap` is not closed"),
        ("The {{c::a}} gap", "malformed gap"),
    ],
)
def test_bad_cloze_gaps(tmp_path: Path, text: str, message: str) -> None:
    card = (
        f'  - id: c\n    type: cloze\n    text: "{text}"\n    explanation: e\n'
        "    source: {beyond: b}\n"
    )
    p = write(tmp_path, "c.yaml", deck_text(card))
    (msg,) = problems(p)
    assert msg.startswith(f"{p}:6: card `c`: text: ") and message in msg, msg


def test_cloze_gap_numbers_with_holes_are_fine(tmp_path: Path) -> None:
    card = (
        '  - id: c\n    type: cloze\n    text: "{{c1::a}} and {{c3::b}}"\n    explanation: e\n'
        "    source: {beyond: b}\n"
    )
    ds = load_decks([write(tmp_path, "c.yaml", deck_text(card))])
    assert ds.problems == [] and ds.decks[0].cards[0].gaps() == ["a", "b"]


def test_correct_must_be_a_real_boolean(tmp_path: Path) -> None:
    card = (
        "  - id: m\n    type: multiple_choice\n    prompt: p\n    options:\n"
        '      - {text: A, correct: "yes"}\n      - {text: B}\n    explanation: e\n'
        "    source: {beyond: b}\n"
    )
    p = write(tmp_path, "m.yaml", deck_text(card))
    (msg,) = problems(p)
    assert msg == f"{p}:8: card `m`: options.0.correct: write `true` or `false`, not the text 'yes'"


def test_latin1_bytes_point_at_the_line(tmp_path: Path) -> None:
    p = tmp_path / "l.yaml"
    p.write_bytes(deck_text(CARD.format(id="l1")).replace("A.", "Caf\xe9").encode("latin-1"))
    (msg,) = problems(p)
    assert msg == f"{p}:8: not valid UTF-8 (byte 0xe9 at column 16); save the file as UTF-8"


def test_binary_file(tmp_path: Path) -> None:
    p = tmp_path / "b.yaml"
    p.write_bytes(bytes(range(256)) * 4)
    assert problems(p) == [f"{p}:1: this is a binary file, not a YAML deck file"]


def test_nul_character_points_at_the_line(tmp_path: Path) -> None:
    p = write(tmp_path, "n.yaml", deck_text(CARD.format(id="n1")).replace("A.", "A\x00."))
    assert problems(p) == [f"{p}:8: character U+0000 is not allowed in a YAML file; remove it"]


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    p = tmp_path / "bom.yaml"
    p.write_bytes(b"\xef\xbb\xbf" + deck_text(CARD.format(id="b1")).encode())
    assert problems(p) == []


def test_tab_indentation_says_so(tmp_path: Path) -> None:
    p = write(tmp_path, "t.yaml", deck_text(CARD.format(id="t1")).replace("    prompt", "\tprompt"))
    (msg,) = problems(p)
    assert msg.startswith(f"{p}:7: YAML syntax error") and "YAML needs spaces" in msg


def test_two_documents_say_what_to_do(tmp_path: Path) -> None:
    p = write(tmp_path, "two.yaml", deck_text(CARD.format(id="a")) + "---\n" + deck_text())
    (msg,) = problems(p)
    assert msg.startswith(f"{p}:11: YAML syntax error") and "remove the `---` line" in msg


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "  - [a, b]\n",
            ":11: each entry under `cards:` must be a card (a mapping with id, type, …), "
            "not a list",
        ),
        ("  - just text\n", ":11: each entry under `cards:` must be a card"),
        ("  -\n", ":11: each entry under `cards:` must be a card"),
    ],
)
def test_card_that_is_not_a_mapping(tmp_path: Path, extra: str, message: str) -> None:
    p = write(tmp_path, "c.yaml", deck_text(CARD.format(id="ok")) + extra)
    (msg,) = problems(p)
    assert msg.startswith(f"{p}{message}"), msg


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("tags: [x]", 'tags: "a string"', ":6: card `t`: tags: expected a list"),
        ("tags: [x]", "tags: [1, 2]", ":6: card `t`: tags.0: expected text, not the number 1; put"),
        ("A.", "2024-01-01", ":8: card `t`: answer: expected text, not the date 2024-01-01"),
        ("author", "author", ""),
    ],
)
def test_wrong_value_types_say_what_to_write(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    p = write(tmp_path, "v.yaml", deck_text(CARD.format(id="t")).replace(old, new))
    msgs = problems(p)
    assert (msgs == []) if not message else msgs[0].startswith(f"{p}{message}"), msgs


def test_unknown_top_level_key_lists_the_allowed_ones(tmp_path: Path) -> None:
    p = write(tmp_path, "u.yaml", "deck: x\ntitle: T\nauthor: me\ncards:\n" + CARD.format(id="u"))
    assert problems(p) == [
        f"{p}:3: unknown key `author`; allowed here: deck, title, description, order, cards"
    ]


def test_big_file_with_one_broken_card_keeps_the_rest(tmp_path: Path) -> None:
    cards = [CARD.format(id=f"c{i}") for i in range(2000)]
    cards[1000] = cards[1000].replace("type: basic", "type: essay")
    p = write(tmp_path, "big.yaml", deck_text(*cards))
    ds = load_decks([p])
    assert [str(x) for x in ds.problems] == [
        f"{p}:{4 + 7 * 1000 + 1}: card `c1000`: unknown card type; "
        "use one of: basic, cloze, multiple_choice, typed, numeric, code, chain"
    ]
    assert len(ds.decks[0].cards) == 1999


def test_device_file_is_not_read_forever() -> None:
    (msg,) = problems(Path("/dev/zero"))
    assert msg == "/dev/zero:1: not a regular file; pass a .yaml deck file or a folder"


@pytest.mark.parametrize("loader", ["SafeLoader", "CSafeLoader"])
@pytest.mark.parametrize("depth", [50, 1500, 5000])
def test_depth_problems_do_not_depend_on_the_yaml_release(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loader: str, depth: int
) -> None:
    """libyaml has a nesting limit since PyYAML 6.0.4; the outcome is the same either way."""
    import quizapp.decks as decks_mod

    if not hasattr(yaml, loader):
        pytest.skip(f"PyYAML built without {loader}")
    monkeypatch.setattr(decks_mod, "_LOADER_CLS", getattr(yaml, loader))
    bad = tmp_path / "deep.yaml"
    bad.write_text(deck_text(CARD.format(id="d1")).replace("A.", "[" * depth + "]" * depth))
    broken = tmp_path / "broken.yaml"
    broken.write_text(deck_text(CARD.format(id="b1"), deck="broken").replace("A.", "[" * depth))
    good = write(tmp_path, "good.yaml", deck_text(CARD.format(id="g1"), deck="good"))
    ds = load_decks([bad, broken, good])
    assert "good" in [d.id for d in ds.decks]
    by_file = {p.path.name: p for p in ds.problems}
    assert "good.yaml" not in by_file
    if depth > 50:
        assert by_file["deep.yaml"].line == 1 and "nests too deeply" in by_file["deep.yaml"].message
    # An unclosed bracket is either too deep or a located syntax error, never a crash.
    assert by_file["broken.yaml"].line >= 1


def _cloze(text: str, extra: str = "") -> str:
    return (
        f"  - id: c\n    type: cloze\n    text: '{text}'\n{extra}    explanation: e\n"
        "    source: {beyond: b}\n"
    )


def test_gap_alternatives_and_accept_map(tmp_path: Path) -> None:
    extra = "    accept:\n      c2: [abs(x), '|x|']\n"
    p = write(tmp_path, "c.yaml", deck_text(_cloze(r"{{c1::a|b::hint}} and {{c2::\|x\|}}", extra)))
    ds = load_decks([p])
    assert ds.problems == []
    card = ds.decks[0].cards[0]
    assert card.gaps() == ["a", "|x|"]
    assert card.gap_answers() == [["a", "b"], ["|x|", "abs(x)", "|x|"]]
    assert card.answer_text == "**a** and **|x|**"
    assert card.prompt_text == "[hint] and […]"


@pytest.mark.parametrize(
    ("text", "extra", "line", "message"),
    [
        ("{{c1::|x|}}", "", 6, r"write a literal bar (an absolute value) as `\|`"),
        ("{{c1::max |x| / n}}", "", 6, "splits at `|`"),
        ("{{c1::a||b}}", "", 6, "splits at `|`"),
        ("{{c1::a}}", "    accept:\n      c2: [b]\n", 8, "accept: `c2` is not a gap"),
        ("{{c1::a}}", "    accept:\n      c1: []\n", 8, "accept: `c1` needs a list"),
        ("{{c1::a}}", "    accept:\n      c1: ['  ']\n", 8, "accept: `c1` needs a list"),
        ("{{c1::a}}", "    accept: [b]\n", 7, "accept"),
    ],
)
def test_bad_alternatives_are_located_problems(
    tmp_path: Path, text: str, extra: str, line: int, message: str
) -> None:
    p = write(tmp_path, "c.yaml", deck_text(_cloze(text, extra)))
    (msg,) = problems(p)
    assert msg.startswith(f"{p}:{line}: card `c`: ") and message in msg, msg


def test_decks_are_ordered_by_their_order_field(tmp_path: Path) -> None:
    a = write(tmp_path, "a.yaml", deck_text(CARD.format(id="a1"), deck="a"))
    b = write(
        tmp_path,
        "b.yaml",
        deck_text(CARD.format(id="b1"), deck="b").replace("title: T\n", "title: T\norder: 5\n", 1),
    )
    c = write(
        tmp_path,
        "c.yaml",
        deck_text(CARD.format(id="c1"), deck="c").replace(
            "title: T\n", "title: T\norder: 100\n", 1
        ),
    )
    ds = load_decks([a, b, c])
    assert not ds.problems
    assert [d.id for d in ds.decks] == ["b", "a", "c"]  # 5, then 100 and 100 in path order
    bad = write(
        tmp_path,
        "d.yaml",
        deck_text(CARD.format(id="d1"), deck="d").replace(
            "title: T\n", "title: T\norder: first\n", 1
        ),
    )
    (problem,) = load_decks([bad]).problems
    assert problem.line == 3 and "order" in problem.message


def test_shipped_decks_start_with_the_fundamentals() -> None:
    from quizapp.paths import bundled_decks_dir

    ids = [d.id for d in load_decks([bundled_decks_dir()]).decks]
    assert ids[:3] == ["overfitting", "l2", "l1"]
    assert ids.index("alignment") > ids.index("dropout")
