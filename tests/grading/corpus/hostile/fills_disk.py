# task: l1_penalty
# expect: passed
# Issue 11 (9): writes 13 MB files (under the 16 MB file-size limit) into its cwd and /tmp until
# 128 MB are written or a write fails: the work dir must have a size bound (64 MB).
import os

import numpy as np

written = 0
chunk = b"x" * (13 << 20)
try:
    for i in range(10):
        for where in (".", "/tmp"):
            with open(os.path.join(where, f"quizapp_fill_{len(where)}_{i}"), "wb") as fh:
                fh.write(chunk)
            written += len(chunk)
except OSError:
    pass
try:
    os.mkdir("locked")
    os.chmod("locked", 0)
except OSError:
    pass


def l1_penalty(w, lam):
    if written > 64 << 20:
        return -1.0
    return float(lam * np.abs(np.asarray(w, dtype=float)).sum())
