# task: lasso_coordinate_descent
# expect: forbidden_import
from sklearn.linear_model import Lasso


def lasso_coordinate_descent(X, y, lam, max_iter=1000, tol=1e-6):
    return Lasso(alpha=lam, fit_intercept=False).fit(X, y).coef_
