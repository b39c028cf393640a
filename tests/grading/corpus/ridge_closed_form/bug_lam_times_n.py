# expect: wrong_answer
import numpy as np


def ridge_closed_form(X, y, lam):
    X = np.asarray(X, dtype=float)
    n, d = X.shape
    return np.linalg.solve(X.T @ X + n * lam * np.eye(d), X.T @ y)
