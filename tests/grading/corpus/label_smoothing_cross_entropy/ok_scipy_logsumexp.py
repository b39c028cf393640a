# expect: passed

import numpy as np
from scipy.special import logsumexp
def label_smoothing_cross_entropy(logits, labels, eps):
    lp = logits - logsumexp(logits, axis=1, keepdims=True)
    n, c = lp.shape
    return float(np.mean(-(1-eps)*lp[np.arange(n), labels] - eps*lp.mean(axis=1)))
