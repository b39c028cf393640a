# expect: passed
import numpy as np


def early_stopping(val_losses, patience, min_delta=0.0):
    losses = np.asarray(val_losses, dtype=float)
    best, best_epoch = np.inf, 0
    for epoch, loss in enumerate(losses):
        if loss < best - min_delta or epoch == 0:
            best, best_epoch = loss, epoch
        if epoch - best_epoch == patience:
            return int(best_epoch), int(epoch)
    return int(best_epoch), int(len(losses) - 1)
