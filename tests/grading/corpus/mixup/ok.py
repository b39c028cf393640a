# expect: passed
import numpy as np


def mixup(x, y, alpha, rng):
    lam = rng.beta(alpha, alpha)
    idx = rng.permutation(x.shape[0])
    return lam * x + (1 - lam) * x[idx], lam * y + (1 - lam) * y[idx], float(lam), idx
