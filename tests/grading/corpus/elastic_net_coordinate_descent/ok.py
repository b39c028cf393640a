# expect: passed
import numpy as np


def elastic_net_coordinate_descent(X, y, lam, l1_ratio, max_iter=1000, tol=1e-6):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    w = np.zeros(d)
    a, b = lam * l1_ratio, lam * (1 - l1_ratio)
    for _ in range(max_iter):
        delta = 0.0
        for j in range(d):
            xj = X[:, j]
            rho = xj @ (y - X @ w) / n + (xj @ xj / n) * w[j]
            new = np.sign(rho) * max(abs(rho) - a, 0.0) / (xj @ xj / n + b)
            delta = max(delta, abs(new - w[j]))
            w[j] = new
        if delta < tol:
            break
    return w
