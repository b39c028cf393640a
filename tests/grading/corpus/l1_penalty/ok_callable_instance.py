# expect: passed

import numpy as np
class _L1:
    def __call__(self, w, lam):
        return lam * np.abs(w).sum()
l1_penalty = _L1()
