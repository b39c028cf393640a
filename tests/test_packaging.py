"""The wheel must carry every package and the decks (a plain, non-editable install)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_every_package_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for top in ("quizapp", "solvers")
        for p in (ROOT / top).rglob("__init__.py")
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
    assert config["tool"]["setuptools"]["package-dir"]["quizapp.deckfiles"] == "decks"


def test_bundled_decks_are_found() -> None:
    from quizapp.catalog import bundled_decks_dir

    assert len(list(bundled_decks_dir().glob("*.yaml"))) >= 10


def test_wheel_ships_decks_stylesheet_and_solvers(tmp_path: Path) -> None:
    import subprocess
    import sys
    import zipfile

    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            str(ROOT),
            "-w",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("quizapp-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    decks = {p.name for p in (ROOT / "decks").glob("*.yaml")}
    assert {f"quizapp/deckfiles/{d}" for d in decks} <= names
    assert {"quizapp/app.tcss", "solvers/examples.py", "quizapp/__main__.py"} <= names
