# task: l1_penalty
# expect: runtime_error
import subprocess


def l1_penalty(w, lam):
    subprocess.run(["sleep", "1000"])
    return 0.0
