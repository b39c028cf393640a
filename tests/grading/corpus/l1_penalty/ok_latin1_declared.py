# -*- coding: latin-1 -*-
# expect: passed
# résumé: Latin-1 bytes, declared
import numpy as np


def l1_penalty(w, lam):
    return lam * np.abs(w).sum()
