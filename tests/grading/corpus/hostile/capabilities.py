# task: l1_penalty
# expect: passed
# Second adversarial pass: as root, bubblewrap's child had every capability of its user
# namespace (CapEff 000001ffffffffff) — enough to mount a tmpfs with no size bound, had mounts
# not been refused too. The child must hold no capability at all, in every mode.
import ctypes

import numpy as np

libc = ctypes.CDLL(None, use_errno=True)
header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
data = (ctypes.c_uint32 * 6)()  # two {effective, permitted, inheritable} words
held = [] if libc.capget(header, data) == 0 and not any(data) else [list(data)]


def l1_penalty(w, lam):
    if held:
        raise RuntimeError(f"the child holds capabilities: {held}")
    return float(lam * np.abs(np.asarray(w, dtype=float)).sum())
