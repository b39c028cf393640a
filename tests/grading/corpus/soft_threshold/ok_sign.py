# expect: passed
import numpy as np


def soft_threshold(x, t):
    x = np.asarray(x, dtype=float)
    return np.sign(x) * np.maximum(np.abs(x) - t, 0)
