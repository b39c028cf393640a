"""Run the trusted bootstrap (and the user's code) in a bounded child process.

The child is ``python -I -S -B -c <bootstrap>``; with bubblewrap it also gets its own user, PID,
network, IPC and UTS namespaces, a read-only root, a small private ``/tmp``, and cannot see the
repository (so neither ``solvers`` nor ``quizapp``) nor any site-packages except NumPy. Without
bubblewrap only the resource limits apply; the report says so.

Nothing in this module imports NumPy: the CLI spawns the child *first* and imports NumPy while
the child starts, which hides most of the child's start-up cost.
"""

from __future__ import annotations

# Only what spawning needs (subprocess brings functools, contextlib and threading): `python -m
# quizapp grade` imports this module first and spawns the child before anything else, so json,
# dataclasses, pathlib and typing (about 25 ms here) would delay the sandbox's start-up.
import contextlib
import functools
import os
import select
import selectors
import signal
import subprocess
import sys
import threading
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "CancelToken",
    "Child",
    "Limits",
    "RunResult",
    "SandboxInfo",
    "SandboxUnavailable",
    "WarmPool",
    "probe",
    "sandbox_info",
    "spawn",
]

_NOBODY = 65534
_MAX_RESULT_BYTES = 128 * 1024 * 1024


class Limits:
    """Resource limits of one grading run. CPU and wall time cover all tests of the run.

    A plain value class (equal when every field is), not a dataclass: see the imports above.
    """

    __slots__ = (
        "cpu_s",
        "fsize_mb",
        "memory_mb",
        "nofile",
        "nproc",
        "output_bytes",
        "tmp_mb",
        "wall_s",
    )  # fmt: skip

    def __init__(
        self,
        wall_s: float = 5.0,
        cpu_s: int = 5,
        memory_mb: int = 768,  # address space (not RSS); NumPy alone maps ~300 MB of it
        nproc: int = 32,
        nofile: int = 64,
        fsize_mb: int = 16,
        tmp_mb: int = 64,
        output_bytes: int = 16 * 1024,
    ) -> None:
        self.wall_s = wall_s
        self.cpu_s = cpu_s
        self.memory_mb = memory_mb
        self.nproc = nproc
        self.nofile = nofile
        self.fsize_mb = fsize_mb
        self.tmp_mb = tmp_mb
        self.output_bytes = output_bytes

    def _fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Limits) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"Limits({inner})"


class SandboxInfo:
    """Which sandbox runs the answers: "bubblewrap" or "rlimits", and why the fallback."""

    __slots__ = ("kind", "reason")

    def __init__(self, kind: str, reason: str = "") -> None:
        self.kind = kind  # "bubblewrap" | "rlimits"
        self.reason = reason

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SandboxInfo) and (self.kind, self.reason) == (
            other.kind,
            other.reason,
        )

    def __hash__(self) -> int:
        return hash((self.kind, self.reason))

    def __repr__(self) -> str:
        return f"SandboxInfo({self.kind!r}, {self.reason!r})"

    def describe(self, landlock: bool = False) -> str:
        if self.kind == "bubblewrap":
            return "bubblewrap"
        name = "rlimits + Landlock" if landlock else "rlimits only"
        return f"{name} ({self.reason})" if self.reason else name


class SandboxUnavailable(RuntimeError):
    """bubblewrap is installed but cannot create the sandbox here (e.g. no user namespaces)."""


class CancelToken:
    """Cancels a running grade from another thread; wakes the runner's select() at once."""

    def __init__(self) -> None:
        self._r, self._w = os.pipe()
        os.set_blocking(self._w, False)
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True
        if self._w < 0:
            return
        with contextlib.suppress(OSError):
            os.write(self._w, b"x")

    def fileno(self) -> int:
        return self._r

    def close(self) -> None:
        for fd in (self._r, self._w):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._r = self._w = -1

    def __del__(self) -> None:
        if self._r >= 0:
            self.close()


