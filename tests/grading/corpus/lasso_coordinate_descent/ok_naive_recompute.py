# expect: passed

import numpy as np
def soft(z, g):
    return np.sign(z) * max(abs(z) - g, 0.0)
def lasso_coordinate_descent(X, y, lam, max_iter=1000, tol=1e-6):
    X = np.asarray(X, dtype=float); y = np.asarray(y, dtype=float)
    n, d = X.shape
    w = np.zeros(d)
    for it in range(max_iter):
        w_old = w.copy()
        for j in range(d):
            r_j = y - X @ w + X[:, j] * w[j]
            z = (X[:, j] ** 2).sum() / n
            w[j] = soft(X[:, j] @ r_j / n, lam) / z
        if np.max(np.abs(w - w_old)) < tol:
            break
    return w
