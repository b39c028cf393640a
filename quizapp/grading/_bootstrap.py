"""The trusted bootstrap that runs inside the sandbox child process.

The child is ``python -I -S -B -c <loader>``; the loader reads this module's marshalled code
object from stdin and runs it as ``__main__``. So it must only use the standard
library and NumPy, and it must never import quizapp (the child cannot see the repository when
bubblewrap is used, and importing the app would cost start-up time).

The parent also imports this module for :func:`encode` / :func:`decode`, so the wire format has
one definition. Nothing here runs on import except definitions.

Protocol
--------
* stdin: this module's code, then its config ``{"limits": {...}, "result_fd": int, "numpy_dir":
  str, "pdeathsig": bool, ...}`` (each a 4-byte length, then ``marshal`` bytes: the parent
  imports neither json nor anything else before it spawns the child), then, once the child has
  said "ready", two frames, ``{"code": str, "func": str}`` then
  ``{"cases": [[args, kwargs, check], ...]}`` (the second one depends only on the task, and is
  encoded once per process). ``check`` asks for the arguments back after the call,
  to catch answers that modify their inputs.
* result fd: a stream of frames; each is ``<II`` (header length, blob length) + JSON header + blob.
  Frame kinds: ``loaded`` | ``import_error`` | ``missing_function`` | ``case`` | ``done``.
* stdout/stderr: whatever the user's code prints; the parent keeps a truncated copy.

Values are JSON trees whose arrays live in the blob as raw bytes (dtype string, shape, offset),
so nothing is ever unpickled. Whatever the child sends is only *data*: the parent decides the
verdict by comparing it with the reference, so a forged frame cannot make an answer pass.
"""

from __future__ import annotations

import json
import os
import struct
import sys
import time
from typing import Any

FORBIDDEN = frozenset({"solvers", "quizapp", "sklearn", "torch", "tensorflow", "keras", "jax"})
# Third-party packages an answer may import besides the standard library (when installed).
ALLOWED = frozenset({"numpy", "scipy"})
USER_FILE = "solution.py"
_HEADER = struct.Struct("<II")
_MAX_DEPTH = 8
_MAX_ITEMS = 10_000
_ARRAY_KINDS = "biufc"


# --- the wire format (shared with the parent) -------------------------------------------------


def encode(value: Any, arrays: list[Any], depth: int = 0) -> Any:
    """Turn a value into a JSON tree; ndarrays go to ``arrays``, referenced by index."""
    import numpy as np

    if value is None:
        return {"t": "none"}
    if isinstance(value, bool):
        return {"t": "bool", "v": value}
    if isinstance(value, int):
        return {"t": "int", "v": value} if abs(value) < 2**63 else {"t": "float", "v": float(value)}
    if isinstance(value, float):
        return {"t": "float", "v": value}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in _ARRAY_KINDS or value.dtype.fields is not None:
            return {"t": "unsupported", "type": f"ndarray of dtype {value.dtype}"}
        arrays.append(value)
        return {"t": "array", "a": len(arrays) - 1}
    if isinstance(value, np.generic):
        arr = np.asarray(value)
        if arr.dtype.kind not in _ARRAY_KINDS:
            return {"t": "unsupported", "type": type(value).__name__}
        arrays.append(arr)
        return {"t": "npscalar", "a": len(arrays) - 1}
    if isinstance(value, (tuple, list)):
        if depth >= _MAX_DEPTH or len(value) > _MAX_ITEMS:
            return {"t": "unsupported", "type": f"deeply nested or huge {type(value).__name__}"}
        kind = "tuple" if isinstance(value, tuple) else "list"
        return {"t": kind, "v": [encode(v, arrays, depth + 1) for v in value]}
    if isinstance(value, Rng):
        return {"t": "rng", "seed": value.seed}
    return {"t": "unsupported", "type": type(value).__name__}


