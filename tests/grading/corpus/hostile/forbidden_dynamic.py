# task: l1_penalty
# expect: forbidden_import
import importlib


def l1_penalty(w, lam):
    solvers = importlib.import_module("sol" + "vers")
    return solvers.l1_penalty(w, lam)
