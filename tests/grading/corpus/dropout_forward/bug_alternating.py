# expect: wrong_answer
# Ignores rng: drops every other unit when p = 0.5, and a fixed stride pattern otherwise.
import numpy as np


def dropout_forward(x, p, training, rng):
    x = np.asarray(x, dtype=float)
    if not training or p == 0:
        return x.copy(), np.ones_like(x)
    period = round(1 / p) if p <= 0.5 else 1
    idx = np.arange(x.size).reshape(x.shape)
    keep = (idx % period != 0) if p <= 0.5 else (idx % 10 >= round(10 * p))
    mask = keep / (1.0 - p)
    return x * mask, mask
