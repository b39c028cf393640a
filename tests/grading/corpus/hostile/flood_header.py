# task: l1_penalty
# expect: bad_output
# Issue 11 (6): a 12 MB frame header of empty lists (it cost the app 363 MB and 2 s to parse).
import json
import os
import struct
import sys

import numpy as np

fd = json.loads(sys.argv[1])["result_fd"]


def l1_penalty(w, lam):
    head = b'{"kind": "x", "v": [' + b"[]," * 4_000_000 + b"[]]}"
    os.write(fd, struct.pack("<II", len(head), 0) + head)
    return float(lam * np.abs(np.asarray(w, dtype=float)).sum())
