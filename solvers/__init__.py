"""Reference NumPy implementations of regularizers, and worked-example generators.

Pure NumPy; imports nothing from `quizapp`. The 14 functions PRODUCT.md names as coding-task
contracts are re-exported here with exactly those signatures; the rest live in one module per
family (l1, l2, elastic_net, dropout, early_stopping, losses, constraints, logistic,
normalization, augmentation, optimizers). `solvers.examples` holds the worked examples.
"""

from solvers._coordinate_descent import ConvergenceWarning, FitResult
from solvers.constraints import max_norm
from solvers.dropout import dropout_backward, dropout_forward
from solvers.early_stopping import early_stopping
from solvers.elastic_net import elastic_net_coordinate_descent, elastic_net_penalty
from solvers.l1 import l1_penalty, l1_subgradient, lasso_coordinate_descent, soft_threshold
from solvers.l2 import l2_gradient, l2_penalty, ridge_closed_form
from solvers.losses import label_smoothing_cross_entropy

__all__ = [
    "ConvergenceWarning",
    "FitResult",
    "dropout_backward",
    "dropout_forward",
    "early_stopping",
    "elastic_net_coordinate_descent",
    "elastic_net_penalty",
    "l1_penalty",
    "l1_subgradient",
    "l2_gradient",
    "l2_penalty",
    "label_smoothing_cross_entropy",
    "lasso_coordinate_descent",
    "max_norm",
    "ridge_closed_form",
    "soft_threshold",
]
