# expect: wrong_answer
import numpy as np


def l2_gradient(w, lam):
    if w.dtype.kind == "f":
        w *= 2 * lam
        return w
    return 2 * lam * w.astype(float)