def decode(tree: Any, arrays: list[Any]) -> Any:
    """Inverse of :func:`encode`; raises ValueError (only) on anything malformed.

    The parent decodes what a hostile child sent, so every field is checked: an index must be
    an int into the frame's array table, an int must fit in 64 bits, nesting is bounded.
    """
    try:
        return _decode(tree, arrays, 0)
    except ValueError:
        raise
    except Exception as exc:  # RecursionError, OverflowError, TypeError...
        raise ValueError(f"malformed value ({type(exc).__name__})") from None


def _decode(tree: Any, arrays: list[Any], depth: int) -> Any:
    import numpy as np

    if not isinstance(tree, dict) or not isinstance(tree.get("t"), str):
        raise ValueError("malformed value")
    if depth > _MAX_DEPTH + 1:
        raise ValueError("value nested too deeply")
    t = tree["t"]
    if t == "none":
        return None
    if t == "bool":
        if type(tree.get("v")) is not bool:
            raise ValueError("malformed bool")
        return tree["v"]
    if t == "int":
        v = tree.get("v")
        if type(v) is not int or abs(v) >= 2**63:
            raise ValueError("malformed int")
        return v
    if t == "float":
        v = tree.get("v")
        if not isinstance(v, float | int) or isinstance(v, bool):
            raise ValueError("malformed float")
        return float(v)  # OverflowError for a huge int: becomes ValueError above
    if t in ("array", "npscalar"):
        index = tree.get("a")
        if type(index) is not int or not 0 <= index < len(arrays):
            raise ValueError("array index outside the frame's table")
        arr = arrays[index]
        return arr[()] if t == "npscalar" else arr
    if t in ("tuple", "list"):
        items_tree = tree.get("v")
        if not isinstance(items_tree, list) or len(items_tree) > _MAX_ITEMS:
            raise ValueError(f"malformed {t}")
        items = [_decode(v, arrays, depth + 1) for v in items_tree]
        return tuple(items) if t == "tuple" else items
    if t == "rng":
        seed = tree.get("seed")
        if type(seed) is not int or not 0 <= seed < 2**64:
            raise ValueError("malformed rng seed")
        return np.random.default_rng(seed)
    if t == "unsupported":
        return Unsupported(str(tree.get("type", "?"))[:100])
    raise ValueError(f"unknown value type {t[:40]!r}")


def pack(header: dict[str, Any], arrays: list[Any]) -> bytes:
    """One frame: the JSON header (with an array table) followed by the raw array bytes."""
    table = []
    chunks = []
    offset = 0
    for arr in arrays:
        import numpy as np  # only when there are arrays: the parent may not have NumPy yet

        # not np.ascontiguousarray: it turns a 0-d array (a NumPy scalar) into shape (1,)
        arr = np.asarray(arr)
        data = arr.tobytes(order="C")
        table.append([arr.dtype.str, list(arr.shape), offset, len(data)])
        chunks.append(data)
        offset += len(data)
    header = dict(header, arrays=table)
    head = json.dumps(header, allow_nan=True).encode()
    return _HEADER.pack(len(head), offset) + head + b"".join(chunks)


# Bounds on what the parent accepts from a child, whatever it sends (issue 11, floods).
MAX_HEADER_BYTES = 256 * 1024  # one frame's JSON header
MAX_HEADERS_TOTAL = 4 * 1024 * 1024  # all headers of a run together
MAX_CONTAINERS = 50_000  # JSON lists + objects in one header: bounds parse time and memory
MAX_ARRAYS = 1_000  # arrays in one frame
MAX_BLOB_BYTES = 64 * 1024 * 1024  # one frame's array bytes
_MAX_NDIM = 32


