# expect: wrong_answer
import numpy as np


def soft_threshold(x, t):
    x = np.asarray(x, dtype=float)
    return np.where(np.abs(x) > t, x, 0.0)
