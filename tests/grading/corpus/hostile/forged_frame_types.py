# task: l1_penalty
# expect: runtime_error
# Issue 11 (5): frames whose fields have the wrong types: a list as the kind, an int where the
# traceback is, an array index of 1e400. The judge must answer with a report, not crash.
import json
import os
import struct
import sys

fd = json.loads(sys.argv[1])["result_fd"]


def frame(header):
    head = json.dumps(header).encode()
    os.write(fd, struct.pack("<II", len(head), 0) + head)


def l1_penalty(w, lam):
    frame({"kind": [], "i": 0})
    frame({"kind": "case", "i": 0, "ok": False, "exc": {"type": "X", "frames": 5, "message": 3}})
    frame({"kind": "case", "i": 1, "ok": True, "out": {"t": "array", "a": 1e400}})
    frame({"kind": "case", "i": 2, "ok": True, "out": {"t": "float", "v": 10**400}})
    frame({"kind": "case", "i": 3, "ok": True, "out": {"t": "list", "v": "x"}})
    os._exit(0)
