# task: dropout_forward
# expect: timeout
# Closes its result stream, then sleeps: the parent must not take the closed stream for an
# exit and SIGKILL it (a "crash"); it is a hang, judged as a time limit.
import fcntl
import os
import stat


def _is_write_pipe(n):
    try:
        mode = os.fstat(n).st_mode
        return stat.S_ISFIFO(mode) and fcntl.fcntl(n, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY
    except OSError:
        return False


def dropout_forward(x, p, training, rng):
    for n in range(3, 256):
        if _is_write_pipe(n):
            os.close(n)
    import time

    time.sleep(60)
