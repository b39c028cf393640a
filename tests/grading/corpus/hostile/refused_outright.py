# task: l1_penalty
# expect: passed
# Second adversarial pass: every call docs/grading.md says is "refused outright" fails with
# EPERM from the seccomp filter. Each is called with arguments the kernel itself would reject
# (a NULL pointer, fd -1, an unknown flag: EFAULT, EBADF, EINVAL...), so nothing happens even
# where a call got through, and any errno but EPERM makes the answer wrong. (kexec_load, acct,
# settimeofday and vhangup are left out: no argument makes them harmless for root.)
import ctypes
import platform

import numpy as np

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
COLUMN = 0 if platform.machine() == "x86_64" else 1
CALLS = {  # name: ((x86_64, aarch64), args)
    "io_uring_setup": ((425, 425), (0, None)),
    "io_uring_enter": ((426, 426), (-1, 0, 0, 0, None, 0)),
    "io_uring_register": ((427, 427), (-1, 0, None, 0)),
    "request_key": ((249, 218), (None, None, None, 0)),
    "add_key": ((248, 217), (None, None, None, 0, 0)),
    "setns": ((308, 268), (-1, 0)),
    "mount": ((165, 40), (None, None, None, 0, None)),
    "umount2": ((166, 39), (b"/nonexistent-quizapp", 0)),
    "pivot_root": ((155, 41), (None, None)),
    "chroot": ((161, 51), (b"/nonexistent-quizapp",)),
    "open_tree": ((428, 428), (-1, None, 0)),
    "move_mount": ((429, 429), (-1, None, -1, None, 0)),
    "fsopen": ((430, 430), (None, 0)),
    "fsconfig": ((431, 431), (-1, 0, None, None, 0)),
    "fsmount": ((432, 432), (-1, 0, 0)),
    "fspick": ((433, 433), (-1, None, 0)),
    "mount_setattr": ((442, 442), (-1, None, 0, None, 0)),
    "open_by_handle_at": ((304, 265), (-1, None, 0)),
    "name_to_handle_at": ((303, 264), (-1, None, None, None, 0)),
    "reboot": ((169, 142), (0, 0, 0, None)),  # bad magic numbers: EINVAL if it got through
    "init_module": ((175, 105), (None, 0, None)),
    "finit_module": ((313, 273), (-1, None, 0)),
    "delete_module": ((176, 106), (None, 0)),
    "swapon": ((167, 224), (None, 0)),
    "swapoff": ((168, 225), (None,)),
    "clock_settime": ((227, 112), (-1, None)),
    "clock_adjtime": ((305, 266), (-1, None)),
    "adjtimex": ((159, 171), (None,)),
    "sethostname": ((170, 161), (None, 100_000)),
    "setdomainname": ((171, 162), (None, 100_000)),
    "syslog": ((103, 116), (-1, None, 0)),
    "quotactl": ((179, 60), (0, None, 0, None)),
    "iopl": ((172, None), (99,)),
    "ioperm": ((173, None), (0xFFFFFFFF, 1, 1)),
}  # fmt: skip
wrong = []
for name, (numbers, args) in CALLS.items():
    nr = numbers[COLUMN]
    if nr is None:
        continue
    ctypes.set_errno(0)
    result = libc.syscall(nr, *args)
    errno = ctypes.get_errno()
    if result != -1 or errno != 1:  # EPERM
        wrong.append((name, result, errno))


def l1_penalty(w, lam):
    if wrong:
        raise RuntimeError(f"not refused by seccomp (name, result, errno): {wrong}")
    return float(lam * np.abs(np.asarray(w, dtype=float)).sum())
