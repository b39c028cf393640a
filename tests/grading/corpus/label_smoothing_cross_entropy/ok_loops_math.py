# expect: passed

import math
def label_smoothing_cross_entropy(logits, labels, eps):
    total = 0.0
    for row, y in zip(logits, labels):
        row = [float(v) for v in row]
        m = max(row)
        lse = m + math.log(sum(math.exp(v - m) for v in row))
        C = len(row)
        for k, v in enumerate(row):
            q = (1 - eps) * (k == y) + eps / C
            total -= q * (v - lse)
    return total / len(labels)
