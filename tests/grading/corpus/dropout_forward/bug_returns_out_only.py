# expect: bad_output
import numpy as np


def dropout_forward(x, p, training, rng):
    x = np.asarray(x, dtype=float)
    if not training:
        return x.copy()
    return x * (rng.random(x.shape) >= p) / (1 - p)
