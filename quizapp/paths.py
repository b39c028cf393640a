"""Every user path in one place (platformdirs); directories are created when first written."""

from __future__ import annotations

import os
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
