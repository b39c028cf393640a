# expect: wrong_answer
# Ignores rng: a golden-ratio (Weyl) sequence has exactly the right drop rate, but neighbouring
# units are never dropped together.
import numpy as np


def dropout_forward(x, p, training, rng):
    x = np.asarray(x, dtype=float)
    if not training:
        return x.copy(), np.ones_like(x)
    u = (np.arange(x.size) * 0.6180339887498949) % 1.0
    mask = (u.reshape(x.shape) >= p) / (1.0 - p)
    return x * mask, mask
