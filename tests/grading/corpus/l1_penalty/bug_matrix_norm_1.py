# expect: wrong_answer
import numpy as np
def l1_penalty(w, lam):
    return lam * np.linalg.norm(w, 1)
