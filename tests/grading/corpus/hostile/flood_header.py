# task: l1_penalty
# expect: bad_output
# Issue 11 (6): a 12 MB frame header of empty lists (it cost the app 363 MB and 2 s to parse).
import fcntl
import json
import os
import stat
import struct
import sys

import numpy as np

def _is_write_pipe(n):
    try:
        mode = os.fstat(n).st_mode
        return stat.S_ISFIFO(mode) and fcntl.fcntl(n, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY
    except OSError:
        return False


# The result stream's fd: the write end of a pipe other than stdout/stderr (the config that
# names it is not visible to the answer, but finding it is easy all the same).
fd = next(n for n in range(3, 256) if _is_write_pipe(n))


def l1_penalty(w, lam):
    head = b'{"kind": "x", "v": [' + b"[]," * 4_000_000 + b"[]]}"
    os.write(fd, struct.pack("<II", len(head), 0) + head)
    return float(lam * np.abs(np.asarray(w, dtype=float)).sum())
