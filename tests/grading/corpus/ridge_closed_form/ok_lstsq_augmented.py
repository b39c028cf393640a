# expect: passed
# ridge as least squares on an augmented system [X; sqrt(lam) I] w = [y; 0]
import numpy as np


def ridge_closed_form(X, y, lam):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    d = X.shape[1]
    A = np.vstack([X, np.sqrt(lam) * np.eye(d)])
    b = np.concatenate([y, np.zeros(d)])
    return np.linalg.lstsq(A, b, rcond=None)[0]
