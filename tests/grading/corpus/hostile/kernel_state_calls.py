# task: l1_penalty
# expect: passed
# Second adversarial pass: calls that reach the kernel or the host, or leave state behind after
# the grade — userfaultfd, keyrings (the app's session keyring was reachable), new namespaces
# and mounts (under bubblewrap a fresh tmpfs had no size bound), SysV IPC and POSIX queues (the
# host's IPC namespace without bubblewrap: segments outlive the child), memfd_secret,
# personality. Each is refused; anything that succeeds is undone at once and makes the answer
# wrong.
import ctypes

import numpy as np

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
x86 = ctypes.sizeof(ctypes.c_void_p) == 8 and __import__("platform").machine() == "x86_64"
NR = {  # (x86_64, aarch64)
    "userfaultfd": (323, 282), "keyctl": (250, 219), "add_key": (248, 217),
    "unshare": (272, 97), "shmget": (29, 194), "shmctl": (31, 195), "msgget": (68, 186),
    "msgctl": (71, 187), "semget": (64, 190), "semctl": (66, 191), "mq_open": (240, 180),
    "mq_unlink": (241, 181), "memfd_secret": (447, 447), "personality": (135, 92),
    "perf_event_open": (298, 241), "bpf": (321, 280),
}  # fmt: skip


def call(name, *args):
    return libc.syscall(NR[name][0 if x86 else 1], *args)


got = []
if call("userfaultfd", 1) >= 0:  # UFFD_USER_MODE_ONLY
    got.append("userfaultfd")
if call("keyctl", 0, -3, 0) >= 0:  # KEYCTL_GET_KEYRING_ID of the session keyring
    got.append("keyctl")
if call("unshare", 0x10000000) == 0:  # CLONE_NEWUSER
    got.append("unshare(user)")
if call("unshare", 0x00020000) == 0:  # CLONE_NEWNS
    got.append("unshare(mount)")
if (shm := call("shmget", 0, 4096, 0o1600)) >= 0:  # IPC_PRIVATE, IPC_CREAT | 0600
    call("shmctl", shm, 0, None)  # IPC_RMID
    got.append("shmget")
if (msg := call("msgget", 0, 0o1600)) >= 0:
    call("msgctl", msg, 0, None)
    got.append("msgget")
if (sem := call("semget", 0, 1, 0o1600)) >= 0:
    call("semctl", sem, 0, 0)
    got.append("semget")
if call("mq_open", b"quizapp_hostile_mq", 0o102, 0o600, None) >= 0:  # O_CREAT | O_RDWR
    call("mq_unlink", b"quizapp_hostile_mq")
    got.append("mq_open")
if call("memfd_secret", 0) >= 0:
    got.append("memfd_secret")
if call("personality", 0xFFFFFFFF) >= 0:  # even the query: the call is refused outright
    got.append("personality")
_attr = ctypes.create_string_buffer(128)
if call("perf_event_open", _attr, 0, -1, -1, 0) >= 0:
    got.append("perf_event_open")
if call("bpf", 0, _attr, 48) >= 0:
    got.append("bpf")


def l1_penalty(w, lam):
    if got:
        raise RuntimeError(f"these calls got through: {got}")
    return float(lam * np.abs(np.asarray(w, dtype=float)).sum())
