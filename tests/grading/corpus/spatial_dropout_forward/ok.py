# expect: passed
import numpy as np


def spatial_dropout_forward(x, p, training, rng):
    x = np.asarray(x, dtype=float)
    shape = (x.shape[0], x.shape[1]) + (1,) * (x.ndim - 2)
    if not training:
        return x.copy(), np.ones(shape)
    keep = rng.binomial(1, 1 - p, size=shape)
    mask = keep / (1 - p)
    return x * mask, mask
