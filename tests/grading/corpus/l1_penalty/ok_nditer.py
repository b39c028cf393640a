# expect: passed

import numpy as np
def l1_penalty(w, lam):
    s = 0.0
    for v in np.nditer(np.asarray(w)):
        s += abs(float(v))
    return lam * s
