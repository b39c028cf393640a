# expect: passed
import numpy as np


def lasso_ista(X, y, lam, max_iter=10000, tol=1e-10):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    L = np.linalg.svd(X, compute_uv=False)[0] ** 2 / n
    w = np.zeros(d)
    for _ in range(max_iter):
        grad = -X.T @ (y - X @ w) / n
        z = w - grad / L
        new = np.sign(z) * np.maximum(np.abs(z) - lam / L, 0)
        if np.max(np.abs(new - w)) <= tol:
            return new
        w = new
    return w
