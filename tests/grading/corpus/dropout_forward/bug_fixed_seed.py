# expect: wrong_answer
# Makes its own generator with a fixed seed: the same mask on every call.
import numpy as np


def dropout_forward(x, p, training, rng):
    x = np.asarray(x, dtype=float)
    if not training:
        return x.copy(), np.ones_like(x)
    mask = (np.random.default_rng(0).random(x.shape) >= p) / (1.0 - p)
    return x * mask, mask
