# expect: wrong_answer
# minimises ½‖y − Xw‖² + lam‖w‖₁: lam is n times weaker than scikit-learn's
import numpy as np


def lasso_coordinate_descent(X, y, lam, max_iter=1000, tol=1e-6):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    w = np.zeros(d)
    for _ in range(max_iter):
        w_old = w.copy()
        for j in range(d):
            r_j = y - X @ w + X[:, j] * w[j]
            rho = X[:, j] @ r_j
            w[j] = np.sign(rho) * max(abs(rho) - lam, 0.0) / (X[:, j] @ X[:, j])
        if np.max(np.abs(w - w_old)) < tol:
            break
    return w