class FrameReader:
    """Splits a byte stream into frames as it arrives; raises ValueError on anything malformed
    or beyond the bounds above (``max_frames`` frames at most)."""

    def __init__(self, max_frames: int = 1_000_000) -> None:
        self.max_frames = max_frames
        self.frames: list[tuple[dict[str, Any], list[Any]]] = []
        self.pending = bytearray()
        self.header_bytes = 0

    def feed(self, chunk: bytes) -> None:
        self.pending += chunk
        while len(self.pending) >= _HEADER.size:
            hlen, blen = _HEADER.unpack_from(self.pending, 0)
            if hlen > MAX_HEADER_BYTES:
                raise ValueError(f"a frame header of {hlen} bytes (at most {MAX_HEADER_BYTES})")
            if blen > MAX_BLOB_BYTES:
                raise ValueError(f"a frame of {blen} array bytes (at most {MAX_BLOB_BYTES})")
            end = _HEADER.size + hlen + blen
            if len(self.pending) < end:
                return
            if len(self.frames) >= self.max_frames:
                raise ValueError(f"more than {self.max_frames} frames")
            self.header_bytes += hlen
            if self.header_bytes > MAX_HEADERS_TOTAL:
                raise ValueError(f"frame headers beyond {MAX_HEADERS_TOTAL} bytes in all")
            view = memoryview(self.pending)
            try:
                frame = _parse_frame(
                    view[_HEADER.size : _HEADER.size + hlen], view[_HEADER.size + hlen : end]
                )
            finally:
                view.release()
            self.frames.append(frame)
            del self.pending[:end]


def _parse_frame(head: memoryview, blob: memoryview) -> tuple[dict[str, Any], list[Any]]:
    import numpy as np

    raw = bytes(head)
    if raw.count(b"[") + raw.count(b"{") > MAX_CONTAINERS:
        raise ValueError("a frame header with too many nested values")
    try:
        header = json.loads(raw)
    except (ValueError, RecursionError, UnicodeDecodeError) as exc:
        raise ValueError(f"malformed frame header ({type(exc).__name__})") from None
    if not isinstance(header, dict):
        raise ValueError("malformed frame header")
    table = header.get("arrays", [])
    if not isinstance(table, list) or len(table) > MAX_ARRAYS:
        raise ValueError("malformed array table")
    arrays = []
    for entry in table:
        try:
            dtype_str, shape, off, nbytes = entry
            if not isinstance(dtype_str, str) or not isinstance(shape, list):
                raise TypeError
            if len(shape) > _MAX_NDIM or len(dtype_str) > 16:
                raise TypeError
            if not all(type(s) is int and s >= 0 for s in shape):
                raise TypeError
            if type(off) is not int or type(nbytes) is not int:
                raise TypeError
            dtype = np.dtype(dtype_str)
        except (TypeError, ValueError):
            raise ValueError("malformed array entry") from None
        if dtype.kind not in _ARRAY_KINDS or dtype.fields is not None or dtype.itemsize == 0:
            raise ValueError(f"refusing array of dtype {dtype}")
        if off < 0 or nbytes < 0 or off + nbytes > len(blob):
            raise ValueError("array outside its frame")
        count = 1
        for s in shape:
            count *= s
        if count * dtype.itemsize != nbytes:
            raise ValueError("array size does not match its shape")
        try:
            arr = np.frombuffer(blob[off : off + nbytes], dtype=dtype).reshape(shape).copy()
        except (ValueError, TypeError) as exc:
            raise ValueError(f"malformed array ({exc})") from None
        arrays.append(arr)
    return header, arrays


def unpack(buffer: bytes | memoryview) -> tuple[list[tuple[dict[str, Any], list[Any]]], int]:
    """Split a byte stream into complete frames; returns (frames, bytes consumed)."""
    reader = FrameReader()
    reader.feed(bytes(buffer))
    return reader.frames, len(buffer) - len(reader.pending)


class Rng:
    """Marker for "pass a fresh ``np.random.default_rng(seed)``" in a test's arguments."""

    __slots__ = ("seed",)

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def __repr__(self) -> str:
        return f"np.random.default_rng({self.seed})"


class Unsupported:
    """A returned value that cannot be sent as data (an object, a string, a dict...)."""

    __slots__ = ("type_name",)

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<{self.type_name}>"


# --- the child side ---------------------------------------------------------------------------


