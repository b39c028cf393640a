# expect: passed
import numpy as np


def dropout_backward(dout, mask):
    return np.multiply(dout, mask, dtype=float)
