# expect: wrong_answer
import numpy as np


def elastic_net_penalty(w, lam, l1_ratio):
    w = np.asarray(w, dtype=float)
    return float(lam * ((1 - l1_ratio) * np.abs(w).sum() + 0.5 * l1_ratio * np.sum(w ** 2)))
