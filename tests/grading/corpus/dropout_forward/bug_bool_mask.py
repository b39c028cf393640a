# expect: wrong_answer

import numpy as np
def dropout_forward(x, p, training, rng):
    if not training:
        return x, np.ones(x.shape, dtype=bool)
    mask = rng.random(x.shape) >= p
    return x * mask / (1 - p), mask
