# task: l1_penalty
# expect: forbidden_import
# catches the ImportError and carries on: still forbidden
import numpy as np

try:
    __import__("tor" + "ch")
except ImportError:
    pass


def l1_penalty(w, lam):
    return float(lam * np.abs(w).sum())
