# expect: wrong_answer

import numpy as np
def elastic_net_coordinate_descent(X, y, lam, l1_ratio, max_iter=1000, tol=1e-6):
    X = np.asarray(X, dtype=float); y = np.asarray(y, dtype=float)
    n, d = X.shape
    w = np.zeros(d)
    a, b = lam * (1 - l1_ratio), lam * l1_ratio
    for it in range(max_iter):
        w_old = w.copy()
        for j in range(d):
            r = y - X @ w + X[:, j] * w[j]
            rho = X[:, j] @ r / n
            w[j] = np.sign(rho) * max(abs(rho) - a, 0) / (X[:, j] @ X[:, j] / n + b)
        if np.max(np.abs(w - w_old)) < tol:
            break
    return w
