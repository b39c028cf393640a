# expect: wrong_answer
import numpy as np


def ridge_with_intercept(X, y, lam):
    X = np.asarray(X, dtype=float)
    n, d = X.shape
    A = np.hstack([X, np.ones((n, 1))])
    coef = np.linalg.solve(A.T @ A + lam * np.eye(d + 1), A.T @ np.asarray(y, dtype=float))
    return coef[:d], float(coef[d])