def _set_limits(limits: dict[str, int]) -> None:
    import resource

    names = {
        "cpu": resource.RLIMIT_CPU,
        "as": resource.RLIMIT_AS,
        "nproc": resource.RLIMIT_NPROC,
        "nofile": resource.RLIMIT_NOFILE,
        "fsize": resource.RLIMIT_FSIZE,
        "core": resource.RLIMIT_CORE,
    }
    for key, value in limits.items():
        hard = value + 1 if key == "cpu" else value  # soft CPU -> SIGXCPU, hard -> SIGKILL
        resource.setrlimit(names[key], (value, hard))


class _Blocker:
    """A meta-path finder: only the standard library and NumPy may be imported by an answer."""

    def __init__(self) -> None:
        self.forbidden: list[str] = []

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        top = name.partition(".")[0]
        if top in FORBIDDEN:
            self.forbidden.append(name)
            raise ImportError(f"importing {name!r} is not allowed in an answer", name=name)
        if top not in ALLOWED and top not in sys.stdlib_module_names and not top.startswith("_"):
            raise ModuleNotFoundError(
                f"No module named {name!r} (only the standard library, numpy and scipy are "
                "available)",
                name=name,
            )
        return None


def _frames(tb: Any) -> list[list[Any]]:
    import traceback

    return [[f.filename, f.lineno, f.name, f.line] for f in traceback.extract_tb(tb)]


def _exc(exc: BaseException) -> dict[str, Any]:
    try:
        message = str(exc)
    except Exception:  # a user exception whose __str__ fails
        message = "<unprintable>"
    return {
        "type": type(exc).__name__,
        "message": message[:2000],
        "frames": _frames(exc.__traceback__)[-30:],
    }


def _main() -> None:
    import marshal

    read = sys.stdin.buffer.read
    config = marshal.loads(read(int.from_bytes(read(4), "little")))
    _set_limits(config["limits"])
    _drop_capabilities()
    if config.get("pdeathsig"):
        _die_with_parent(int(config["parent_pid"]))
    if config.get("seccomp"):
        _forbid_fork(bool(config.get("no_create")))
    sys.path.append(config["numpy_dir"])
    import numpy as np
    import numpy.random  # lazy in NumPy 2 (about 20 ms): before "ready", not inside a test

    confined = bool(config.get("landlock")) and _landlock(config["landlock"])

    out_fd = int(config["result_fd"])

    def send(header: dict[str, Any], arrays: list[Any] | None = None) -> None:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            pass
        data = pack(header, arrays or [])
        view = memoryview(data)
        while view:
            view = view[os.write(out_fd, view) :]

    send({"kind": "ready", "landlock": confined})
    raw = sys.stdin.buffer.read()
    if not raw:  # a warm child the parent no longer needs
        os._exit(0)
    (job, _), (spec, job_arrays) = unpack(raw)[0][:2]
    code, func_name = job["code"], job["func"]
    cases = [
        (decode(a, job_arrays), {name: decode(v, job_arrays) for name, v in k}, bool(check))
        for a, k, check in spec["cases"]
    ]
    if not config.get("bwrap"):
        os.chdir(config["workdir"])

    import linecache

    linecache.cache[USER_FILE] = (len(code), None, code.splitlines(True), USER_FILE)
    stdout: Any = sys.stdout
    stdout.reconfigure(line_buffering=True)
    blocker = _Blocker()
    sys.meta_path.insert(0, blocker)
    namespace: dict[str, Any] = {"__name__": "solution", "__file__": USER_FILE}
    try:
        exec(compile(code, USER_FILE, "exec", dont_inherit=True), namespace)
    except BaseException as exc:
        send({"kind": "import_error", "exc": _exc(exc), "forbidden": blocker.forbidden})
        os._exit(0)
    func = namespace.get(func_name)
    if not callable(func):
        defined = sorted(k for k, v in namespace.items() if callable(v) and not k.startswith("_"))
        send({"kind": "missing_function", "defined": defined[:20], "forbidden": blocker.forbidden})
        os._exit(0)
    send({"kind": "loaded", "forbidden": blocker.forbidden})
    for index, (args, kwargs, check_inputs) in enumerate(cases):
        start = time.perf_counter()
        try:
            result = func(*args, **kwargs)
        except BaseException as exc:
            elapsed = time.perf_counter() - start
            info = _exc(exc)
            header = {"kind": "case", "i": index, "ok": False, "exc": info, "time": elapsed}
            header["forbidden"] = blocker.forbidden
            del exc
            send(header)
            if info["type"] == "MemoryError":
                break  # the process is in no state to go on, and each retry costs time
            continue
        elapsed = time.perf_counter() - start
        if type(result).__name__ in ("coroutine", "generator"):
            import contextlib

            with contextlib.suppress(BaseException):
                result.close()  # an `async def` or a generator: no "never awaited" warning
        try:
            arrays: list[Any] = []
            out = encode(result, arrays)
            after = [
                encode(a if check_inputs and isinstance(a, (np.ndarray, list)) else None, arrays)
                for a in args
            ]
            header = {"kind": "case", "i": index, "ok": True, "out": out, "args_after": after}
        except BaseException as exc:
            arrays = []
            header = {"kind": "case", "i": index, "ok": False, "exc": _exc(exc)}
        header.update(time=elapsed, forbidden=blocker.forbidden)
        del result
        send(header, arrays)
    send({"kind": "done", "forbidden": blocker.forbidden})
    sys.stdout.flush()
    os._exit(0)


