# saved by an editor that writes a UTF-8 BOM
# expect: passed
import numpy as np


def l1_penalty(w, lam):
    return lam * np.abs(w).sum()
