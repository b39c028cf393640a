# expect: wrong_answer
import numpy as np


def mixup(x, y, alpha, rng):
    lam = float(rng.beta(alpha, alpha))
    perm = rng.permutation(len(x))
    return lam * x + (1 - lam) * x[perm], np.asarray(y, dtype=float), lam, perm
