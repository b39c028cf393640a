# expect: bad_output

import numpy as np
async def l1_penalty(w, lam):
    return lam * np.abs(w).sum()