class RunResult:
    """What one run of the child produced: its frames, its output, and how it ended."""

    def __init__(
        self,
        frames: list[tuple[dict[str, Any], list[Any]]] | None = None,
        output: str = "",
        output_dropped: int = 0,
        returncode: int | None = None,
        timed_out: bool = False,
        cancelled: bool = False,
        malformed: str = "",
        started: bool = False,
        wall_s: float = 0.0,
        sandbox: SandboxInfo | None = None,
    ) -> None:
        self.frames = frames if frames is not None else []
        self.output = output
        self.output_dropped = output_dropped  # bytes of user output not kept
        self.returncode = returncode
        self.timed_out = timed_out
        self.cancelled = cancelled
        self.malformed = malformed  # why the result stream could not be read, if it could not
        self.started = started  # the bootstrap said "ready" and was sent the job
        self.wall_s = wall_s
        self.sandbox = sandbox if sandbox is not None else SandboxInfo("rlimits")

    def describe_sandbox(self) -> str:
        """The sandbox as the report names it (Landlock is confirmed by the child itself)."""
        landlock = any(h.get("kind") == "ready" and h.get("landlock") for h, _ in self.frames)
        return self.sandbox.describe(landlock)


# --- environment probing (cached: it never changes while the app runs) -----------------------

_forced_fallback: str = ""


# The child's whole program: it reads the bootstrap's marshalled code object from stdin (a
# 4-byte length first) and runs it. Compiling the bootstrap's source in every child instead
# cost 18 ms of its start-up, which is on the path of every `quizapp grade`.
_LOADER = (
    "import sys,marshal;r=sys.stdin.buffer.read;"
    "exec(marshal.loads(r(int.from_bytes(r(4),'little'))))"
)
_F_SETPIPE_SZ = 1031  # fcntl; Linux only


def _widen(fd: int) -> None:
    """Give a pipe 1 MiB where the system allows (64 KiB by default): the job and the results
    are megabytes, and each 64 KiB is a wake-up of the other side — one that waits for the GIL
    when a thread of the app is busy."""
    with contextlib.suppress(OSError, ImportError):
        import fcntl

        fcntl.fcntl(fd, _F_SETPIPE_SZ, 1 << 20)


@functools.cache
def _bootstrap_code() -> bytes:
    """The bootstrap's code object, marshalled and length-prefixed, as the loader reads it.

    It comes from the import system's cached bytecode when there is one (about 1 ms); the child
    runs the same interpreter binary, so the marshal format matches.
    """
    import marshal
    from importlib.machinery import SourceFileLoader

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_bootstrap.py")
    try:
        name = "quizapp.grading._bootstrap"
        code = SourceFileLoader(name, path).get_code(name)
    except (ImportError, OSError):  # an install without sources: compile what there is
        code = None
    if code is None:
        with open(path, encoding="utf-8") as fh:
            code = compile(fh.read(), "<bootstrap>", "exec")
    return _length_prefixed(marshal.dumps(code))


def _make_workdir() -> str:
    """`tempfile.mkdtemp(prefix="quizapp-grade-")` in `tempfile.gettempdir()`'s folder, without
    importing tempfile (it brings shutil, random and `re`: 10 ms before the child can start)."""
    candidates = [os.environ.get(name) for name in ("TMPDIR", "TEMP", "TMP")]
    for base in [*candidates, "/tmp", "/var/tmp", "/usr/tmp", os.getcwd()]:
        if not base or not os.path.isdir(base) or not os.access(base, os.W_OK | os.X_OK):
            continue
        for _ in range(100):
            path = os.path.join(os.path.abspath(base), "quizapp-grade-" + os.urandom(6).hex())
            try:
                os.mkdir(path, 0o700)
            except FileExistsError:
                continue
            except OSError:
                break
            return path
    raise OSError("no writable temporary directory for the grading work dir")


def _length_prefixed(data: bytes) -> bytes:
    return len(data).to_bytes(4, "little") + data


