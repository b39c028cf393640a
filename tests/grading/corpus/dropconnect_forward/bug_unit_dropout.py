# expect: wrong_answer
# drops output units (ordinary dropout after the layer) instead of weights
import numpy as np


def dropconnect_forward(x, W, p, training, rng):
    out = np.asarray(x, dtype=float) @ W
    if not training:
        return out, np.ones(W.shape)
    keep = (rng.random(W.shape[1]) >= p) / (1 - p)
    return out * keep, np.broadcast_to(keep, W.shape).copy()