# Syscall numbers: (x86_64, aarch64). None: the call does not exist on that architecture.
_SYSCALLS: dict[str, tuple[int | None, int | None]] = {
    "fork": (57, None), "vfork": (58, None), "clone": (56, 220), "clone3": (435, 435),
    "tkill": (200, 130), "pidfd_send_signal": (424, 424), "ptrace": (101, 117),
    "process_vm_readv": (310, 270), "process_vm_writev": (311, 271),
    "pidfd_open": (434, 434), "pidfd_getfd": (438, 438), "kcmp": (312, 272),
    "process_madvise": (440, 440), "process_mrelease": (448, 448),
    "migrate_pages": (256, 238), "move_pages": (279, 239),
    "socket": (41, 198), "memfd_create": (319, 279), "execve": (59, 221),
    "execveat": (322, 281), "openat2": (437, 437),
    "kill": (62, 129), "tgkill": (234, 131), "rt_sigqueueinfo": (129, 138),
    "rt_tgsigqueueinfo": (297, 240),
    "prlimit64": (302, 261), "sched_setaffinity": (203, 122), "sched_setparam": (142, 118),
    "sched_setscheduler": (144, 119), "sched_setattr": (314, 274),
    "setpriority": (141, 140), "ioprio_set": (251, 30), "prctl": (157, 167),
    "open": (2, None), "openat": (257, 56), "creat": (85, None), "mkdir": (83, None),
    "mkdirat": (258, 34), "mknod": (133, None), "mknodat": (259, 33), "link": (86, None),
    "linkat": (265, 37), "symlink": (88, None), "symlinkat": (266, 36),
}  # fmt: skip
# Refused outright, whatever the arguments: io_uring runs openat/socket/connect without passing
# through this filter (it would undo the socket and file-creation rules); the rest reach the
# kernel or the host, or make state that outlives the grade (keyrings, the host's SysV IPC and
# POSIX queues without bubblewrap, mounts and namespaces: a tmpfs with no size bound).
_NEVER: dict[str, tuple[int | None, int | None]] = {
    "io_uring_setup": (425, 425), "io_uring_enter": (426, 426), "io_uring_register": (427, 427),
    "userfaultfd": (323, 282), "bpf": (321, 280), "perf_event_open": (298, 241),
    "keyctl": (250, 219), "add_key": (248, 217), "request_key": (249, 218),
    "unshare": (272, 97), "setns": (308, 268), "mount": (165, 40), "umount2": (166, 39),
    "pivot_root": (155, 41), "chroot": (161, 51), "open_tree": (428, 428),
    "move_mount": (429, 429), "fsopen": (430, 430), "fsconfig": (431, 431),
    "fsmount": (432, 432), "fspick": (433, 433), "mount_setattr": (442, 442),
    "open_by_handle_at": (304, 265), "name_to_handle_at": (303, 264),
    "memfd_secret": (447, 447), "personality": (135, 92),
    "shmget": (29, 194), "msgget": (68, 186), "semget": (64, 190), "mq_open": (240, 180),
    "reboot": (169, 142), "kexec_load": (246, 104), "kexec_file_load": (320, 294),
    "init_module": (175, 105), "finit_module": (313, 273), "delete_module": (176, 106),
    "swapon": (167, 224), "swapoff": (168, 225), "acct": (163, 89),
    "settimeofday": (164, 170), "clock_settime": (227, 112), "clock_adjtime": (305, 266),
    "adjtimex": (159, 171), "sethostname": (170, 161), "setdomainname": (171, 162),
    "syslog": (103, 116), "iopl": (172, None), "ioperm": (173, None),
    "quotactl": (179, 60), "vhangup": (153, 58),
}  # fmt: skip
_SYSCALLS.update(_NEVER)
_LD, _JEQ, _JGE, _JSET, _RET = 0x20, 0x15, 0x35, 0x45, 0x06
_ALLOW, _EPERM, _ENOSYS = 0x7FFF0000, 0x00050001, 0x00050026
_O_CREAT, _O_TMPFILE = 0o100, 0o20000000
_PR_SET_PDEATHSIG = 1


