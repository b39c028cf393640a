# expect: wrong_answer
import numpy as np


def lasso_coordinate_descent(X, y, lam, max_iter=1000, tol=1e-6):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    w = np.zeros(d)
    for _ in range(max_iter):
        w_old = w.copy()
        for j in range(d):
            r_j = y - X @ w + X[:, j] * w[j]
            rho = X[:, j] @ r_j / n
            w[j] = (rho if abs(rho) > lam else 0.0) / (X[:, j] @ X[:, j] / n)
        if np.max(np.abs(w - w_old)) < tol:
            break
    return w
