# expect: wrong_answer
import numpy as np
def dropout_forward(x, p, training, rng):
    if not training:
        return np.ones_like(x), x
    mask = (rng.random(x.shape) >= p) / (1 - p)
    return mask, x * mask