def _arg(n: int) -> tuple[int, int, int, int]:
    return (_LD, 0, 0, 16 + 8 * n)  # low half of seccomp_data.args[n]


def _own(arg: int, own_pid: int, zero_ok: bool) -> list[tuple[int, int, int, int]]:
    """args[arg] must be our own pid (or 0, "the caller", when zero_ok)."""
    return [
        _arg(arg),
        (_JEQ, 2, 0, own_pid),
        (_JEQ, 1, 0, 0 if zero_ok else own_pid),
        (_RET, 0, 0, _EPERM),
        (_RET, 0, 0, _ALLOW),
    ]


def _which_own(which: int, own_pid: int) -> list[tuple[int, int, int, int]]:
    """setpriority / ioprio_set: args[0] must say "a process" and args[1] be us (or 0)."""
    return [
        _arg(0),
        (_JEQ, 0, 3, which),
        _arg(1),
        (_JEQ, 2, 0, own_pid),
        (_JEQ, 1, 0, 0),
        (_RET, 0, 0, _EPERM),
        (_RET, 0, 0, _ALLOW),
    ]


def _flags_clear(arg: int, mask: int) -> list[tuple[int, int, int, int]]:
    return [_arg(arg), (_JSET, 0, 1, mask), (_RET, 0, 0, _EPERM), (_RET, 0, 0, _ALLOW)]


def _not_equal(arg: int, value: int) -> list[tuple[int, int, int, int]]:
    return [_arg(arg), (_JEQ, 0, 1, value), (_RET, 0, 0, _EPERM), (_RET, 0, 0, _ALLOW)]


