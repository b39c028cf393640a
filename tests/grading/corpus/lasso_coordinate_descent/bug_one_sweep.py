# expect: wrong_answer
# stops after a single sweep: not converged
import numpy as np


def lasso_coordinate_descent(X, y, lam, max_iter=1000, tol=1e-6):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    w = np.zeros(d)
    for j in range(d):
        r_j = y - X @ w + X[:, j] * w[j]
        rho = X[:, j] @ r_j / n
        w[j] = np.sign(rho) * max(abs(rho) - lam, 0.0) / (X[:, j] @ X[:, j] / n)
    return w
