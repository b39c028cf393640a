# task: l1_penalty
# expect: memory_limit
blob = bytearray(8 * 1024**3)


def l1_penalty(w, lam):
    return 0.0
