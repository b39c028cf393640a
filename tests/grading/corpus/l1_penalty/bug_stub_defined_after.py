# expect: bad_output
import numpy as np


def l1_penalty(w, lam):
    return lam * np.abs(w).sum()


def l1_penalty(w, lam):
    ...
