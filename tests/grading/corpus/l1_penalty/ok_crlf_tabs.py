# expect: passed
# CRLF line endings
import numpy as np


def l1_penalty(w, lam):
	return lam * np.abs(w).sum()
