# expect: passed
def l1_penalty(w, lam):
    total = 0.0
    for v in list(__import__("numpy").ravel(w)):
        total += abs(float(v))
    return lam * total
