"""Reading files we did not write: size caps, encodings, and zip members, all refused with a
located message instead of a traceback, a hang or a full disk.

Every importer reads through here, so the limits are in one place:
- a text file is read up to `MAX_TEXT_BYTES`, never a FIFO or a device;
- UTF-8 (with or without a BOM) is accepted, and UTF-16 with a BOM, which Excel writes;
- a zip is opened only if it is small enough, its members are few, their names are plain (no
  `..`, no absolute paths, no drive letters), and a member is inflated only up to a cap that
  also bounds the compression ratio (a zip bomb stops at the cap, not at the end of the disk).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from quizapp.decks import Problem
from quizapp.interop.records import ImportResult

MAX_TEXT_BYTES = 20 * 1024 * 1024
MAX_PACKAGE_BYTES = 512 * 1024 * 1024
MAX_MEMBER_BYTES = 512 * 1024 * 1024  # one inflated collection
MAX_MEMBERS = 100_000
MAX_RATIO = 200  # inflated / compressed, for members bigger than 1 MiB


class Unreadable(Exception):
    """A file (or zip member) we refuse to read; `problem` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_text(path: Path, max_bytes: int | None = None) -> tuple[str | None, Problem | None]:
    """The file as text with `\\n` line ends, or the problem that stops us reading it."""
    max_bytes = MAX_TEXT_BYTES if max_bytes is None else max_bytes
    try:
        if not path.is_file():
            return None, Problem(path, 1, "not a regular file; pass a file to import")
        size = path.stat().st_size
        if size > max_bytes:
            return None, Problem(
                path, 1, f"file is {size:,} bytes; the limit is {max_bytes:,} (split it)"
            )
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        return None, Problem(path, 1, f"cannot read: {exc.strerror or exc}")
    if len(data) > max_bytes:
        return None, Problem(path, 1, f"file is larger than the limit of {max_bytes:,} bytes")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return None, Problem(path, 1, "starts like UTF-16 but is not; save it as UTF-8")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            if b"\x00" in data[:8192]:
                return None, Problem(path, 1, "this is a binary file, not a text file")
            line = data.count(b"\n", 0, exc.start) + 1
            return None, Problem(
                path,
                line,
                f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            )
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, Problem(path, line, "contains a NUL character; this is not a text file")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def safe_member_name(name: str) -> bool:
    if not name or "\x00" in name or "\\" in name or name.startswith("/"):
        return False
    parts = PurePosixPath(name).parts
    return not any(p in ("..", "") for p in parts) and ":" not in parts[0]


def open_zip(path: Path) -> zipfile.ZipFile:
    """The package as a ZipFile whose members were all checked; raises Unreadable."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise Unreadable(Problem(path, 1, "not a regular file"))
        if size > MAX_PACKAGE_BYTES:
            raise Unreadable(
                Problem(path, 1, f"package is {size:,} bytes; the limit is {MAX_PACKAGE_BYTES:,}")
            )
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise Unreadable(
            Problem(path, 1, "not a zip file; an Anki package (.apkg/.colpkg) is a zip")
        ) from None
    except OSError as exc:
        raise Unreadable(Problem(path, 1, f"cannot read: {exc.strerror or exc}")) from None
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        zf.close()
        raise Unreadable(
            Problem(path, 1, f"{len(infos):,} zip members; the limit is {MAX_MEMBERS:,}")
        )
    for info in infos:
        if not safe_member_name(info.filename):
            zf.close()
            raise Unreadable(
                Problem(
                    path,
                    1,
                    f"zip member {info.filename!r} has an unsafe path (absolute, `..` or a "
                    "drive); refusing the whole package",
                )
            )
    return zf


def read_member(zf: zipfile.ZipFile, path: Path, name: str, cap: int = MAX_MEMBER_BYTES) -> bytes:
    """Inflate one member, stopping at `cap` bytes or a zip-bomb ratio; raises Unreadable."""
    info = zf.getinfo(name)
    if info.file_size > cap:
        raise Unreadable(
            Problem(
                path, 1, f"member {name!r} inflates to {info.file_size:,} bytes (limit {cap:,})"
            )
        )
    out = bytearray()
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(1 << 20):
                out += chunk
                if len(out) > cap or (
                    len(out) > (1 << 20) and len(out) > MAX_RATIO * max(info.compress_size, 1)
                ):
                    raise Unreadable(
                        Problem(
                            path,
                            1,
                            f"member {name!r} inflates far beyond its stated size (a zip bomb?); "
                            "refusing the package",
                        )
                    )
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise Unreadable(Problem(path, 1, f"member {name!r} is damaged: {exc}")) from None
    except RuntimeError as exc:  # encrypted members
        raise Unreadable(Problem(path, 1, f"member {name!r} cannot be read: {exc}")) from None
    return bytes(out)


def read_text_import(
    src: Path, deck_id: str | None, parse: Callable[[str, Path, str | None], ImportResult]
) -> ImportResult:
    """A text format's import: the file read with the limits above, then ``parse``d."""
    text, problem = read_text(src)
    if text is None:
        assert problem is not None
        return ImportResult(problems=[problem])
    return parse(text, src, deck_id)