@functools.cache
def _numpy_dir() -> str:
    """The directory NumPy is installed in (found without importing it)."""
    from importlib.machinery import PathFinder

    spec = PathFinder.find_spec("numpy")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("NumPy is not installed")
    return os.path.dirname(os.path.abspath(next(iter(spec.submodule_search_locations))))


# What an answer sees of site-packages: NumPy, and SciPy when it is installed next to it.
_SITE_PACKAGES = ("numpy", "numpy.libs", "scipy", "scipy.libs")


def sandbox_info() -> SandboxInfo:
    """Which sandbox grading uses. ``QUIZAPP_SANDBOX=rlimits`` forces the fallback."""
    if _forced_fallback:
        return SandboxInfo("rlimits", _forced_fallback)
    return _static_info()


@functools.cache
def _static_info() -> SandboxInfo:
    if os.environ.get("QUIZAPP_SANDBOX", "").lower() == "rlimits":
        return SandboxInfo("rlimits", "QUIZAPP_SANDBOX=rlimits")
    if not sys.platform.startswith("linux"):
        return SandboxInfo("rlimits", f"bubblewrap needs Linux, this is {sys.platform}")
    if not _on_path("bwrap"):
        return SandboxInfo(
            "rlimits", "bubblewrap is not installed: no network/filesystem isolation"
        )
    return SandboxInfo("bubblewrap")


def _on_path(name: str) -> bool:
    """`shutil.which(name) is not None`, without importing shutil (it brings `re`)."""
    for folder in os.environ.get("PATH", os.defpath).split(os.pathsep):
        candidate = os.path.join(folder or ".", name)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return True
    return False


def mark_bwrap_unusable(reason: str) -> None:
    """Remember, for this process, that bwrap could not start a sandbox here.

    Called only when bwrap's child never reached the bootstrap's "ready" frame — which is sent
    before the answer's code has even been written to the child — so an answer cannot cause it.
    """
    global _forced_fallback
    _forced_fallback = f"bubblewrap failed here: {_printable(reason.strip()[:200])}"


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in text)


@functools.cache
def _user_task_count() -> int:
    """Tasks (threads) this uid already runs: RLIMIT_NPROC counts them all outside a userns."""
    uid = os.getuid()
    count = 0
    try:
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    if entry.stat().st_uid == uid:
                        count += len(os.listdir(f"/proc/{entry.name}/task"))
                except OSError:
                    continue
    except OSError:
        return 4096
    return count


@functools.cache
def _nobody_can_run_python() -> bool:
    """Running as root, we switch the child to `nobody` unless it could not even start Python."""
    for path in (_interpreter(), _numpy_dir(), os.path.realpath(os.__file__)):
        while True:
            try:
                mode = os.stat(path).st_mode
            except OSError:
                return False
            if not mode & 0o005:
                return False
            parent = os.path.dirname(path)
            if parent == path:
                break
            path = parent
    return True


@functools.cache
def _interpreter() -> str:
    """The real interpreter binary (a venv's `python` is a symlink to it)."""
    return os.path.realpath(sys.executable)


def _landlock_paths(workdir: str) -> dict[str, list[str]]:
    """What an answer may touch without bubblewrap: its workdir, and read-only what it needs to
    run (the same list bubblewrap binds) — not /etc, the home directory, the repository or the
    rest of /tmp."""
    ro = [arg for arg in _bwrap_binds() if arg.startswith("/")]
    return {"rw": [workdir], "ro": sorted({*ro, *_DEVICES})}


# The devices an answer may read without bubblewrap (bubblewrap's --dev has little more): not
# all of /dev — the app's terminal (/dev/pts/N, keystrokes), the console, /dev/kmsg, disks.
_DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom")


