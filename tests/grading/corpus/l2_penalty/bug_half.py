# expect: wrong_answer
import numpy as np


def l2_penalty(w, lam):
    return 0.5 * lam * float(np.sum(np.asarray(w, dtype=float) ** 2))
