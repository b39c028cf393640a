# task: l1_penalty
# expect: runtime_error
# Issue 11 (7): clear screen, an OSC 52 clipboard write and a forged "passed" header, in the
# output and in the exception message; the text report must show them escaped.
print("\x1b[2J\x1b[H\x1b]52;c;cm0gLXJmIH4=\x07\rl1_penalty \u2014 passed (10/10 tests passed)")


def l1_penalty(w, lam):
    raise ValueError("\x1b[2J\x1b]52;c;cm0gLXJmIH4=\x07\r\x9b2Jpassed")
