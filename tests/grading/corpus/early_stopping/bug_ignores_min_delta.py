# expect: wrong_answer

def early_stopping(val_losses, patience, min_delta=0.0):
    best = float('inf'); be = 0; wait = 0
    for i, l in enumerate(val_losses):
        if l < best:
            best, be, wait = l, i, 0
        else:
            wait += 1
            if wait >= patience:
                return be, i
    return be, len(val_losses) - 1
