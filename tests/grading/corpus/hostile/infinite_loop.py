# task: dropout_forward
# expect: timeout
def dropout_forward(x, p, training, rng):
    while True:
        pass
