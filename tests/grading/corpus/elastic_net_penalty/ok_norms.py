# expect: passed
import numpy as np


def elastic_net_penalty(w, lam, l1_ratio):
    v = np.ravel(np.asarray(w, dtype=float))
    l1 = np.linalg.norm(v, 1)
    l2 = np.linalg.norm(v) ** 2
    return lam * l1_ratio * l1 + lam * (1 - l1_ratio) * l2 / 2
