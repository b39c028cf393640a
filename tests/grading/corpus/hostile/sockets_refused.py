# task: l1_penalty
# expect: passed
# Issue 11 (4): any socket at all (a host unix socket such as docker.sock, UDP out) is refused.
import socket

import numpy as np

made = []
for family, kind in ((socket.AF_UNIX, socket.SOCK_STREAM), (socket.AF_INET, socket.SOCK_DGRAM),
                     (socket.AF_INET, socket.SOCK_STREAM), (socket.AF_INET6, socket.SOCK_DGRAM)):
    try:
        socket.socket(family, kind).close()
        made.append((family, kind))
    except OSError:
        pass


def l1_penalty(w, lam):
    if made:
        return -1.0
    return float(lam * np.abs(np.asarray(w, dtype=float)).sum())
