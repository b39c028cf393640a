# expect: wrong_answer
# one mask for the whole batch (broadcast over rows)
import numpy as np


def dropout_forward(x, p, training, rng):
    x = np.asarray(x, dtype=float)
    if not training:
        return x.copy(), np.ones_like(x)
    mask = (rng.random(x.shape[-1:]) >= p) / (1 - p)
    mask = np.broadcast_to(mask, x.shape).copy()
    return x * mask, mask
