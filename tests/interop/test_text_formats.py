"""hascard, obsidian-SR and CSV/TSV: golden deck files, located problems, round trips."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from quizapp.decks import load_decks
from quizapp.errors import UsageError
from quizapp.interop import FORMATS, format_for_path, format_names, get_format
from quizapp.interop.importing import save_decks
from tests.interop.conftest import ALLTYPES, INTERCHANGE, MINI

EXPECTED = INTERCHANGE / "expected"
GOLDEN = [
    ("hascard.txt", "hascard", "hascard.yaml"),
    ("obsidian.md", "obsidian", "obsidian.yaml"),
    ("cards.csv", "csv", "cards.yaml"),
    ("cards_semicolon.csv", "csv", "cards-semicolon.yaml"),
    ("cards.tsv", "csv", "cards-tsv.yaml"),
]
PROBLEMS = {
    "hascard.txt": [
        (26, "a card starts with `# question`"),
        (28, "multiple choice with 7 options; quizapp shows at most 6"),
    ],
    "obsidian.md": [(27, "a card needs text on both sides")],
    "cards.csv": [(4, "empty front or back"), (5, "1 column(s)")],
    "cards_semicolon.csv": [],
    "cards.tsv": [],
}


def _import(name: str, dest: Path, deck: str | None = None) -> tuple[list, list]:
    src = INTERCHANGE / name
    fmt = format_for_path(src)
    result = fmt.load().read(src, deck, False)
    return save_decks(result, src, dest)


@pytest.mark.parametrize(("name", "fmt", "golden"), GOLDEN)
def test_import_matches_golden_deck_file(tmp_path: Path, name: str, fmt: str, golden: str) -> None:
    assert format_for_path(INTERCHANGE / name).name == fmt
    deck = "cards-tsv" if name == "cards.tsv" else None
    saved, problems = _import(name, tmp_path, deck)
    (s,) = saved
    text = s.path.read_text(encoding="utf-8")
    if os.environ.get("QUIZAPP_UPDATE_GOLDEN"):
        (EXPECTED / golden).write_text(text, encoding="utf-8")
    assert text == (EXPECTED / golden).read_text(encoding="utf-8")
    got = [(p.line, p.message) for p in problems]
    want = PROBLEMS[name]
    assert len(got) == len(want)
    for (line, msg), (wline, wmsg) in zip(got, want, strict=True):
        assert line == wline and wmsg in msg
    assert all(p.path == INTERCHANGE / name for p in problems)
    # what was written passes the same loader as `quizapp decks check`
    assert not load_decks([s.path]).problems


def test_golden_files_pass_decks_check() -> None:
    deck_set = load_decks(sorted(EXPECTED.glob("*.yaml")))
    assert not deck_set.problems
    assert len(deck_set.decks) == len(GOLDEN)


def test_reimport_updates_never_duplicates(tmp_path: Path) -> None:
    (first,), _ = _import("hascard.txt", tmp_path)
    (again,), _ = _import("hascard.txt", tmp_path)
    assert first.new == 6 and again.new == 0 and again.updated == 6
    # an edited answer keeps the card's id (ids come from the question)
    src = tmp_path / "hascard.txt"
    src.write_text((INTERCHANGE / "hascard.txt").read_text().replace("λ‖w‖²", "λ·Σw²"))
    result = get_format("hascard").load().read(src, "hascard", False)
    (edited,), _ = save_decks(result, src, tmp_path)
    assert edited.new == 0 and edited.updated == 6


def test_deck_option_and_id_clash_with_other_decks(tmp_path: Path) -> None:
    (s,), _ = _import("cards.csv", tmp_path / "a", deck="mini")
    assert s.deck_id == "mini"
    src = INTERCHANGE / "cards.csv"
    result = get_format("csv").load().read(src, "mini", False)
    saved, problems = save_decks(result, src, tmp_path / "b", other_decks=[MINI])
    assert saved == [] and not list((tmp_path / "b").glob("*.yaml"))
    assert any("deck id `mini` is also used by" in p.message for p in problems)


def test_nothing_written_when_nothing_reads(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    result = get_format("csv").load().read(bad, None, False)
    saved, problems = save_decks(result, bad, tmp_path / "decks")
    assert saved == [] and not (tmp_path / "decks").exists()
    assert problems[0].line == 1 and "header" in problems[0].message


def test_registry() -> None:
    assert format_names() == ["apkg", "hascard", "obsidian", "csv"]
    assert format_names("history") == ["history"]
    with pytest.raises(UsageError, match="apkg, hascard, obsidian, csv"):
        get_format("docx")
    with pytest.raises(UsageError, match="--format"):
        format_for_path(Path("x.docx"))
    assert format_for_path(Path("x.colpkg")).name == "apkg"
    for fmt in FORMATS.values():
        module = fmt.load()
        assert any(hasattr(module, w) for w in ("write", "write_apkg", "write_history"))


@pytest.mark.parametrize("deck_file", [ALLTYPES, MINI], ids=["alltypes", "mini"])
@pytest.mark.parametrize("fmt", ["csv", "hascard", "obsidian"])
def test_round_trip_every_text_format(tmp_path: Path, fmt: str, deck_file: Path) -> None:
    """export → import: every card comes back, basic cards exactly."""
    deck_set = load_decks([deck_file])
    cards = [c for _, c in deck_set.cards()]
    module = get_format(fmt).load()
    buf = io.StringIO()
    assert module.write(cards, buf) == len(cards)
    ext = {"csv": ".csv", "hascard": ".txt", "obsidian": ".md"}[fmt]
    out = tmp_path / f"export{ext}"
    out.write_text(buf.getvalue(), encoding="utf-8")
    assert format_for_path(out).name == fmt
    result = module.read(out, "rt", False)
    assert not result.problems, result.problems
    (deck,) = result.decks
    back = [raw for _, raw in deck.cards]
    assert len(back) >= len(cards)
    basics = {c.prompt.strip(): c.answer.strip() for c in cards if c.type == "basic"}
    got = {r["prompt"]: r["answer"] for r in back if r["type"] == "basic"}
    for prompt, answer in basics.items():
        assert got[prompt] == answer
    if fmt == "hascard":  # hascard has choice and typed cards of its own
        mcs = {r["prompt"]: r for r in back if r["type"] == "multiple_choice"}
        for c in cards:
            if c.type == "multiple_choice":
                opts = [(o["text"], o.get("correct", False)) for o in mcs[c.prompt]["options"]]
                assert opts == [(o.text, o.correct) for o in c.options]
        typed = {tuple(r["accept"]) for r in back if r["type"] == "typed"}
        assert {tuple(c.accept) for c in cards if c.type == "typed"} <= typed
    if fmt in ("obsidian", "csv"):  # csv: every card is basic; obsidian: all but clozes
        from quizapp.cardtext import face, numeric_seed

        fronts = [r["prompt"] for r in back if r["type"] == "basic"]
        expected = [c for c in cards if fmt == "csv" or c.type != "cloze"]
        assert len(fronts) == len(expected)
        for c in expected:
            lead = face(c, seed=numeric_seed(c.id, 0)).front.strip().split("\n")[0]
            assert any(f.startswith(lead) for f in fronts), lead
    if fmt == "obsidian":  # one cloze card per deletion; a one-gap cloze comes back as it was
        texts = [r["text"] for r in back if r["type"] == "cloze"]
        clozes = [c for c in cards if c.type == "cloze"]
        assert len(texts) == sum(len(c.gaps()) for c in clozes)
        assert all(c.text in texts for c in clozes if len(c.gaps()) == 1)
    saved, problems = save_decks(result, out, tmp_path / "decks")
    assert saved and not problems


def test_obsidian_inline_tags_and_comments() -> None:
    from quizapp.interop import obsidian

    text = (
        "#flashcards/l1\n"
        "Lasso penalty::λ‖w‖₁ <!--SR:!2026-01-03,3,250-->\n"
        "#flashcards/l2/ridge Ridge penalty::λ‖w‖²\n"
        "\n"
        "#flashcards\n"
        "Plain::card\n"
    )
    result = obsidian.parse(text, Path("n.md"), "n")
    cards = [(line, raw) for line, raw in result.decks[0].cards]
    assert [(line, raw["prompt"], raw["answer"], raw["tags"]) for line, raw in cards] == [
        (2, "Lasso penalty", "λ‖w‖₁", ["l1"]),
        (3, "Ridge penalty", "λ‖w‖²", ["l1", "l2/ridge"]),
        (6, "Plain", "card", []),
    ]


def test_hascard_multiple_answer_with_x_and_located_choice_errors() -> None:
    from quizapp.interop import hascard

    text = "# pick\n[x] a\n[ ] b\n[X] c\n---\n# two right\n* a\n* b\n- c\n---\n# dup\n* a\n- a\n"
    result = hascard.parse(text, Path("h.txt"), "h")
    (mc,) = [raw for _, raw in result.decks[0].cards]
    assert [o["correct"] for o in mc["options"]] == [True, False, True]
    assert [(p.line, p.message.split(";")[0]) for p in result.problems] == [
        (6, "a multiple-choice card has exactly one `*` (right) option"),
        (11, "multiple choice with two options of the same text"),
    ]
