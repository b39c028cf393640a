# expect: wrong_answer
import numpy as np


def l2_penalty(w, lam):
    return lam * float(np.linalg.norm(np.asarray(w, dtype=float)))
