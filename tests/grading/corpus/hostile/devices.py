# task: l1_penalty
# expect: passed
# Second adversarial pass: without bubblewrap, Landlock let the child read all of /dev — the
# kernel log (/dev/kmsg), the console and, with the app's uid, the app's terminal
# (/dev/pts/N: the keystrokes typed while a grade runs) or, as root, a disk. Only the harmless
# devices (null, zero, full, random, urandom) may be opened.
import os

import numpy as np

opened = []
names = ["/dev/kmsg", "/dev/console", "/dev/vda", "/dev/sda", "/dev/nvme0n1", "/dev/mem",
         "/dev/tty0", "/dev/loop0", "/dev/fuse", "/dev/kvm"]
try:
    names += [f"/dev/pts/{n}" for n in os.listdir("/dev/pts") if n != "ptmx"]
except OSError:
    pass
for name in names:
    try:
        os.close(os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY))
        opened.append(name)
    except OSError:
        pass
for name in ("/dev/null", "/dev/urandom"):  # these stay usable
    with open(name, "rb") as fh:
        fh.read(1)


def l1_penalty(w, lam):
    if opened:
        raise RuntimeError(f"opened {opened}")
    return float(lam * np.abs(np.asarray(w, dtype=float)).sum())
