"""Every path the app reads or writes, in one place (platformdirs for user data).

Directories are created when first written, never at import. The deck search path lives here
too, so the deck loader and the cached catalog both depend on this module, not on each other.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

APP_NAME = "quizapp"


def data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    override = os.environ.get("QUIZAPP_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    return data_dir() / "quizapp.db"


def resolve_db_path(explicit: Path | None, environ: dict[str, str] | None = None) -> Path:
    """--db wins, then $QUIZAPP_DB, then the user data dir."""
    if explicit is not None:
        return explicit
    env = os.environ if environ is None else environ
    if env.get("QUIZAPP_DB"):
        return Path(env["QUIZAPP_DB"]).expanduser()
    return default_db_path()


def bundled_decks_dir() -> Path:
    """The decks shipped inside the package (`decks/` in the source tree)."""
    here = Path(__file__).resolve().parent
    for folder in (here / "deckfiles", here.parent / "decks"):  # installed; a checkout
        if folder.is_dir():  # found without importlib.resources (~7 ms at start-up)
            return folder
    try:  # a zipped or otherwise unusual install
        from importlib.resources import files

        return Path(str(files("quizapp.deckfiles")))
    except ModuleNotFoundError:
        return here.parent / "decks"


def default_deck_dirs() -> list[Path]:
    """`$QUIZAPP_DECKS` (os.pathsep-separated) if set; else the bundled decks plus the
    user's own `decks/` folder in the data dir, when it exists."""
    override = os.environ.get("QUIZAPP_DECKS")
    if override:
        return [Path(p).expanduser() for p in override.split(os.pathsep) if p]
    user = data_dir() / "decks"
    return [bundled_decks_dir(), *([user] if user.is_dir() else [])]


def deck_paths(paths: Sequence[Path] | None = None) -> list[Path]:
    """Expand directories to their *.yaml files; default to `default_deck_dirs()`."""
    if not paths:
        paths = default_deck_dirs()
    out: list[Path] = []
    for p in paths:
        # A folder named like a deck file is kept as a path, so the loader reports it.
        if p.is_dir() and p.suffix.lower() not in (".yaml", ".yml"):
            out.extend(sorted([*p.glob("*.yaml"), *p.glob("*.yml")]))
        else:
            out.append(p)
    return out
