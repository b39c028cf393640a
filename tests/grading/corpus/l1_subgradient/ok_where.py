# expect: passed
import numpy as np


def l1_subgradient(w, lam):
    w = np.asarray(w, dtype=float)
    return np.where(w > 0, lam, np.where(w < 0, -lam, 0.0))
