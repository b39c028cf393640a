# expect: passed
# draws from np.random instead of rng: "any valid way" passes (PRODUCT.md)

import numpy as np
def dropout_forward(x, p, training, rng):
    if not training:
        return x, np.ones_like(x)
    mask = (np.random.rand(*x.shape) >= p) / (1-p)
    return x * mask, mask
