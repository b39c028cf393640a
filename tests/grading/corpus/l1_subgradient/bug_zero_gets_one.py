# expect: wrong_answer
import numpy as np


def l1_subgradient(w, lam):
    return lam * np.where(np.asarray(w) >= 0, 1.0, -1.0)
