"""Per-file validation cache: an edit to one deck file re-parses that file only.

Why: parsing YAML with line marks and validating 100,000 cards takes tens of seconds, and the
catalog cache (catalog.py) is keyed on every deck file together, so any edit used to redo all
of them. Here each file's result (the validated model, its card lines and its problems) is kept
in the user cache dir under a key made of the file's content hash and the loader's own version
(quizapp's version plus decks.py's size and mtime, so a changed rule never serves a stale
verdict). A hit rebuilds the model from JSON with pydantic, which is fast next to the YAML parse;
the cross-file checks (duplicate ids, unknown tasks) still run over every file in `load_decks`.
A cache that cannot be read or written only costs a re-parse.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizapp.decks import DeckFile, Problem

FORMAT = 1
_FOLDER = "deckfiles"


@cache
def _code_key() -> str:
    from quizapp import __version__, decks

    st = os.stat(decks.__file__)
    return f"{FORMAT}:{__version__}:{st.st_size}:{st.st_mtime_ns}"


def _entry_path(cache_dir: Path, path: Path) -> Path:
    name = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:32]
    return cache_dir / _FOLDER / f"{name}.json"


def load_file(
    path: Path, cache_dir: Path
) -> tuple[DeckFile | None, dict[str, int], list[int], list[Problem]]:
    """As `decks._load_file`, from the cache when this exact content was validated before."""
    from quizapp import decks

    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    except OSError:
        digest = None
    if digest is None:  # folders, FIFOs, unreadable files: the loader says what is wrong
        return decks._load_file(path)
    key = f"{_code_key()}:{digest}"
    entry = _entry_path(cache_dir, path)
    hit = _read(entry, key)
    if hit is not None:
        try:
            model = (
                decks.DeckFile.model_validate(hit["model"]) if hit["model"] is not None else None
            )
            problems = [decks.Problem(path, int(line), str(msg)) for line, msg in hit["problems"]]
            return model, dict(hit["card_lines"]), list(hit["good_lines"]), problems
        except (KeyError, TypeError, ValueError):
            pass  # a damaged or foreign entry: parse again below
    model, card_lines, good_lines, problems = decks._load_file(path)
    _write(
        entry,
        {
            "key": key,
            "model": None if model is None else model.model_dump(mode="json"),
            "card_lines": card_lines,
            "good_lines": good_lines,
            "problems": [[p.line, p.message] for p in problems],
        },
    )
    return model, card_lines, good_lines, problems


def _read(entry: Path, key: str) -> dict[str, Any] | None:
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("key") == key else None


def _write(entry: Path, data: dict[str, Any]) -> None:
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, entry)
    except OSError:
        pass
