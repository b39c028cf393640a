# expect: passed
import numpy as np


def l2_gradient(w, lam):
    flat = [2.0 * lam * float(v) for v in np.ravel(w)]
    return np.array(flat).reshape(np.shape(w))
