# expect: wrong_answer

import numpy as np
def ridge_closed_form(X, y, lam):
    return np.linalg.solve(X.T @ X + 0.5*lam * np.eye(X.shape[1]), X.T @ y)
