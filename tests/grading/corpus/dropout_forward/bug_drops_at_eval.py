# expect: wrong_answer

import numpy as np
def dropout_forward(x, p, training, rng):
    mask = (rng.random(x.shape) >= p) / (1-p)
    return x * mask, mask
