# expect: wrong_answer
# forgets that the mask carries the 1/(1-p) scale
import numpy as np


def dropout_backward(dout, mask):
    return np.asarray(dout, dtype=float) * (np.asarray(mask) > 0)
