# expect: passed
import numpy as np


def label_smoothing_cross_entropy(logits, labels, eps):
    z = np.asarray(logits, dtype=float)
    lse = np.logaddexp.reduce(z, axis=1, keepdims=True)
    logp = z - lse
    n, c = z.shape
    nll = -logp[np.arange(n), np.asarray(labels)]
    smooth = -logp.sum(axis=1) / c
    return float(np.mean((1 - eps) * nll + eps * smooth))
