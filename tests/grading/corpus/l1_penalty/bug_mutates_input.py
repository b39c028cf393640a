# expect: wrong_answer
import numpy as np


def l1_penalty(w, lam):
    np.abs(w, out=w) if w.dtype.kind == "f" else None
    return float(lam * np.abs(w).sum())
