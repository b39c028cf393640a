# expect: passed

import numpy as np
import scipy
def l1_penalty(w, lam):
    return lam * np.abs(w).sum()
