# expect: wrong_answer
# Draws correctly only when every input is 1 (where a naive grader measures the rate);
# elsewhere it drops with probability p / 2.
import numpy as np


def dropout_forward(x, p, training, rng):
    x = np.asarray(x, dtype=float)
    if not training:
        return x.copy(), np.ones_like(x)
    rate = p if np.all(x == 1) else p / 2
    mask = (rng.random(x.shape) >= rate) / (1.0 - p)
    return x * mask, mask
