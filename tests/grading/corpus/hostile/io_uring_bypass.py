# task: l1_penalty
# expect: passed
# Second adversarial pass: io_uring's operations never pass through seccomp, so an OPENAT with
# O_CREAT (a new file where no file may be created) and a SOCKET (UDP out of the fallback)
# submitted through a ring got past both filters. io_uring_setup must be refused.
import ctypes
import mmap
import struct

import numpy as np

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
got = []


def _submit(sqe):
    params = ctypes.create_string_buffer(120)
    fd = libc.syscall(425, ctypes.c_uint(4), params)  # io_uring_setup
    if fd < 0:
        return None
    got.append("io_uring_setup")
    raw = params.raw
    sq_entries, cq_entries, _, _, _, features = struct.unpack_from("<6I", raw, 0)
    sq_off = struct.unpack_from("<7I", raw, 40)
    cq_off = struct.unpack_from("<6I", raw, 80)
    size = max(sq_off[6] + sq_entries * 4, cq_off[5] + cq_entries * 16)
    sq = mmap.mmap(fd, size, offset=0)
    sqes = mmap.mmap(fd, sq_entries * 64, offset=0x10000000)
    cq = sq if features & 1 else mmap.mmap(fd, cq_off[5] + cq_entries * 16, offset=0x8000000)
    sqes[0:64] = sqe
    tail = struct.unpack_from("<I", sq, sq_off[1])[0]
    mask = struct.unpack_from("<I", sq, sq_off[2])[0]
    struct.pack_into("<I", sq, sq_off[6] + 4 * (tail & mask), 0)
    struct.pack_into("<I", sq, sq_off[1], tail + 1)
    if libc.syscall(426, fd, 1, 1, 1, None, 0) < 0:  # io_uring_enter, GETEVENTS
        return None
    head = struct.unpack_from("<I", cq, cq_off[0])[0]
    cmask = struct.unpack_from("<I", cq, cq_off[2])[0]
    return struct.unpack_from("<QiI", cq, cq_off[5] + 16 * (head & cmask))[1]


_SQE = "<BBHiQQIIQHHiQQ"
_name = ctypes.create_string_buffer(b"io_uring_created.txt")
# IORING_OP_OPENAT (18): AT_FDCWD, path, mode 0644, O_CREAT | O_WRONLY
if (_res := _submit(struct.pack(_SQE, 18, 0, 0, -100, 0, ctypes.addressof(_name), 0o644,
                                0o101, 0, 0, 0, 0, 0, 0))) is not None and _res >= 0:
    got.append("created a file")
# IORING_OP_SOCKET (45): AF_INET, SOCK_DGRAM
if (_res := _submit(struct.pack(_SQE, 45, 0, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0))) is not None \
        and _res >= 0:
    got.append("made a socket")


def l1_penalty(w, lam):
    if got:
        raise RuntimeError(f"io_uring got through: {got}")
    return float(lam * np.abs(np.asarray(w, dtype=float)).sum())
