# expect: wrong_answer
import numpy as np


def spectral_norm_sigma(W, n_iter=100):
    return float(np.linalg.norm(np.asarray(W, dtype=float)))
