# task: l1_penalty
# expect: timeout
# Issue 11 (9): clears its parent-death signal, then sleeps (a survivor if the app is killed).
import ctypes
import time

ctypes.CDLL(None).prctl(1, 0)  # PR_SET_PDEATHSIG, 0


def l1_penalty(w, lam):
    time.sleep(60)
