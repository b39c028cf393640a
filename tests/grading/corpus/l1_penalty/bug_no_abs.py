# expect: wrong_answer
import numpy as np


def l1_penalty(w, lam):
    return float(lam * np.sum(w))
