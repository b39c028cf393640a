# expect: wrong_answer
# stops one epoch late (counter checked before it is incremented)
def early_stopping(val_losses, patience, min_delta=0.0):
    best, best_epoch, wait = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses):
        if wait > patience - 1 and epoch > 0 and not loss < best - min_delta:
            return best_epoch, epoch
        if loss < best - min_delta:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
    return best_epoch, len(val_losses) - 1
