# expect: wrong_answer
import numpy as np


def variational_dropout_forward(x, p, training, rng):
    x = np.asarray(x, dtype=float)
    if not training:
        return x.copy(), np.ones((x.shape[0], 1, x.shape[2]))
    mask = (rng.random(x.shape) >= p) / (1 - p)
    return x * mask, mask
