# task: dropout_forward
# expect: timeout
import signal
import time

for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGXCPU):
    signal.signal(sig, signal.SIG_IGN)


def dropout_forward(x, p, training, rng):
    while True:
        time.sleep(0.01)