def _not_dumpable() -> None:
    """Make the app non-dumpable: a child that keeps the app's uid (no bubblewrap, no drop to
    nobody) could otherwise open /proc/<app>/mem (write the app's memory), /proc/<app>/fd/* or
    /proc/<app>/environ wherever Landlock does not stop it. Costs the app its core dumps."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE, 0


def _rlimits(limits: Limits, info: SandboxInfo, drop_root: bool) -> dict[str, int]:
    mb = 1024 * 1024
    nproc = limits.nproc
    if info.kind != "bubblewrap" and not drop_root:
        nproc += _user_task_count()  # counted per uid on the whole machine
    return {
        "cpu": limits.cpu_s,
        "as": limits.memory_mb * mb,
        "nproc": nproc,
        "nofile": limits.nofile,
        "fsize": limits.fsize_mb * mb,
        "core": 0,
    }


@functools.cache
def _bwrap_binds() -> tuple[str, ...]:
    """What the child sees under bubblewrap, read-only: the system's shared libraries, the
    interpreter, its standard library and NumPy (+ SciPy) — not `/`, not /etc, not the home
    directory, not the repository, not the rest of site-packages."""
    args: list[str] = []
    for path in ("/usr/lib", "/usr/lib64", "/usr/lib32", "/lib", "/lib64", "/lib32"):
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for path in ("/etc/ld.so.cache", "/etc/alternatives"):  # the dynamic loader's view
        if os.path.exists(path):
            args += ["--ro-bind", path, path]
    interpreter = _interpreter()
    args += ["--ro-bind", interpreter, interpreter]
    stdlib = os.path.dirname(os.path.realpath(os.__file__))
    args += ["--ro-bind", stdlib, stdlib]
    libdir = os.path.dirname(stdlib)  # a shared-library build's libpython sits next to it
    for name in sorted(os.listdir(libdir)) if os.path.isdir(libdir) else []:
        if name.startswith("libpython"):
            path = os.path.join(libdir, name)
            args += ["--ro-bind", path, path]
    site = os.path.realpath(_numpy_dir())
    for under in (os.path.join(stdlib, "site-packages"), os.path.join(stdlib, "dist-packages")):
        if os.path.isdir(under):  # the base install's own packages: hidden
            args += ["--tmpfs", under]
    args += ["--tmpfs", site] if site.startswith(stdlib + os.sep) else ["--dir", site]
    for name in _SITE_PACKAGES:
        path = os.path.join(site, name)
        if os.path.isdir(path):
            args += ["--ro-bind", path, path]
    return tuple(args)


def _bwrap_argv(limits: Limits) -> list[str]:
    size = str(limits.tmp_mb * 1024 * 1024)
    inner = _NOBODY if os.getuid() != _NOBODY else _NOBODY - 1  # never the app's own uid
    argv = [
        "bwrap",
        "--unshare-all",
        "--unshare-user",
        "--uid", str(inner),
        "--gid", str(inner),
        "--die-with-parent",
        "--new-session",
        "--proc", "/proc",
        "--dev", "/dev",
        "--size", size, "--tmpfs", "/tmp",  # before the binds: an install under /tmp works
        "--size", "1048576", "--tmpfs", "/dev/shm",
        *_bwrap_binds(),
        "--remount-ro", "/",  # the root bwrap builds is a tmpfs too: no writes outside /tmp
        "--remount-ro", "/dev",
    ]  # fmt: skip
    return [*argv, "--chdir", "/tmp", "--"]


_CHILD_ENV = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "HOME": "/tmp",
    "LANG": "C.UTF-8",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
}


class Child:
    """A started sandbox process waiting for its job on stdin (it imports NumPy meanwhile)."""

    def __init__(self, limits: Limits, info: SandboxInfo) -> None:
        self.limits = limits
        self.info = info
        bwrap = info.kind == "bubblewrap"
        drop_root = os.geteuid() == 0 and not bwrap and _nobody_can_run_python()
        self.workdir = ""
        if not bwrap:
            self.workdir = _make_workdir()
        if self.workdir and drop_root:
            os.chown(self.workdir, _NOBODY, _NOBODY)
        if not bwrap and not drop_root:
            _not_dumpable()
        read_fd, write_fd = os.pipe()
        _widen(write_fd)
        config = {
            "limits": _rlimits(limits, info, drop_root),
            "result_fd": write_fd,
            "numpy_dir": _numpy_dir(),
            "bwrap": bwrap,
            "workdir": self.workdir,
            "pdeathsig": not bwrap,
            "seccomp": True,
            "no_create": not bwrap,  # no size-bounded private /tmp: no file may be created
            "landlock": None if bwrap else _landlock_paths(self.workdir),
            "parent_pid": os.getpid(),
        }
        self._config = config
        argv = [_interpreter(), "-I", "-S", "-B", "-c", _LOADER]
        if bwrap:
            argv = _bwrap_argv(limits) + argv
        try:
            self.proc = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                pass_fds=(write_fd,),
                start_new_session=True,
                env=_CHILD_ENV,
                cwd=self.workdir or "/",
                # RLIMIT_NPROC does not bind root, and root could write anywhere: be nobody
                # (under bubblewrap the child is uid 65534 of its own user namespace)
                user=_NOBODY if drop_root else None,
                group=_NOBODY if drop_root else None,
                extra_groups=[] if drop_root else None,
            )
        except BaseException:
            os.close(read_fd)
            self._remove_workdir()
            raise
        finally:
            os.close(write_fd)
        self._result_fd = read_fd
        self._finished = False
        self.started = time.perf_counter()
        self._send_program()

    def _send_program(self) -> None:
        """Write the bootstrap's code and its config to the child's stdin, before the job (both
        are ours, not the answer's); the widened pipe takes them without waiting for the child
        to read. A child that died already (bwrap could not start) never says "ready", and
        :meth:`run` reports it."""
        import marshal

        assert self.proc.stdin is not None
        fd = self.proc.stdin.fileno()
        program = _bootstrap_code() + _length_prefixed(marshal.dumps(self._config))
        _widen(fd)
        with contextlib.suppress(BrokenPipeError, OSError):
            view = memoryview(program)
            while view:
                view = view[os.write(fd, view) :]

    def wait_ready(self, timeout: float) -> bool:
        """True once the child has imported NumPy (its first frame is waiting to be read)."""
        ready, _, _ = select.select([self._result_fd], [], [], timeout)
        return bool(ready)

    def alive(self) -> bool:
        return not self._finished and self.proc.returncode is None and _running(self.proc.pid)

    def run(
        self,
        job: bytes,
        cancel: CancelToken | None = None,
        wall_s: float | None = None,
        max_frames: int = 1_000,
    ) -> RunResult:
        """Send the job, collect frames and output, and always leave no process behind.

        The job is written only after the bootstrap's "ready" frame arrived: until then the
        answer's code is not in the child at all, so a child that never got ready (bubblewrap
        could not start) never ran the answer, and ``result.started`` says which happened.
        ``wall_s`` overrides the spawn-time wall limit (a warm child was started before the
        task was known); the CPU limit stays the one set at spawn. At most ``max_frames``
        frames are read (one per test plus a few); more, or frames beyond the reader's size
        bounds, end the run as ``malformed``.
        """
        from quizapp.grading._bootstrap import FrameReader

        result = RunResult(sandbox=self.info)
        assert self.proc.stdin is not None and self.proc.stdout is not None
        stdin_fd, out_fd = self.proc.stdin.fileno(), self.proc.stdout.fileno()
        for fd in (stdin_fd, out_fd, self._result_fd):
            os.set_blocking(fd, False)
        sel = selectors.DefaultSelector()
        sel.register(out_fd, selectors.EVENT_READ, "out")
        sel.register(self._result_fd, selectors.EVENT_READ, "result")
        if cancel is not None:
            sel.register(cancel.fileno(), selectors.EVENT_READ, "cancel")
        pending = memoryview(job)
        out = bytearray()
        reader = FrameReader(max_frames)
        received = 0
        open_streams = {"out", "result"}
        start = time.perf_counter()
        deadline = limit = start + (self.limits.wall_s if wall_s is None else wall_s)
        try:
            while open_streams:
                if cancel is not None and cancel.cancelled:
                    result.cancelled = True
                    break
                remaining = deadline - time.perf_counter()
                if remaining <= 0:
                    result.timed_out = "result" in open_streams
                    break
                for key, _ in sel.select(remaining):
                    what = key.data
                    if what == "cancel":
                        result.cancelled = True
                    elif what == "stdin":
                        try:
                            pending = pending[os.write(stdin_fd, pending) :]
                        except (BrokenPipeError, OSError):
                            pending = pending[:0]
                        if not pending:
                            sel.unregister(stdin_fd)
                            self.proc.stdin.close()
                    else:
                        chunk = _read(key.fd)
                        if chunk is None:
                            continue
                        if not chunk:
                            sel.unregister(key.fd)
                            open_streams.discard(what)
                            if what == "result":  # the child is done; its output follows
                                deadline = min(deadline, time.perf_counter() + 0.5)
                        elif what == "out":
                            room = self.limits.output_bytes - len(out)
                            out += chunk[: max(room, 0)]
                            result.output_dropped += max(len(chunk) - max(room, 0), 0)
                        else:
                            received += len(chunk)
                            try:
                                if received > _MAX_RESULT_BYTES:
                                    raise ValueError(
                                        f"the answer's results exceed {_MAX_RESULT_BYTES >> 20} MB"
                                    )
                                reader.feed(chunk)
                            except ValueError as exc:
                                result.malformed = f"unreadable result stream: {exc}"
                                open_streams.clear()
                                break
                            if not result.started and reader.frames:
                                if reader.frames[0][0].get("kind") != "ready":
                                    result.malformed = "the sandbox did not start properly"
                                    open_streams.clear()
                                    break
                                result.started = True  # from now on the answer may run
                                sel.register(stdin_fd, selectors.EVENT_WRITE, "stdin")
                if result.cancelled:
                    break
        finally:
            sel.close()
            self._let_exit(result, reader, limit)
            self.kill()
        result.wall_s = time.perf_counter() - start
        result.returncode = self.proc.returncode
        result.output = out.decode("utf-8", errors="replace")
        result.frames = reader.frames
        if reader.pending and not result.malformed and not result.timed_out:
            result.malformed = "the result stream ended in the middle of a frame"
        return result

    def _let_exit(self, result: RunResult, reader: Any, limit: float) -> None:
        """No final frame and the child is still there: it is dying (its CPU limit's SIGXCPU,
        a crash) or still running with its result stream closed. It may use its wall time,
        and its own exit status is judged, not the SIGKILL that follows; still there at the
        wall limit, it timed out. (Killing it as soon as its streams closed raced its CPU
        limit's SIGXCPU and called an endless loop a crash.)"""
        frames = reader.frames
        if (
            (frames and frames[-1][0].get("kind") == "done")
            or result.cancelled
            or result.malformed
            or result.timed_out
            or self.proc.poll() is not None
        ):
            return
        try:
            self.proc.wait(timeout=max(limit - time.perf_counter(), 0.0) + 0.2)
        except subprocess.TimeoutExpired:
            result.timed_out = True

    def kill(self) -> None:
        """SIGKILL the whole process group (bubblewrap takes its PID namespace down with it)."""
        if self._finished:
            return
        self._finished = True
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):  # SIGKILL cannot be ignored
            self.proc.wait(timeout=5)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        with contextlib.suppress(OSError):
            os.close(self._result_fd)
        self._remove_workdir()

    def _remove_workdir(self) -> None:
        if self.workdir:
            _remove_tree(self.workdir)

    def __del__(self) -> None:
        if hasattr(self, "proc"):
            self.kill()


