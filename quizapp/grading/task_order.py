"""The order of `quizapp tasks list`: PRODUCT.md's core tasks family by family, then the extras
in the order they were added (kept stable when the families were regrouped).

A plain tuple of ids in a module of its own, so that `quizapp stats` can name the tasks without
importing their modules; `tasks/__init__.py` orders the catalog by it, and a test keeps every
task in it.
"""

from __future__ import annotations

TASK_ORDER: tuple[str, ...] = (
    "l1_penalty",
    "l1_subgradient",
    "l2_penalty",
    "l2_gradient",
    "elastic_net_penalty",
    "soft_threshold",
    "max_norm",
    "dropout_forward",
    "dropout_backward",
    "ridge_closed_form",
    "lasso_coordinate_descent",
    "elastic_net_coordinate_descent",
    "early_stopping",
    "label_smoothing_cross_entropy",
    "ridge_with_intercept",
    "lasso_ista",
    "adamw_step",
    "spatial_dropout_forward",
    "variational_dropout_forward",
    "dropconnect_forward",
    "spectral_norm_sigma",
    "logistic_regression_l2",
    "logistic_regression_l1",
    "mixup",
)
