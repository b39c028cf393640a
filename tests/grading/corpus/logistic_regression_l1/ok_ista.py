# expect: passed
import numpy as np


def logistic_regression_l1(X, y, lam):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    L = (np.linalg.norm(X, 2) ** 2 + n) / (4 * n)
    w, b = np.zeros(d), 0.0
    for _ in range(500000):
        p = 1 / (1 + np.exp(-(X @ w + b)))
        z = w - X.T @ (p - y) / (n * L)
        w_new = np.sign(z) * np.maximum(np.abs(z) - lam / L, 0)
        b_new = b - np.mean(p - y) / L
        done = max(np.max(np.abs(w_new - w)), abs(b_new - b)) < 1e-13
        w, b = w_new, b_new
        if done:
            break
    return w, b
