# task: l1_penalty
# expect: runtime_error
import os

for fd in range(3, 64):
    try:
        os.close(fd)
    except OSError:
        pass


def l1_penalty(w, lam):
    return 0.0
