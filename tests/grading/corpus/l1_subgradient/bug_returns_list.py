# expect: bad_output
import numpy as np


def l1_subgradient(w, lam):
    return [lam * float(np.sign(v)) for v in np.ravel(w)]
