# expect: passed
import numpy as np


def l1_subgradient(w, lam):
    return lam * np.sign(w).astype(float)
