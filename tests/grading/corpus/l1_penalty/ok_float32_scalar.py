# expect: passed

import numpy as np
def l1_penalty(w, lam):
    return np.float32(lam) * np.abs(np.asarray(w, dtype=np.float32)).sum()