def _remove_tree(path: str) -> None:
    """rmtree that also removes what the answer made unreadable (a mode-000 directory)."""
    import shutil

    for _ in range(3):
        try:
            shutil.rmtree(path)
            return
        except FileNotFoundError:
            return
        except OSError:
            pass
        with contextlib.suppress(OSError):
            os.chmod(path, 0o700)
        for root, dirs, _files in os.walk(path):  # top-down: fixed before it is entered
            for name in dirs:
                with contextlib.suppress(OSError):
                    os.chmod(os.path.join(root, name), 0o700, follow_symlinks=False)


def _read(fd: int) -> bytes | None:
    try:
        return os.read(fd, 1 << 20)  # a whole widened pipe: one wake-up per MiB of results
    except BlockingIOError:
        return None
    except OSError:
        return b""


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie is not running
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except OSError:
        return True


def probe(timeout: float = 30.0) -> SandboxInfo:
    """Start one child with no job and see whether the sandbox it was given came up.

    A bubblewrap child that never sends "ready" marks bubblewrap unusable for this process (as a
    grade would); the answer-free probe costs one Python + NumPy start-up.
    """
    info = sandbox_info()
    child = spawn(Limits(wall_s=timeout, cpu_s=int(timeout)))
    try:
        result = child.run(b"")
    finally:
        child.kill()
    if info.kind == "bubblewrap" and not result.started and not result.timed_out:
        mark_bwrap_unusable(result.output or f"exit status {result.returncode}")
    return sandbox_info()


