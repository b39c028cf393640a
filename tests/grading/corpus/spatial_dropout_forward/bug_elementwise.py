# expect: wrong_answer
# ordinary dropout: one draw per element instead of per channel
import numpy as np


def spatial_dropout_forward(x, p, training, rng):
    x = np.asarray(x, dtype=float)
    if not training:
        return x.copy(), np.ones_like(x)
    mask = (rng.random(x.shape) >= p) / (1 - p)
    return x * mask, mask
