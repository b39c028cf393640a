# task: l1_penalty
# expect: runtime_error
def l1_penalty(w, lam):
    return l1_penalty(w, lam) + 1
