# expect: wrong_answer
# np.zeros_like of an int input is an int array: 2·λ·w is truncated into it.
import numpy as np


def l2_gradient(w, lam):
    w = np.asarray(w)
    grad = np.zeros_like(w)
    grad[...] = 2 * lam * w
    return grad
