# expect: passed
# augments X with a column of ones but leaves its coefficient out of the penalty
import numpy as np


def ridge_with_intercept(X, y, lam):
    X = np.asarray(X, dtype=float)
    n, d = X.shape
    A = np.hstack([X, np.ones((n, 1))])
    P = lam * np.eye(d + 1)
    P[d, d] = 0.0
    coef = np.linalg.solve(A.T @ A + P, A.T @ np.asarray(y, dtype=float))
    return coef[:d], float(coef[d])
