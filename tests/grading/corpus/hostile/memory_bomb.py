# task: dropout_forward
# expect: memory_limit
import numpy as np


def dropout_forward(x, p, training, rng):
    hog = []
    while True:
        hog.append(np.ones(10**7))
