# expect: wrong_answer
# Treats min_delta as relative (Keras-like "mode=rel"): an improvement must beat best·(1 − δ).
def early_stopping(val_losses, patience, min_delta=0.0):
    best, best_epoch = float("inf"), -1
    losses = list(val_losses)
    for epoch, loss in enumerate(losses):
        if best_epoch < 0 or loss < best * (1 - min_delta):
            best, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            return best_epoch, epoch
    return best_epoch, len(losses) - 1
