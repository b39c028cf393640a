"""From an importer's `ImportResult` to deck files that `quizapp decks check` accepts.

Why here and not in each reader: ids, sources and the write-then-check step must be the same
for every format. Card ids are derived from the note (an Anki note's guid, or the question's
text), so importing the same file again rewrites the same cards instead of adding copies, and
the review history stays attached. A deck file is written to a temporary name, checked with
the same loader as `decks check` (together with the other decks, so an id clash is caught),
and only then renamed into place: on any problem nothing is written.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from quizapp.decks import Problem
from quizapp.interop.records import ImportedDeck, ImportResult

_KEY_ORDER = ("id", "type", "tags", "prompt", "text", "answer", "accept", "options")
_SLUG_RE = re.compile(r"[^a-z0-9]+")


def slug(text: str, fallback: str = "imported") -> str:
    """A deck id from a name: lowercase ASCII letters, digits and '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = _SLUG_RE.sub("-", ascii_text.lower()).strip("-")[:60].strip("-")
    return out or fallback


def card_id(deck_id: str, key: str) -> str:
    """Deterministic: the same note in the same deck always gets the same id."""
    return f"{deck_id}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"


def text_key(text: str) -> str:
    """The part of a question that identifies it: case, spacing and markup ignored."""
    return " ".join(re.sub(r"[*_`]", "", text).lower().split())


def imported_source(path: Path, line: int | None = None) -> dict[str, str]:
    where = f"{path.name}:{line}" if line else path.name
    return {"beyond": f"imported from {where}"}


def explanation_or_default(text: str | None, path: Path) -> str:
    text = (text or "").strip()
    return text or f"(no explanation in {path.name})"


class _BlockDumper(yaml.SafeDumper):
    """Multi-line text as `|` blocks, so imported decks stay readable and diff well."""


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if "\n" in data and not any(c in data for c in "\t\r") and data == data.strip(" "):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_BlockDumper.add_representer(str, _str_presenter)


def deck_yaml(deck: dict[str, Any]) -> str:
    return yaml.dump(deck, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=100)


@dataclass
class Saved:
    path: Path
    deck_id: str
    cards: int
    new: int
    updated: int
    by_type: dict[str, int] = field(default_factory=dict)


def validate_cards(deck: ImportedDeck, src: Path) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Each raw card through the deck model; a bad one becomes a located problem."""
    from pydantic import ValidationError

    from quizapp.decks import _CARD_ADAPTER

    good: list[dict[str, Any]] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for line, raw in deck.cards:
        if raw.get("id") in seen:
            problems.append(Problem(src, line, "the same question again; kept the first one"))
            continue
        try:
            model = _CARD_ADAPTER().validate_python(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"] if p not in (raw.get("type"),))
            msg = str(err["msg"]).removeprefix("Value error, ")
            text = f"{where}: {msg}" if where else msg
            if src.suffix.lower() in (".apkg", ".colpkg"):  # no lines: name the note instead
                text = f"{raw.get('source', {}).get('beyond', '')}: {text}"
            problems.append(Problem(src, line, text))
            continue
        seen.add(model.id)
        good.append(model.model_dump(mode="json", exclude_none=True, exclude_defaults=False))
    return good, problems


MAX_IMPORT_CARDS = 50_000  # one import: every deck file is validated (and re-read) whole


def save_decks(
    result: ImportResult, src: Path, dest_dir: Path, other_decks: list[Path] | None = None
) -> tuple[list[Saved], list[Problem]]:
    """Write each imported deck to `dest_dir/ID.yaml`, checked first; all or nothing.

    Returns what was saved and the problems: the reader's (lines it skipped) plus any that
    stopped the write (then nothing was saved).
    """
    from quizapp.decks import load_decks, load_file

    problems = list(result.problems)
    total = sum(len(deck.cards) for deck in result.decks)
    if total > MAX_IMPORT_CARDS:  # a 15 MB CSV of a million rows took tens of minutes
        beyond = [line for deck in result.decks for line, _ in deck.cards][MAX_IMPORT_CARDS]
        return [], [
            *problems,
            Problem(
                src,
                beyond,
                f"{total:,} cards in one import; the limit is {MAX_IMPORT_CARDS:,} "
                "(split the file); nothing was written",
            ),
        ]
    prepared: list[tuple[Path, str, ImportedDeck, list[dict[str, Any]]]] = []
    for deck in result.decks:
        cards, bad = validate_cards(deck, src)
        problems.extend(bad)
        if not cards:
            problems.append(Problem(src, 1, f"no card could be read for deck `{deck.id}`"))
            continue
        for i, card in enumerate(cards):  # keep files short: drop empty defaults
            cards[i] = card = {k: card[k] for k in _KEY_ORDER if k in card} | card
            for empty in ("tags", "tasks"):
                if not card.get(empty):
                    card.pop(empty, None)
            for opt in card.get("options", []):
                if not opt.get("correct"):
                    opt.pop("correct", None)
        body: dict[str, Any] = {
            "deck": deck.id,
            "title": deck.title,
            "description": deck.description,
        }
        if not deck.description:
            body.pop("description")
        body["cards"] = cards
        prepared.append((dest_dir / f"{deck.id}.yaml", deck_yaml(body), deck, cards))
    problems.sort(key=lambda p: (str(p.path), p.line))
    if not prepared:
        return [], problems
    try:
        dest_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return [], [*problems, Problem(dest_dir, 1, f"cannot create the deck folder: {exc}")]
    temps: list[tuple[Path, Path]] = []
    try:
        for target, text, _, _ in prepared:
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            temps.append((tmp, target))
        # Check the new files with the decks they will sit beside (duplicate ids, deck ids).
        targets = {t for _, t in temps}
        others = [
            p for p in (other_decks or []) if p.resolve() not in {t.resolve() for t in targets}
        ]
        check = load_decks([*others, *(tmp for tmp, _ in temps)])
        tmp_names = {tmp: target for tmp, target in temps}
        stop = [
            Problem(tmp_names[p.path], p.line, p.message)
            for p in check.problems
            if p.path in tmp_names
        ]
        if stop:
            return [], [*problems, *stop]
        saved: list[Saved] = []
        for (_tmp, target), (_, _, deck, cards) in zip(temps, prepared, strict=True):
            old_ids: set[str] = set()
            if target.exists():
                model, _, _ = load_file(target)
                if model is not None:
                    old_ids = {c.id for c in model.cards}
            by_type: dict[str, int] = {}
            for c in cards:
                by_type[c["type"]] = by_type.get(c["type"], 0) + 1
            ids = {c["id"] for c in cards}
            saved.append(
                Saved(target, deck.id, len(cards), len(ids - old_ids), len(ids & old_ids), by_type)
            )
        for tmp, target in temps:
            os.replace(tmp, target)
        temps = []
        return saved, problems
    except OSError as exc:
        return [], [*problems, Problem(dest_dir, 1, f"cannot write the deck file: {exc}")]
    finally:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
