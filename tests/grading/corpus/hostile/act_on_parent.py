# task: l1_penalty
# expect: passed
# Issue 11 (1): tries to act on the app (its parent outside bubblewrap): set its rlimits, nice
# value, CPU affinity and I/O priority — each to the value it already has, so nothing changes
# even where the call gets through. Any call that succeeds makes the answer wrong.
import ctypes
import os
import resource

import numpy as np

target = os.getppid()
reached = []
try:
    resource.prlimit(target, resource.RLIMIT_CORE, resource.prlimit(target, resource.RLIMIT_CORE))
    reached.append("prlimit64")
except OSError:
    pass
try:
    os.setpriority(os.PRIO_PROCESS, target, os.getpriority(os.PRIO_PROCESS, target))
    reached.append("setpriority")
except OSError:
    pass
try:
    os.sched_setaffinity(target, os.sched_getaffinity(target))
    reached.append("sched_setaffinity")
except OSError:
    pass
libc = ctypes.CDLL(None, use_errno=True)
prio = libc.syscall(252, 1, target)  # ioprio_get(IOPRIO_WHO_PROCESS, target), x86-64
if prio >= 0 and libc.syscall(251, 1, target, prio) == 0:  # ioprio_set to the same value
    reached.append("ioprio_set")
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # on itself: still allowed


def l1_penalty(w, lam):
    if reached:
        return -1.0  # the app was reachable
    return float(lam * np.abs(np.asarray(w, dtype=float)).sum())
