# expect: passed

from __future__ import annotations
import math
import numpy as np
def l1_penalty(w: np.ndarray, lam: float) -> float:
    """L1."""
    return lam * math.fsum(abs(v) for v in np.asarray(w).flat)
if __name__ == "__main__":
    print(l1_penalty(np.array([1.0,-2.0]), 0.5))
    assert False
