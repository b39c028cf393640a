# expect: forbidden_import
import numpy as np
if __name__ == "__main__":
    pass
else:
    from sklearn.linear_model import Lasso


def lasso_coordinate_descent(X, y, lam, max_iter=1000, tol=1e-6):
    return Lasso(alpha=lam, fit_intercept=False).fit(X, y).coef_
