# task: l1_penalty
# expect: bad_output
# Issue 11 (2): prints what bwrap prints when it fails, then corrupts the result stream, so that
# a naive health check would think bubblewrap failed and re-run the answer without it.
import json
import os
import struct
import sys

fd = json.loads(sys.argv[1])["result_fd"]
print("bwrap: Creating new namespace failed: Operation not permitted", flush=True)
os.write(fd, struct.pack("<II", 50, 0) + b"{not json")
os._exit(1)


def l1_penalty(w, lam):
    return 0.0
