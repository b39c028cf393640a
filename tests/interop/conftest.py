"""Helpers for the interop tests: the fixture decks, and Anki's own importer as the oracle."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from quizapp.decks import load_decks

INTERCHANGE = Path(__file__).parent.parent / "fixtures" / "interchange"
ALLTYPES = INTERCHANGE / "alltypes.yaml"
MINI = Path(__file__).parent.parent / "fixtures" / "decks" / "mini.yaml"


def deck_data(*paths: Path) -> list[Any]:
    from quizapp.interop.anki import DeckData

    deck_set = load_decks(list(paths))
    assert not deck_set.problems, deck_set.problems
    return [DeckData(d.id, d.title, d.cards) for d in deck_set.decks]


@pytest.fixture
def anki_col(tmp_path: Path) -> Iterator[Any]:
    """A fresh, empty Anki collection (Anki's own code: test-only, AGPL)."""
    collection = pytest.importorskip("anki.collection")
    (tmp_path / "anki").mkdir()
    col = collection.Collection(str(tmp_path / "anki" / "collection.anki2"))
    yield col
    col.close()


def anki_import(col: Any, apkg: Path, *, with_scheduling: bool = False) -> Any:
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    return col.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=str(apkg),
            options=ImportAnkiPackageOptions(with_scheduling=with_scheduling, merge_notetypes=True),
        )
    )


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    old = os.getcwd()
    os.chdir(tmp_path)
    yield tmp_path
    os.chdir(old)
