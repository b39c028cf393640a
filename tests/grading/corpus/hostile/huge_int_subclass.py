# task: l1_penalty
# expect: bad_output
# Issue 11 (5): an int subclass worth 10**400 that claims to be small.


class Big(int):
    def __abs__(self):
        return 0


def l1_penalty(w, lam):
    return Big(10**400)
