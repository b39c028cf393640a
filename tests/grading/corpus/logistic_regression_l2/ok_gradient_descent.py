# expect: passed
# plain gradient descent with step 1/L, run to a tiny gradient
import numpy as np


def logistic_regression_l2(X, y, lam):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    w, b = np.zeros(d), 0.0
    L = (np.linalg.norm(X, 2) ** 2 + n) / (4 * n) + lam
    for _ in range(100000):
        p = 1 / (1 + np.exp(-(X @ w + b)))
        gw = X.T @ (p - y) / n + lam * w
        gb = np.mean(p - y)
        w -= gw / L
        b -= gb / L
        if max(np.max(np.abs(gw)), abs(gb)) < 1e-10:
            break
    return w, b
