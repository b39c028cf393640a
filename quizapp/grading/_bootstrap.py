"""The trusted bootstrap that runs inside the sandbox child process.

It is executed as ``python -I -S -B -c <this file's source> <config-json>``, so it must only use
the standard library and NumPy, and it must never import quizapp (the child cannot see the
repository when bubblewrap is used, and importing the app would cost start-up time).

The parent also imports this module for :func:`encode` / :func:`decode`, so the wire format has
one definition. Nothing here runs on import except definitions.

Protocol
--------
* argv[1]: JSON config ``{"limits": {...}, "result_fd": int, "numpy_dir": str, "pdeathsig": bool}``.
* stdin: two frames, ``{"code": str, "func": str}`` then ``{"cases": [[args, kwargs, check], ...]}``
  (the second one depends only on the task, so the parent can cache its bytes on disk and send
  them before it has even imported NumPy). ``check`` asks for the arguments back after the call,
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
    """Inverse of :func:`encode`; raises ValueError on anything malformed."""
    import numpy as np

    if not isinstance(tree, dict) or "t" not in tree:
        raise ValueError("malformed value")
    t = tree["t"]
    if t == "none":
        return None
    if t in ("bool", "int", "float"):
        v = tree["v"]
        want: Any = {"bool": bool, "int": int, "float": (float, int)}[t]
        if not isinstance(v, want):
            raise ValueError(f"malformed {t}")
        return float(v) if t == "float" else v
    if t in ("array", "npscalar"):
        arr = arrays[int(tree["a"])]
        return arr[()] if t == "npscalar" else arr
    if t in ("tuple", "list"):
        items = [decode(v, arrays) for v in tree["v"]]
        return tuple(items) if t == "tuple" else items
    if t == "rng":
        return np.random.default_rng(int(tree["seed"]))
    if t == "unsupported":
        return Unsupported(str(tree.get("type", "?")))
    raise ValueError(f"unknown value type {t!r}")


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


def unpack(buffer: bytes | memoryview) -> tuple[list[tuple[dict[str, Any], list[Any]]], int]:
    """Split a byte stream into complete frames; returns (frames, bytes consumed)."""
    import numpy as np

    frames = []
    pos = 0
    view = memoryview(buffer)
    while len(view) - pos >= _HEADER.size:
        hlen, blen = _HEADER.unpack_from(view, pos)
        end = pos + _HEADER.size + hlen + blen
        if end > len(view):
            break
        start = pos + _HEADER.size
        header = json.loads(bytes(view[start : start + hlen]))
        if not isinstance(header, dict):
            raise ValueError("malformed frame header")
        blob = view[start + hlen : end]
        arrays = []
        for dtype_str, shape, off, nbytes in header.get("arrays", []):
            dtype = np.dtype(str(dtype_str))
            if dtype.kind not in _ARRAY_KINDS or dtype.fields is not None:
                raise ValueError(f"refusing array of dtype {dtype}")
            shape = tuple(int(s) for s in shape)
            off, nbytes = int(off), int(nbytes)
            if off < 0 or off + nbytes > len(blob):
                raise ValueError("array outside its frame")
            count = 1
            for s in shape:
                count *= s
            if count * dtype.itemsize != nbytes:
                raise ValueError("array size does not match its shape")
            arr = np.frombuffer(blob[off : off + nbytes], dtype=dtype).reshape(shape).copy()
            arrays.append(arr)
        frames.append((header, arrays))
        pos = end
    return frames, pos


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
    config = json.loads(sys.argv[1])
    _set_limits(config["limits"])
    if config.get("pdeathsig"):
        _die_with_parent(int(config["parent_pid"]))
    if config.get("seccomp"):
        _forbid_fork()
    sys.path.append(config["numpy_dir"])
    import numpy as np

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


def _seccomp_program(own_pid: int) -> bytes | None:
    """A classic-BPF seccomp filter for the answer's process (threads stay allowed).

    * new processes (fork, vfork, clone without CLONE_THREAD) fail with EPERM: RLIMIT_NPROC
      does not bind root, and the app often runs as root in containers;
    * signals may only go to this process (or its group, which is just itself), and ptrace /
      process_vm_* are refused, so an answer cannot kill or tamper with the app even when
      bubblewrap (and its PID namespace) is unavailable;
    * clone3 gets ENOSYS so libc falls back to clone, whose flags the filter can inspect.
    """
    import platform

    machine = platform.machine()
    refuse: tuple[int, ...]
    own: tuple[tuple[int, bool], ...]
    if machine == "x86_64":
        arch, clone = 0xC000003E, 56
        refuse = (57, 58, 200, 424, 101, 310, 311)  # fork vfork tkill pidfd_send_signal ptrace pvm
        own = ((62, True), (234, False), (129, False), (297, False))  # kill tgkill rt_sig*queueinfo
    elif machine in ("aarch64", "arm64"):
        arch, clone = 0xC00000B7, 220
        refuse = (130, 424, 117, 270, 271)
        own = ((129, True), (131, False), (138, False), (240, False))
    else:
        return None
    ld, jeq, jge, jset, ret = 0x20, 0x15, 0x35, 0x45, 0x06
    allow, eperm, enosys = 0x7FFF0000, 0x00050001, 0x00050026
    ins: list[tuple[int, int, int, int]] = [
        (ld, 0, 0, 4),  # seccomp_data.arch
        (jeq, 1, 0, arch),
        (ret, 0, 0, eperm),  # a foreign ABI (e.g. int 0x80): refuse everything
        (ld, 0, 0, 0),  # seccomp_data.nr
        (jge, 0, 1, 0x40000000),  # the x32 ABI
        (ret, 0, 0, eperm),
        (jeq, 0, 1, 435),  # clone3
        (ret, 0, 0, enosys),
    ]
    for nr in refuse:
        ins += [(jeq, 0, 1, nr), (ret, 0, 0, eperm)]
    for nr, zero_ok in own:  # first argument must be our own pid (or 0 for kill: our group)
        ins += [
            (jeq, 0, 5, nr),
            (ld, 0, 0, 16),  # low half of args[0]
            (jeq, 2, 0, own_pid),
            (jeq, 1, 0, 0 if zero_ok else own_pid),
            (ret, 0, 0, eperm),
            (ret, 0, 0, allow),
        ]
    ins += [
        (jeq, 0, 4, clone),
        (ld, 0, 0, 16),  # low half of args[0]: the clone flags
        (jset, 1, 0, 0x00010000),  # CLONE_THREAD
        (ret, 0, 0, eperm),
        (ret, 0, 0, allow),
        (ret, 0, 0, allow),
    ]
    return b"".join(struct.pack("<HBBI", *i) for i in ins)


def _forbid_fork() -> None:
    program = _seccomp_program(os.getpid())
    if program is None:
        return
    import ctypes

    class _Prog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]

    libc = ctypes.CDLL(None, use_errno=True)
    prog = _Prog(len(program) // 8, program)
    if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
        return
    libc.prctl(22, 2, ctypes.byref(prog), 0, 0)  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER


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
                    fd = os.open(name, os.O_PATH | os.O_CLOEXEC | os.O_DIRECTORY)
                except OSError:
                    continue
                try:
                    rule = struct.pack("<Qi", access, fd)
                    libc.syscall(add_rule, ruleset, 1, rule, ctypes.c_uint32(0))  # PATH_BENEATH
                finally:
                    os.close(fd)
        if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS, needed to self-restrict
            return False
        return bool(libc.syscall(restrict, ruleset, ctypes.c_uint32(0)) == 0)
    finally:
        os.close(ruleset)


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
