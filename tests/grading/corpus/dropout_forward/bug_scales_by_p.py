# expect: wrong_answer

import numpy as np
def dropout_forward(x, p, training, rng):
    if not training:
        return x, np.ones_like(x)
    mask = (rng.random(x.shape) >= p) * p
    return x * mask, mask
