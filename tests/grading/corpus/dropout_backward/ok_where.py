# expect: passed
import numpy as np


def dropout_backward(dout, mask):
    dout = np.asarray(dout, dtype=float)
    return np.where(mask != 0, dout * mask, 0.0)
