# expect: wrong_answer
import numpy as np


def label_smoothing_cross_entropy(logits, labels, eps):
    z = np.asarray(logits, dtype=float)
    n, c = z.shape
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    q = np.full((n, c), eps / c)
    q[np.arange(n), labels] += 1 - eps
    with np.errstate(all="ignore"):
        return float(-(q * np.log(p)).sum() / n)
