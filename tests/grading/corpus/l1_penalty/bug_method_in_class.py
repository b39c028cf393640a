# expect: missing_function
import numpy as np
class Solution:
    def l1_penalty(self, w, lam):
        return lam * np.abs(w).sum()
