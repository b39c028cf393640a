# expect: wrong_answer
# Ignores rng: a checkerboard when p = 0.5, otherwise runs of round(10p) dropped units in every
# 10, shifted from row to row — the right rate and different rows, but no randomness.
import numpy as np


def dropout_forward(x, p, training, rng):
    x = np.asarray(x, dtype=float)
    if not training or p == 0:
        return x.copy(), np.ones_like(x)
    grid = np.indices(x.shape).reshape(x.ndim, -1)
    j = grid[-1]
    i = grid[:-1].sum(axis=0) if x.ndim > 1 else 0
    if p == 0.5:
        dropped = (i + j) % 2 == 0
    else:
        dropped = (j + 3 * i) % 10 < round(10 * p)
    mask = ~dropped.reshape(x.shape) / (1.0 - p)
    return x * mask, mask
