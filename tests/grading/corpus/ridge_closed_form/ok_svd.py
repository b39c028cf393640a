# expect: passed

import numpy as np
def ridge_closed_form(X, y, lam):
    U, s, Vt = np.linalg.svd(np.asarray(X, float), full_matrices=False)
    return Vt.T @ ((s / (s**2 + lam)) * (U.T @ y))
