# expect: passed

import numpy as np
def dropout_forward(x, p, training, rng):
    if not training:
        return x, np.ones_like(x)
    mask = rng.choice([0.0, 1.0 / (1 - p)], size=x.shape, p=[p, 1 - p])
    return x * mask, mask
