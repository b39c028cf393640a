# expect: wrong_answer
import numpy as np


def logistic_regression_l1(X, y, lam):
    X = np.asarray(X, dtype=float)
    s = 2.0 * np.asarray(y, dtype=float) - 1.0
    n, d = X.shape
    A = np.hstack([X, np.ones((n, 1))])
    L = np.linalg.norm(A, 2) ** 2 / (4 * n)
    theta = np.zeros(d + 1)
    for _ in range(200000):
        grad = -(A.T @ (s / (1 + np.exp(s * (A @ theta))))) / n
        z = theta - grad / L
        new = np.sign(z) * np.maximum(np.abs(z) - lam / L, 0)
        if np.max(np.abs(new - theta)) < 1e-13:
            theta = new
            break
        theta = new
    return theta[:d], float(theta[d])
