"""Early stopping: stop when the validation loss has not improved for `patience` epochs.

Epochs are 0-based. An epoch improves when loss < best − min_delta (the first epoch always
does). Training stops at the first epoch that is `patience` epochs after the last
improvement; the restored weights are those of that last improvement (`best_epoch`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from solvers._validation import FloatArray, as_array, as_int, as_scalar, check_design

__all__ = ["EarlyStopping", "TrainingHistory", "early_stopping", "train_with_early_stopping"]


def early_stopping(val_losses: Any, patience: int, min_delta: float = 0.0) -> tuple[int, int]:
    """(best_epoch, stop_epoch) for a sequence of validation losses; stop_epoch is the last
    epoch if patience never runs out. best_epoch is the last improving epoch ≤ stop_epoch."""
    losses = as_array(val_losses, "val_losses", ndim=1, allow_empty=False)
    monitor = EarlyStopping(patience, min_delta)
    for loss in losses.tolist():
        if monitor.step(loss):
            break
    return monitor.best_epoch, monitor.epoch


@dataclass
class EarlyStopping:
    """A patience monitor with min_delta and restore-best, fed one validation loss per epoch.

    `step(loss, state)` returns True when training should stop; `best_state` is a copy of the
    state passed at the best epoch (restore it when restore_best is True).
    """

    patience: int
    min_delta: float = 0.0
    restore_best: bool = True
    best_loss: float = field(default=float("inf"), init=False)
    best_epoch: int = field(default=-1, init=False)
    epoch: int = field(default=-1, init=False)
    stopped: bool = field(default=False, init=False)
    best_state: Any = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.patience = as_int(self.patience, "patience", low=1)
        self.min_delta = as_scalar(self.min_delta, "min_delta", low=0.0)

    def step(self, loss: float, state: Any = None) -> bool:
        if self.stopped:
            raise ValueError("step() called after the monitor said stop; make a new one")
        loss_ = as_scalar(loss, "loss")
        self.epoch += 1
        if self.best_epoch < 0 or loss_ < self.best_loss - self.min_delta:
            self.best_loss = loss_
            self.best_epoch = self.epoch
            if self.restore_best and state is not None:
                self.best_state = np.array(state, copy=True)
        elif self.epoch - self.best_epoch >= self.patience:
            self.stopped = True
        return self.stopped


@dataclass(frozen=True)
class TrainingHistory:
    train_losses: list[float]
    val_losses: list[float]
    best_epoch: int
    stop_epoch: int
    w_best: FloatArray
    w_last: FloatArray


def train_with_early_stopping(
    X_train: Any,
    y_train: Any,
    X_val: Any,
    y_val: Any,
    *,
    lr: float = 0.01,
    max_epochs: int = 500,
    patience: int = 10,
    min_delta: float = 0.0,
) -> TrainingHistory:
    """Full-batch gradient descent on the mean squared error ‖y − Xw‖²/n, from w = 0,
    monitored on a validation set: the curves early stopping acts on (train keeps falling,
    validation turns up once the model starts fitting noise). Returns both curves, the
    epochs, and the restored (best) and last weights."""
    Xt, yt = check_design(X_train, y_train)
    Xv, yv = check_design(X_val, y_val)
    if Xv.shape[1] != Xt.shape[1]:
        raise ValueError(f"X_val must have {Xt.shape[1]} columns like X_train, got {Xv.shape[1]}")
    step = as_scalar(lr, "lr", low=0.0, low_open=True)
    epochs = as_int(max_epochs, "max_epochs", low=1)
    monitor = EarlyStopping(patience, min_delta)
    w = np.zeros(Xt.shape[1])
    n = Xt.shape[0]
    train, val = [], []
    for _ in range(epochs):
        r = Xt @ w - yt
        train.append(float(r @ r) / n)
        rv = Xv @ w - yv
        val.append(float(rv @ rv) / Xv.shape[0])
        if monitor.step(val[-1], w):
            break
        w = w - step * (2.0 / n) * (Xt.T @ r)
        if not np.isfinite(w).all():
            raise ValueError(f"lr={step:g} diverges on this data; use a smaller lr")
    best = monitor.best_state if monitor.best_state is not None else w
    return TrainingHistory(train, val, monitor.best_epoch, monitor.epoch, best, w)
