# task: dropout_forward
# expect: timeout
import time


def dropout_forward(x, p, training, rng):
    time.sleep(10**6)
