# expect: passed
# Keras' form: `current + min_delta < best`, with a `wait` counter
import numpy as np


def early_stopping(val_losses, patience, min_delta=0.0):
    best, best_epoch, wait = np.inf, 0, 0
    for epoch, current in enumerate(np.asarray(val_losses, dtype=float)):
        if current + min_delta < best:
            best, best_epoch, wait = current, epoch, 0
        else:
            wait += 1
            if wait >= patience:
                return np.int64(best_epoch), np.int64(epoch)
    return best_epoch, len(val_losses) - 1
