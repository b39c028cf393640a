# expect: wrong_answer
import numpy as np


def l2_gradient(w, lam):
    return lam * np.asarray(w, dtype=float)
