# expect: passed
import numpy as np


def soft(z, t):
    return np.sign(z) * max(abs(z) - t, 0.0)


def lasso_coordinate_descent(X, y, lam, max_iter=1000, tol=1e-6):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    w = np.zeros(d)
    for _ in range(max_iter):
        w_old = w.copy()
        for j in range(d):
            r_j = y - X @ w + X[:, j] * w[j]
            z = X[:, j] @ X[:, j] / n
            w[j] = soft(X[:, j] @ r_j / n, lam) / z if z > 0 else 0.0
        if np.max(np.abs(w - w_old)) < tol:
            break
    return w
