# task: dropout_forward
# expect: passed
# Tries to kill the grader (and everything in its process group) at import.
import os
import signal

import numpy as np

for target in (os.getppid(), -os.getpgid(os.getppid()), -1):
    try:
        os.kill(target, signal.SIGKILL)
    except OSError:
        pass

def dropout_forward(x, p, training, rng):
    x = np.asarray(x, dtype=float)
    if not training:
        return x.copy(), np.ones_like(x)
    mask = (rng.random(x.shape) >= p) / (1.0 - p)
    return x * mask, mask
