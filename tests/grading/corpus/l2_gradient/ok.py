# expect: passed
import numpy as np


def l2_gradient(w, lam):
    return 2 * lam * np.array(w, dtype=float)
