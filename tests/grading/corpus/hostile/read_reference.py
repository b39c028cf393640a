# task: l1_penalty
# expect: wrong_answer
# Tries to read the reference implementation through the grader's cwd; returns the right
# answer only if it could.
import os

import numpy as np

try:
    with open(f"/proc/{os.getppid()}/cwd/solvers/l1.py") as fh:
        LEAKED = "def l1_penalty" in fh.read()
except OSError:
    LEAKED = False


def l1_penalty(w, lam):
    if LEAKED:
        return float(lam * np.abs(w).sum())
    return -1.0
