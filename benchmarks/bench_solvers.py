"""Lasso / Elastic Net fits and a 100-value λ path: `solvers` vs scikit-learn, same run.

    python benchmarks/bench_solvers.py [--repeat 7] [--tol 1e-10] [--threads 1]

For each shape, (n=2000, p=200) and (n=200, p=2000), with 10 true non-zero coefficients and
noise: one Lasso fit and one ElasticNet fit (l1_ratio=0.5) at lam = 0.05·lam_max, and a
lasso path over 100 lams from lam_max down to 1e-3·lam_max (scikit-learn's default grid).
Both sides get the same tol and max_iter; scikit-learn runs with its defaults otherwise
(Lasso/ElasticNet: precompute=False; lasso_path: precompute="auto"). Times are the best of
--repeat runs, the two sides interleaved, with --threads BLAS threads on both sides; "ratio"
is ours / scikit-learn's (< 1 means faster). |Δcoef| is the largest coefficient difference,
and "gap" the larger of the two duality gaps (objective units).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from solvers.elastic_net import (
    elastic_net_coordinate_descent,
    elastic_net_duality_gap,
    lambda_max,
)
from solvers.l1 import lasso_coordinate_descent, lasso_path


def best_times(
    ours: Callable[[], Any], theirs: Callable[[], Any], repeat: int
) -> tuple[float, Any, float, Any]:
    """Best-of-`repeat` times, the two sides interleaved so that both meet the same load."""
    t_ours = t_theirs = float("inf")
    out_ours = out_theirs = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out_ours = ours()
        t1 = time.perf_counter()
        out_theirs = theirs()
        t2 = time.perf_counter()
        t_ours, t_theirs = min(t_ours, t1 - t0), min(t_theirs, t2 - t1)
    return t_ours, out_ours, t_theirs, out_theirs


def make_problem(n: int, p: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    X[:, 1::2] += 0.5 * X[:, ::2][:, : X[:, 1::2].shape[1]]  # some correlated pairs
    w = np.zeros(p)
    w[rng.choice(p, 10, replace=False)] = rng.uniform(-3, 3, 10)
    return X, X @ w + rng.standard_normal(n)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--tol", type=float, default=1e-10)
    parser.add_argument("--max-iter", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads (both sides)")
    args = parser.parse_args()
    from sklearn.linear_model import ElasticNet, Lasso
    from sklearn.linear_model import lasso_path as sk_lasso_path
    from threadpoolctl import threadpool_limits

    # One BLAS thread for both sides: the machine is shared, and oversubscribed BLAS threads
    # make small solves 10-50x slower at random. scikit-learn's CD loops are single-threaded.
    threadpool_limits(args.threads)
    warnings.simplefilter("ignore")  # a ConvergenceWarning would show in the gap column
    tol, max_iter, rep = args.tol, args.max_iter, args.repeat
    print(
        f"tol={tol:g} max_iter={max_iter} best of {rep}, {args.threads} BLAS thread(s); "
        "ratio = ours / scikit-learn"
    )
    print(f"{'case':<44}{'ours s':>10}{'sklearn s':>11}{'ratio':>8}{'|Δcoef|':>10}{'gap':>10}")
    worst_ratio, worst_diff = 0.0, 0.0
    for n, p in [(2000, 200), (200, 2000)]:
        X, y = make_problem(n, p)
        lam = 0.05 * lambda_max(X, y)
        cases: list[tuple[str, Callable[[], Any], Callable[[], Any], float]] = [
            (
                "lasso fit",
                lambda X=X, y=y, lam=lam: lasso_coordinate_descent(X, y, lam, max_iter, tol),
                lambda X=X, y=y, lam=lam: (
                    Lasso(alpha=lam, fit_intercept=False, tol=tol, max_iter=max_iter)
                    .fit(X, y)
                    .coef_
                ),
                1.0,
            ),
            (
                "elastic net fit (l1_ratio=0.5)",
                lambda X=X, y=y, lam=lam: elastic_net_coordinate_descent(
                    X, y, lam, 0.5, max_iter, tol
                ),
                lambda X=X, y=y, lam=lam: (
                    ElasticNet(
                        alpha=lam, l1_ratio=0.5, fit_intercept=False, tol=tol, max_iter=max_iter
                    )
                    .fit(X, y)
                    .coef_
                ),
                0.5,
            ),
        ]
        for name, ours, theirs, ratio in cases:
            t_ours, w_ours, t_sk, w_sk = best_times(ours, theirs, rep)
            diff = float(np.max(np.abs(w_ours - w_sk)))
            gap = max(elastic_net_duality_gap(X, y, w, lam, ratio) for w in (w_ours, w_sk))
            worst_ratio, worst_diff = max(worst_ratio, t_ours / t_sk), max(worst_diff, diff)
            print(
                f"{f'{name} n={n} p={p}':<44}{t_ours:>10.4f}{t_sk:>11.4f}"
                f"{t_ours / t_sk:>8.2f}{diff:>10.1e}{gap:>10.1e}"
            )
        grid, _ = lasso_path(X, y, n_lams=100, eps=1e-3, max_iter=1, tol=1.0)
        t_ours, (_, coefs), t_sk, (_, sk_coefs, _) = best_times(
            lambda X=X, y=y, grid=grid: lasso_path(X, y, lams=grid, max_iter=max_iter, tol=tol),
            lambda X=X, y=y, grid=grid: sk_lasso_path(
                X, y, alphas=grid, tol=tol, max_iter=max_iter
            ),
            rep,
        )
        diff = float(np.max(np.abs(coefs - sk_coefs.T)))
        gap = max(
            elastic_net_duality_gap(X, y, c, g, 1.0)
            for cs in (coefs, sk_coefs.T)
            for c, g in zip(cs, grid, strict=True)
        )
        worst_ratio, worst_diff = max(worst_ratio, t_ours / t_sk), max(worst_diff, diff)
        name = f"lasso path 100 lams n={n} p={p}"
        print(
            f"{name:<44}{t_ours:>10.4f}{t_sk:>11.4f}{t_ours / t_sk:>8.2f}{diff:>10.1e}{gap:>10.1e}"
        )
    print(
        f"worst ratio {worst_ratio:.2f} (target ≤ 1.0), worst |Δcoef| {worst_diff:.1e} "
        "(target ≤ 1e-6)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
