# expect: passed
# c / 0 = inf for the zero column, but min(1, inf) = 1 and 0 * 1 = 0: correct (with a warning)

import numpy as np
def max_norm(W, c):
    W = np.asarray(W, dtype=float)
    n = np.linalg.norm(W, axis=0)
    return W * np.minimum(1.0, c / n)
