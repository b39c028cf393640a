# expect: wrong_answer
# float32 all the way: ~3e-5 relative error on small coefficients, past the tolerance
import numpy as np
def ridge_closed_form(X, y, lam):
    X = np.asarray(X, dtype=np.float32); y = np.asarray(y, dtype=np.float32)
    return np.linalg.solve(X.T @ X + np.float32(lam) * np.eye(X.shape[1], dtype=np.float32), X.T @ y)
