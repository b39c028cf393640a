# expect: syntax_error
# résumé: Latin-1 bytes, undeclared (Python refuses this file too)
import numpy as np


def l1_penalty(w, lam):
    return lam * np.abs(w).sum()
