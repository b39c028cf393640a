# expect: passed

import numpy as np
def lasso_coordinate_descent(X, y, lam, max_iter=1000, tol=1e-6):
    X = np.asarray(X, dtype=float); y = np.asarray(y, dtype=float)
    n, d = X.shape
    w = np.zeros(d)
    obj = lambda w: ((y - X @ w) ** 2).sum() / (2 * n) + lam * np.abs(w).sum()
    prev = obj(w)
    for it in range(max_iter):
        for j in range(d):
            r = y - X @ w + X[:, j] * w[j]
            rho = X[:, j] @ r / n
            w[j] = np.sign(rho) * max(abs(rho) - lam, 0) / (X[:, j] @ X[:, j] / n)
        cur = obj(w)
        if abs(prev - cur) < tol:
            break
        prev = cur
    return w
