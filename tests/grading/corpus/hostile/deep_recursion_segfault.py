# task: l1_penalty
# expect: runtime_error
# Recursion through C (sorted's key) with no recursion limit: overflows the C stack (SIGSEGV).
import sys

sys.setrecursionlimit(10**8)


def f(n):
    return sorted([n + 1], key=f)


def l1_penalty(w, lam):
    return f(0)
