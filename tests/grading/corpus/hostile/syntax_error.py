# task: l1_penalty
# expect: syntax_error
def l1_penalty(w, lam)
    return lam * abs(w).sum()
