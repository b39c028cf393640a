# expect: passed
# returns a list [out, mask] and uses rng.uniform
import numpy as np


def dropout_forward(x, p, training, rng):
    x = np.asarray(x, dtype=np.float64)
    if training:
        mask = np.where(rng.uniform(0, 1, x.shape) < p, 0.0, 1.0 / (1.0 - p))
    else:
        mask = np.ones(x.shape)
    return [x * mask, mask]
