# expect: wrong_answer
import numpy as np
def label_smoothing_cross_entropy(logits, labels, eps):
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    lp = np.log(p)
    n, c = lp.shape
    q = np.full((n, c), eps / c)
    q[np.arange(n), labels] += 1 - eps
    return float(-(q * lp).sum(axis=1).mean())
