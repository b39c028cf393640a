# expect: wrong_answer
import numpy as np


def logistic_regression_l2(X, y, lam):
    X = np.asarray(X, dtype=float)
    s = 2.0 * np.asarray(y, dtype=float) - 1.0
    n, d = X.shape
    A = np.hstack([X, np.ones((n, 1))])
    theta = np.zeros(d + 1)
    for _ in range(100):
        m = s * (A @ theta)
        sig = 1 / (1 + np.exp(m))
        grad = -(A.T @ (s * sig)) / n + lam * theta
        H = (A.T * (sig * (1 - sig))) @ A / n + lam * np.eye(d + 1)
        theta -= np.linalg.solve(H, grad)
    return theta[:d], float(theta[d])