def _seccomp_program(own_pid: int, no_create: bool = False) -> bytes | None:
    """A classic-BPF seccomp filter for the answer's process (threads stay allowed).

    * new processes (fork, vfork, clone without CLONE_THREAD) and execve fail with EPERM:
      RLIMIT_NPROC does not bind root, and the app often runs as root in containers;
    * every call that can act on another process is refused unless it names this process:
      signals, ``prlimit64`` (setrlimit on others), ``setpriority``, ``sched_set*``,
      ``ioprio_set``; ``ptrace``, ``process_vm_*``, ``pidfd_*``, ``kcmp``, ``process_madvise``,
      ``migrate_pages``/``move_pages`` are refused outright — so an answer cannot kill, slow
      down, pin or inspect the app even without bubblewrap's PID namespace;
    * ``socket()`` is refused (no network, no host unix socket, no UDP), ``memfd_create`` too
      (memory files no rlimit bounds), and ``prctl(PR_SET_PDEATHSIG)`` (the death signal the
      bootstrap set stays set);
    * ``_NEVER`` is refused outright: io_uring (its operations bypass every rule here),
      ``userfaultfd``, ``bpf``, ``perf_event_open``, keyrings, namespaces and mounts,
      ``open_by_handle_at``, ``memfd_secret``, ``personality``, SysV IPC and POSIX message
      queues, and the administrator's calls (reboot, modules, swap, clocks, host name...);
    * with ``no_create`` (no bubblewrap, so no private size-bounded /tmp) no file, directory,
      device or link can be created anywhere: open/openat with O_CREAT or O_TMPFILE, creat,
      mkdir, mknod, link, symlink fail with EPERM;
    * clone3 and openat2 get ENOSYS so libc falls back to clone / openat, whose arguments the
      filter can inspect.
    """
    import platform

    machine = platform.machine()
    if machine == "x86_64":
        arch, column = 0xC000003E, 0
    elif machine in ("aarch64", "arm64"):
        arch, column = 0xC00000B7, 1
    else:
        return None

    def nr(name: str) -> int | None:
        return _SYSCALLS[name][column]

    rules: list[tuple[str, list[tuple[int, int, int, int]]]] = []
    for name in ("clone3", "openat2"):
        rules.append((name, [(_RET, 0, 0, _ENOSYS)]))
    refused = [
        "fork", "vfork", "tkill", "pidfd_send_signal", "ptrace", "process_vm_readv",
        "process_vm_writev", "pidfd_open", "pidfd_getfd", "kcmp", "process_madvise",
        "process_mrelease", "migrate_pages", "move_pages", "socket", "memfd_create", "execve",
        "execveat", *_NEVER,
    ]  # fmt: skip
    if no_create:
        refused += ["creat", "mkdir", "mkdirat", "mknod", "mknodat", "link", "linkat"]
        refused += ["symlink", "symlinkat"]
    for name in refused:
        rules.append((name, [(_RET, 0, 0, _EPERM)]))
    rules += [
        ("kill", _own(0, own_pid, True)),  # 0: our process group, which is just us
        ("tgkill", _own(0, own_pid, False)),
        ("rt_sigqueueinfo", _own(0, own_pid, False)),
        ("rt_tgsigqueueinfo", _own(0, own_pid, False)),
        ("prlimit64", _own(0, own_pid, True)),
        ("sched_setaffinity", _own(0, own_pid, True)),
        ("sched_setparam", _own(0, own_pid, True)),
        ("sched_setscheduler", _own(0, own_pid, True)),
        ("sched_setattr", _own(0, own_pid, True)),
        ("setpriority", _which_own(0, own_pid)),  # PRIO_PROCESS
        ("ioprio_set", _which_own(1, own_pid)),  # IOPRIO_WHO_PROCESS
        ("prctl", _not_equal(0, _PR_SET_PDEATHSIG)),
        ("clone", [_arg(0), (_JSET, 1, 0, 0x00010000), (_RET, 0, 0, _EPERM),
                   (_RET, 0, 0, _ALLOW)]),  # CLONE_THREAD
    ]  # fmt: skip
    if no_create:
        rules += [("open", _flags_clear(1, _O_CREAT | _O_TMPFILE))]
        rules += [("openat", _flags_clear(2, _O_CREAT | _O_TMPFILE))]
    ins: list[tuple[int, int, int, int]] = [
        (_LD, 0, 0, 4),  # seccomp_data.arch
        (_JEQ, 1, 0, arch),
        (_RET, 0, 0, _EPERM),  # a foreign ABI (e.g. int 0x80): refuse everything
        (_LD, 0, 0, 0),  # seccomp_data.nr
        (_JGE, 0, 1, 0x40000000),  # the x32 ABI
        (_RET, 0, 0, _EPERM),
    ]
    for name, body in rules:
        number = nr(name)
        if number is not None:  # each body ends in a return, so nr need not be reloaded
            ins += [(_JEQ, 0, len(body), number), *body]
    ins.append((_RET, 0, 0, _ALLOW))
    return b"".join(struct.pack("<HBBI", *i) for i in ins)


