# expect: wrong_answer
# scales in training AND at inference (source 001's bug)
import numpy as np


def dropout_forward(x, p, training, rng):
    x = np.asarray(x, dtype=float)
    if not training:
        return x * (1 - p), np.full_like(x, 1 - p)
    mask = (rng.random(x.shape) >= p) / (1 - p)
    return x * mask, mask
