# expect: passed
import numpy as np


def l2_penalty(w, lam):
    v = np.asarray(w, dtype=float).ravel()
    return lam * float(v @ v)
