# expect: runtime_error
import numpy as np
def lasso_coordinate_descent(X, y, lam, max_iter=1000, tol=1e-6):
    n, d = X.shape
    w = np.zeros(d)
    r = y.copy()
    cs = (X * X).sum(axis=0) / n
    for _ in range(max_iter):
        big = 0.0
        for j in range(d):
            rho = X[:, j] @ r / n + cs[j] * w[j]
            new = np.sign(rho) * max(abs(rho) - lam, 0.0) / cs[j]
            r -= X[:, j] * (new - w[j])
            big = max(big, abs(new - w[j])); w[j] = new
        if big < tol:
            break
    return w
