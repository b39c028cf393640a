# expect: wrong_answer
# np.linalg.norm on a vector is L2, and on a matrix it is Frobenius.
import numpy as np


def l1_penalty(w, lam):
    return float(lam * np.linalg.norm(w))
