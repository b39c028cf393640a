# expect: passed

import numpy as np
def l2_gradient(w, lam):
    g = np.asfortranarray(2 * lam * np.asarray(w, dtype='>f8'))
    return g
