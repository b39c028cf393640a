# expect: passed

import numpy as np
def early_stopping(val_losses, patience, min_delta=0.0):
    best = float('inf'); be = 0
    for i, l in enumerate(val_losses):
        if l < best - min_delta:
            best, be = l, i
        elif i - be == patience:
            return np.array([be, i])
    return np.array([be, len(val_losses) - 1])
