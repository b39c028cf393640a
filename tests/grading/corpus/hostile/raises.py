# task: soft_threshold
# expect: runtime_error
def soft_threshold(x, t):
    raise ValueError("not implemented yet")
