# expect: passed
# Keras-style: a "wait" counter reset on every improvement
def early_stopping(val_losses, patience, min_delta=0.0):
    best = None
    best_epoch = 0
    wait = 0
    last = -1
    for epoch, loss in enumerate(val_losses):
        last = epoch
        if best is None or loss < best - min_delta:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait >= patience:
                return best_epoch, epoch
    return best_epoch, last
