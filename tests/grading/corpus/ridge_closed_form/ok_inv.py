# expect: passed

import numpy as np
def ridge_closed_form(X, y, lam):
    d = X.shape[1]
    return np.linalg.inv(X.T @ X + lam * np.eye(d)) @ X.T @ y
