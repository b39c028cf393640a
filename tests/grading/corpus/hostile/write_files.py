# task: dropout_forward
# expect: passed
# Tries to write outside its sandbox at import; the answer itself is correct.
import os

import numpy as np

for target in ("/tmp/quizapp_hostile_tmp.txt", "/root/quizapp_hostile_home.txt",
               os.path.expanduser("~/quizapp_hostile_home2.txt"), "/var/tmp/quizapp_hostile.txt",
               "/dev/shm/quizapp_hostile.txt", "quizapp_hostile_cwd.txt"):
    try:
        with open(target, "w") as fh:
            fh.write("pwned")
    except OSError:
        pass

def dropout_forward(x, p, training, rng):
    x = np.asarray(x, dtype=float)
    if not training:
        return x.copy(), np.ones_like(x)
    mask = (rng.random(x.shape) >= p) / (1.0 - p)
    return x * mask, mask
