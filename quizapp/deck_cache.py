"""Per-file validation cache: an edit to one deck file re-parses that file only.

Why: parsing YAML with line marks and validating 100,000 cards takes tens of seconds, and the
catalog cache (catalog.py) is keyed on every deck file together, so any edit used to redo all
of them. Here each file's result is kept in the user cache dir under a key made of the file's
content hash and the loader's own version (quizapp's version plus decks.py's size and mtime,
so a changed rule never serves a stale verdict).

An entry is two parts in one file: a small header (the deck's title, its card ids and lines,
what the cross-file checks need, the file's problems) on the first line, and the cards' JSON
after it. A hit decodes the header only: the cross-file checks (duplicate ids, unknown tasks)
run over every file in `load_decks` from the headers, and the cards are decoded (and turned
into models) only when someone asks for them. Decoding and re-validating every cached card,
as this module's first format did, cost about a second per 20,000 cards on every start.
A cache that cannot be read or written only costs a re-parse.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

FORMAT = 4  # 2: one JSON value per entry; 3: header line + body; 4: types and tags in it
_FOLDER = "deckfiles"


def _entry_path(cache_dir: Path, path: Path) -> Path:
    name = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:32]
    return cache_dir / _FOLDER / f"{name}.json"


def entry_key(path: Path, code_key: str) -> str | None:
    """The cache key of this file's current content, or None when it is not a regular
    readable file (folders, FIFOs, unreadable files: the loader says what is wrong)."""
    try:
        if not path.is_file():
            return None
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
    return f"{FORMAT}:{code_key}:{digest}"


def read_entry(path: Path, cache_dir: Path, key: str) -> tuple[dict[str, Any], bytes] | None:
    """(header, body) stored for `path` under `key`, or None (no entry, another key, damaged).
    The body is returned undecoded: the caller decodes it when it needs it."""
    try:
        data = _entry_path(cache_dir, path).read_bytes()
    except OSError:
        return None
    head, _, body = data.partition(b"\n")
    try:
        header = json.loads(head)
    except ValueError:
        return None
    if not isinstance(header, dict) or header.get("key") != key:
        return None
    value = header.get("value")
    return (value, body) if isinstance(value, dict) else None


def write_entry(path: Path, cache_dir: Path, key: str, header: dict[str, Any], body: str) -> bool:
    """Store `header` (JSON) and `body` (text without a leading newline) for `path`,
    atomically; a cache dir that cannot be written is not an error (False)."""
    entry = _entry_path(cache_dir, path)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
        # json.dumps escapes newlines inside strings, so the first newline ends the header.
        text = json.dumps({"key": key, "value": header}, ensure_ascii=False) + "\n" + body
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, entry)
    except OSError:
        return False
    return True


def cached(
    path: Path, cache_dir: Path, code_key: str, compute: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """`compute()`'s JSON result for this exact file content and loader version, from the
    cache when it has it. This module knows nothing of deck models, so the loader (decks.py)
    and this module do not import each other."""
    key = entry_key(path, code_key)
    if key is None:
        return compute()
    hit = read_entry(path, cache_dir, key)
    if hit is not None:
        return dict(hit[0])
    value = compute()
    write_entry(path, cache_dir, key, value, "")
    return value