def spawn(limits: Limits | None = None) -> Child:
    """Start a sandbox child now; send it a job later with :meth:`Child.run`."""
    return Child(limits or Limits(), sandbox_info())


# A child `python -m quizapp grade` started before it even imported the CLI (see __main__);
# the grade command takes it.
prestarted: list[Child] = []


class WarmPool:
    """Keeps one child started ahead of time, so a re-grade in the TUI skips Python+NumPy start.

    Each child serves exactly one grade (no state can leak between attempts); a fresh one is
    started in the background as soon as the previous one is taken. Warm children are spawned
    by one thread that lives as long as the pool: the child's death signal (PR_SET_PDEATHSIG,
    bwrap's --die-with-parent) fires when the *thread* that spawned it exits, so a child
    spawned from a short-lived worker thread would die before it is used.
    """

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self._child: Child | None = None
        self._lock = threading.Lock()  # grades of a cancelled and a new run may overlap
        self._closed = False
        self._wake = threading.Condition(self._lock)
        self._wanted = False
        self._idle = threading.Event()
        self._idle.set()
        self._thread = threading.Thread(target=self._spawner, name="quizapp-warm", daemon=True)
        self._thread.start()

    def _usable(self, child: Child | None) -> bool:
        return child is not None and child.alive() and child.info == sandbox_info()

    def _spawner(self) -> None:
        while True:
            with self._lock:
                while not self._wanted and not self._closed:
                    self._wake.wait()
                if self._closed:
                    return
                self._wanted = False
                stale = None if self._usable(self._child) else self._child
                if stale is None and self._child is not None:
                    self._idle.set()
                    continue
                self._child = None
            if stale is not None:
                stale.kill()
            try:
                child: Child | None = spawn(self.limits)
            except OSError:
                child = None
            with self._lock:
                if self._closed or child is None:
                    pass
                else:
                    self._child, child = child, None
                self._idle.set()
            if child is not None:
                child.kill()

    def prestart(self, wait: bool = True) -> None:
        """Ask the pool's thread for a warm child; ``wait``: until it has been spawned."""
        with self._lock:
            if self._closed:
                return
            self._wanted = True
            self._idle.clear()
            self._wake.notify()
        if wait:
            self._idle.wait(10)

    def take(self) -> Child:
        with self._lock:
            child, self._child = self._child, None
        if child is not None and self._usable(child):
            return child
        if child is not None:
            child.kill()
        return spawn(self.limits)  # serves only this grade, in the grading thread

    def close(self) -> None:
        with self._lock:
            self._closed = True
            child, self._child = self._child, None
            self._wake.notify()
        if child is not None:
            child.kill()
