# expect: wrong_answer
import numpy as np
def l1_subgradient(w, lam):
    out = np.zeros_like(w)
    for i, v in np.ndenumerate(w):
        out[i] = lam * (1 if v > 0 else -1 if v < 0 else 0)
    return out
