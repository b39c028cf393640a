# expect: wrong_answer
import numpy as np


def soft_threshold(x, t):
    return np.maximum(np.abs(np.asarray(x, dtype=float)) - t, 0.0)
