# expect: passed
# `best - loss > min_delta` is the same rule as `loss < best - min_delta`, but not bit for bit
# (1.0 - 0.99 > 0.01 is True in floating point): no test may sit exactly on that boundary.
def early_stopping(val_losses, patience, min_delta=0.0):
    best_loss = None
    best_epoch = 0
    for epoch, loss in enumerate(val_losses):
        if best_loss is None or best_loss - loss > min_delta:
            best_loss, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses) - 1
