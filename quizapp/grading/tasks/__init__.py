"""Task definitions, grouped by family (one module each; shared builders in `shared`).

The order is the order of `quizapp tasks list`: PRODUCT.md's core tasks family by family, then
the extras in the order they were added (kept stable when the families were regrouped).
"""

from __future__ import annotations

from quizapp.grading.task import Task
from quizapp.grading.tasks import dropout, linear, penalties, training

_FAMILIES = (penalties, dropout, linear, training)
_EXTRAS_ORDER = (
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


def _ordered() -> list[Task]:
    every = [t for family in _FAMILIES for t in family.TASKS]
    core = [t for t in every if t.core]
    extras = sorted(
        (t for t in every if not t.core),
        key=lambda t: _EXTRAS_ORDER.index(t.id) if t.id in _EXTRAS_ORDER else len(_EXTRAS_ORDER),
    )
    return core + extras


TASKS: list[Task] = _ordered()

__all__ = ["TASKS"]
