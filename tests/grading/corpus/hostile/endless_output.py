# task: dropout_forward
# expect: timeout
def dropout_forward(x, p, training, rng):
    while True:
        print("spam" * 1000)
