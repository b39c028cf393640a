# expect: passed
import numpy as np


def elastic_net_penalty(w, lam, l1_ratio):
    w = np.asarray(w, dtype=float)
    return lam * (l1_ratio * np.abs(w).sum() + (1 - l1_ratio) / 2 * np.sum(w ** 2))
