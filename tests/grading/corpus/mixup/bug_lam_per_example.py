# expect: bad_output
import numpy as np


def mixup(x, y, alpha, rng):
    lam = rng.beta(alpha, alpha, size=(len(x), 1))
    perm = rng.permutation(len(x))
    return lam * x + (1 - lam) * x[perm], lam * y + (1 - lam) * y[perm], lam, perm
