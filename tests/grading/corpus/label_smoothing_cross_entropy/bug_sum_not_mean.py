# expect: wrong_answer
import numpy as np


def label_smoothing_cross_entropy(logits, labels, eps):
    z = np.asarray(logits, dtype=float)
    n, c = z.shape
    m = z.max(axis=1, keepdims=True)
    logp = z - m - np.log(np.sum(np.exp(z - m), axis=1, keepdims=True))
    q = np.full((n, c), eps / c)
    q[np.arange(n), labels] += 1 - eps
    return float(-(q * logp).sum())