def _forbid_fork(no_create: bool = False) -> bool:
    """Install the filter; False when this architecture or kernel has no seccomp."""
    program = _seccomp_program(os.getpid(), no_create)
    if program is None:
        return False
    import ctypes

    class _Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]

    libc = ctypes.CDLL(None, use_errno=True)
    prog = _Prog(len(program) // 8, program)
    if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
        return False
    return bool(libc.prctl(22, 2, ctypes.byref(prog), 0, 0) == 0)  # SECCOMP_MODE_FILTER


_FILE_RIGHTS = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 14) | (1 << 15)  # EXEC WRITE READ TRUNC IOCTL


def _landlock(paths: dict[str, list[str]]) -> bool:
    """Without bubblewrap: confine the filesystem and TCP with Landlock (Linux ≥ 5.13).

    ``paths["rw"]`` may be read and written, ``paths["ro"]`` only read and executed, and
    everything else is out of reach; TCP bind/connect (ABI ≥ 4), abstract unix sockets and
    signals outside this process (ABI ≥ 6) are refused. Best effort: returns False when the
    kernel has no Landlock, and the other limits still apply.
    """
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    syscalls = {"x86_64": (444, 445, 446), "aarch64": (444, 445, 446)}
    import platform

    numbers = syscalls.get(platform.machine())
    if numbers is None:
        return False
    create, add_rule, restrict = numbers
    abi = libc.syscall(create, None, ctypes.c_size_t(0), ctypes.c_uint32(1))  # VERSION
    if abi < 1:
        return False
    fs_all = (1 << 13) - 1  # EXECUTE .. MAKE_SYM
    if abi >= 2:
        fs_all |= 1 << 13  # REFER
    if abi >= 3:
        fs_all |= 1 << 14  # TRUNCATE
    if abi >= 5:
        fs_all |= 1 << 15  # IOCTL_DEV
    read_only = (1 << 0) | (1 << 2) | (1 << 3)  # EXECUTE, READ_FILE, READ_DIR
    net = 0b11 if abi >= 4 else 0  # BIND_TCP, CONNECT_TCP
    scoped = 0b11 if abi >= 6 else 0  # abstract unix sockets, signals
    size = 24 if abi >= 6 else 16 if abi >= 4 else 8
    attr = struct.pack("<QQQ", fs_all, net, scoped)[:size]
    ruleset = libc.syscall(create, attr, ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        return False
    try:
        for access, names in ((fs_all, paths.get("rw", [])), (read_only, paths.get("ro", []))):
            for name in names:
                try:
                    fd = os.open(name, os.O_PATH | os.O_CLOEXEC)
                except OSError:
                    continue
                try:
                    import stat

                    rights = access
                    if not stat.S_ISDIR(os.fstat(fd).st_mode):
                        rights &= _FILE_RIGHTS  # a file takes only the rights files have
                    rule = struct.pack("<Qi", rights, fd)
                    libc.syscall(add_rule, ruleset, 1, rule, ctypes.c_uint32(0))  # PATH_BENEATH
                finally:
                    os.close(fd)
        if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS, needed to self-restrict
            return False
        return bool(libc.syscall(restrict, ruleset, ctypes.c_uint32(0)) == 0)
    finally:
        os.close(ruleset)


def _drop_capabilities() -> None:
    """A root child that keeps uid 0 (no bubblewrap, an interpreter nobody can read) would hold
    the app's capabilities: CAP_SYS_PTRACE, CAP_DAC_*, CAP_SYS_ADMIN... Drop them all, for good
    (bounding and ambient sets too). A no-op for a child that has none."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return
    libc.prctl(47, 4, 0, 0, 0)  # PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL
    for cap in range(64):
        if libc.prctl(24, cap, 0, 0, 0) != 0 and ctypes.get_errno() == 22:  # PR_CAPBSET_DROP
            break  # EINVAL: past the last capability this kernel knows
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, ourselves
    libc.capset(header, (ctypes.c_uint32 * 6)())


def _die_with_parent(parent_pid: int) -> None:
    """Without bubblewrap: ask the kernel to SIGKILL us when the app dies (Linux only)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except Exception:
        pass
    if os.getppid() != parent_pid:
        os._exit(0)


if __name__ == "__main__":
    _main()
