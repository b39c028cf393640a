# task: l2_penalty
# expect: bad_output
def l2_penalty(w, lam):
    return {"penalty": 1.0}
