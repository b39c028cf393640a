# expect: wrong_answer
import numpy as np


def dropout_forward(x, p, training, rng):
    if not training:
        return x, np.ones_like(x, dtype=float)
    mask = (rng.random(x.shape) >= p) / (1 - p)
    if x.dtype.kind == "f":
        x *= mask
        return x, mask
    return x * mask, mask
