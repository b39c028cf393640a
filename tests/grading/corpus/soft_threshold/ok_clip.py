# expect: passed
import numpy as np


def soft_threshold(x, t):
    x = np.asarray(x, dtype=float)
    return x - np.clip(x, -t, t)
