# expect: missing_function
import numpy as np
def l1_penalty(w, lam):
    return lam * np.abs(w).sum()
l1_penalty = l1_penalty(np.array([1.0, -2.0]), 0.5)
print(l1_penalty)
