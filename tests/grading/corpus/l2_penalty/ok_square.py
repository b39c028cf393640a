# expect: passed
import numpy as np


def l2_penalty(w, lam):
    return float(lam * np.square(np.asarray(w, dtype=np.float64)).sum())
