# expect: passed

import numpy as np
def l1_penalty(w, lam):
    return np.asarray(lam * np.abs(w).sum())
