# expect: passed

import numpy as np
def label_smoothing_cross_entropy(logits, labels, eps):
    z = np.asarray(logits, dtype=np.float32)
    z = z - z.max(axis=1, keepdims=True)
    lp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    N, C = z.shape
    onehot = np.eye(C, dtype=np.float32)[labels]
    q = (1 - eps) * onehot + eps / C
    return float(-(q * lp).sum(axis=1).mean())
