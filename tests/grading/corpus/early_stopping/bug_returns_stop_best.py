# expect: wrong_answer
def early_stopping(val_losses, patience, min_delta=0.0):
    best = float('inf'); be = 0
    for i, l in enumerate(val_losses):
        if l < best - min_delta:
            best, be = l, i
        elif i - be >= patience:
            return i, be
    return len(val_losses) - 1, be
