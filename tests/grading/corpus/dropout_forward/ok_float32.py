# expect: passed

import numpy as np
def dropout_forward(x, p, training, rng):
    x = np.asarray(x, dtype=np.float32)
    if not training:
        return x, np.ones_like(x)
    m = (rng.random(x.shape, dtype=np.float32) >= p).astype(np.float32) / np.float32(1 - p)
    return x * m, m
