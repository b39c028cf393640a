# expect: runtime_error

import numpy as np
def l1_penalty(w, lam, n):
    return lam*np.abs(w).sum()/n
