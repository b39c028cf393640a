# expect: wrong_answer
# keeps with probability p instead of 1 - p
import numpy as np


def dropout_forward(x, p, training, rng):
    x = np.asarray(x, dtype=float)
    if not training:
        return x.copy(), np.ones_like(x)
    mask = (rng.random(x.shape) < p) / (1 - p)
    return x * mask, mask
