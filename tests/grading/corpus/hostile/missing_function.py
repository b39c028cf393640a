# task: dropout_forward
# expect: missing_function
def dropout(x, p, training, rng):
    return x, x
