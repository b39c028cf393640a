# expect: passed

import numpy as np
l1_penalty = lambda w, lam: lam * np.abs(w).sum()
