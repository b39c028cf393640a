# expect: wrong_answer
import numpy as np


def ridge_closed_form(X, y, lam):
    X = np.asarray(X, dtype=float)
    w = np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)
    return w[:, None]
