# expect: passed
import numpy as np


def ridge_closed_form(X, y, lam):
    X = np.asarray(X, dtype=float)
    d = X.shape[1]
    return np.linalg.solve(X.T @ X + lam * np.eye(d), X.T @ np.asarray(y, dtype=float))
