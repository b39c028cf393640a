# expect: wrong_answer
import numpy as np


def dropout_backward(dout, mask):
    keep = mask > 0
    return np.where(keep, dout / np.where(keep, mask, 1.0), 0.0)
