# task: l1_penalty
# expect: runtime_error
# Issue 11 (5): frames whose fields have the wrong types: a list as the kind, an int where the
# traceback is, an array index of 1e400. The judge must answer with a report, not crash.
import fcntl
import json
import os
import stat
import struct
import sys

def _is_write_pipe(n):
    try:
        mode = os.fstat(n).st_mode
        return stat.S_ISFIFO(mode) and fcntl.fcntl(n, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY
    except OSError:
        return False


# The result stream's fd: the write end of a pipe other than stdout/stderr (the config that
# names it is not visible to the answer, but finding it is easy all the same).
fd = next(n for n in range(3, 256) if _is_write_pipe(n))


def frame(header):
    head = json.dumps(header).encode()
    os.write(fd, struct.pack("<II", len(head), 0) + head)


def l1_penalty(w, lam):
    frame({"kind": [], "i": 0})
    frame({"kind": "case", "i": 0, "ok": False, "exc": {"type": "X", "frames": 5, "message": 3}})
    frame({"kind": "case", "i": 1, "ok": True, "out": {"t": "array", "a": 1e400}})
    frame({"kind": "case", "i": 2, "ok": True, "out": {"t": "float", "v": 10**400}})
    frame({"kind": "case", "i": 3, "ok": True, "out": {"t": "list", "v": "x"}})
    os._exit(0)
