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
from collections.abc import Callable
from pathlib import Path
from typing import Any

FORMAT = 2
_FOLDER = "deckfiles"


def _entry_path(cache_dir: Path, path: Path) -> Path:
    name = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:32]
    return cache_dir / _FOLDER / f"{name}.json"


def cached(
    path: Path, cache_dir: Path, code_key: str, compute: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """`compute()`'s JSON result for this exact file content and loader version, from the
    cache when it has it. The loader (decks.py) turns it back into models; this module knows
    nothing of deck models, so the two do not import each other."""
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    except OSError:
        digest = None
    if digest is None:  # folders, FIFOs, unreadable files: the loader says what is wrong
        return compute()
    key = f"{FORMAT}:{code_key}:{digest}"
    entry = _entry_path(cache_dir, path)
    hit = _read(entry, key)
    if hit is not None and isinstance(hit.get("value"), dict):
        return dict(hit["value"])
    value = compute()
    _write(entry, {"key": key, "value": value})
    return value


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
