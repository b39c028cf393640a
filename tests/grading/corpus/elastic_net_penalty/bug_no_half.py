# expect: wrong_answer
# source 002's convention: no ½ on the L2 part
import numpy as np


def elastic_net_penalty(w, lam, l1_ratio):
    w = np.asarray(w, dtype=float)
    return float(lam * (l1_ratio * np.abs(w).sum() + (1 - l1_ratio) * np.sum(w ** 2)))
