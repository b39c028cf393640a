# expect: wrong_answer
import numpy as np
def l2_penalty(w, lam):
    return lam * np.linalg.norm(w, 2) ** 2
