# expect: passed

import numpy as np
def early_stopping(val_losses, patience, min_delta=0.0):
    losses = np.asarray(val_losses, dtype=float)
    best = np.inf; best_epoch = np.int64(0); wait = 0
    for i in range(len(losses)):
        if losses[i] < best - min_delta:
            best = losses[i]; best_epoch = np.int64(i); wait = 0
        else:
            wait += 1
            if wait >= patience:
                return [best_epoch, np.int64(i)]
    return [best_epoch, np.int64(len(losses) - 1)]
