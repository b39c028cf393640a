# task: l1_penalty
# expect: bad_output
# Issue 11 (6): a million tiny frames (13 s of the app's time before the bound).
import json
import os
import struct
import sys

import numpy as np

fd = json.loads(sys.argv[1])["result_fd"]
head = b'{"kind": "x"}'
tiny = struct.pack("<II", len(head), 0) + head


def l1_penalty(w, lam):
    try:
        for _ in range(10):
            os.write(fd, tiny * 100_000)
    except OSError:
        pass
    return float(lam * np.abs(np.asarray(w, dtype=float)).sum())
