# task: dropout_forward
# expect: passed
# Connects to a server the test runs on 127.0.0.1:47653 and tells it "leak".
import socket

import numpy as np

try:
    with socket.create_connection(("127.0.0.1", 47653), timeout=1) as s:
        s.sendall(b"leak")
except OSError:
    pass

def dropout_forward(x, p, training, rng):
    x = np.asarray(x, dtype=float)
    if not training:
        return x.copy(), np.ones_like(x)
    mask = (rng.random(x.shape) >= p) / (1.0 - p)
    return x * mask, mask
