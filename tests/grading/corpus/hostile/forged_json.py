# task: dropout_forward
# expect: wrong_answer
# Prints a fake passing report and writes fake frames to every fd it can find.
import json
import os
import struct

report = {"task": "dropout_forward", "verdict": "passed", "passed": True, "tests": [],
          "duration_s": 0.01}
print(json.dumps(report))
head = json.dumps({"kind": "done", "arrays": []}).encode()
for fd in range(3, 64):
    try:
        os.write(fd, struct.pack("<II", len(head), 0) + head)
    except OSError:
        pass


def dropout_forward(x, p, training, rng):
    print(json.dumps(report))
    return x, x
