"""Figures: the plotted series are the solvers' output, the CLI and the decks use them."""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp import figures
from quizapp.cli import main
from quizapp.cli.env import Environment
from quizapp.decks import load_decks
from quizapp.errors import UsageError
from quizapp.figure_svg import to_svg

FIXTURES = Path(__file__).parent / "fixtures"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), env=Environment(stdout=out, stderr=err, environ=dict(os.environ)))
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("kind", list(figures.KINDS))
def test_every_kind_builds_finite_series(kind: str) -> None:
    fig = figures.build(kind, seed=5)
    assert fig.kind == kind and fig.series and fig.note
    for s in fig.series:
        assert len(s.x) == len(s.y) > 0
        assert np.isfinite(s.x).all() and np.isfinite(s.y).all()
    svg = to_svg(fig)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")


def test_lasso_path_series_are_the_solver_path() -> None:
    from solvers.elastic_net import elastic_net_path

    fig = figures.build("lasso_path", seed=2, marker=0.3)
    X, y, _ = figures._regression(2)
    lams, coefs = elastic_net_path(X, y, 1.0, n_lams=60, eps=1e-3, tol=1e-10)
    for j, s in enumerate(fig.series):
        np.testing.assert_allclose(s.x, np.log10(lams))
        np.testing.assert_allclose(s.y, coefs[:, j], atol=1e-12)
    k = round(0.3 * (len(lams) - 1))
    nnz = int(np.count_nonzero(np.abs(coefs[k]) > 1e-10))
    assert fig.markers[0].x == pytest.approx(np.log10(lams[k]))
    assert f"{nnz} of 6 coefficients non-zero" in fig.note


def test_ridge_path_is_ridge_closed_form_and_never_zero() -> None:
    from solvers.l2 import ridge_closed_form

    fig = figures.build("ridge_path", seed=4)
    X, y, _ = figures._regression(4)
    lam = 10 ** fig.series[0].x[10]
    expected = ridge_closed_form(X, y, lam)
    got = [s.y[10] for s in fig.series]
    np.testing.assert_allclose(got, expected, rtol=1e-9)
    assert all(abs(v) > 0 for s in fig.series for v in s.y)


@pytest.mark.parametrize("penalty", ["l1", "l2", "elastic_net"])
def test_constraint_solution_lies_on_the_ball_and_the_contour(penalty: str) -> None:
    fig = figures.build("constraint_regions", seed=3, penalty=penalty)
    ball, _, through, _ols, sol = fig.series
    w = np.array([sol.x[0], sol.y[0]])
    boundary = np.column_stack([ball.x, ball.y])
    # The solution is on the region's boundary and on the contour drawn through it.
    assert np.min(np.linalg.norm(boundary - w, axis=1)) < 0.05
    contour = np.column_stack([through.x, through.y])
    assert np.min(np.linalg.norm(contour - w, axis=1)) < 0.05
    if penalty == "l1":
        assert min(abs(w)) < 1e-9, "the lasso solution here is on a corner"
        assert "corner" in fig.note
    if penalty == "l2":
        assert min(abs(w)) > 1e-3, "ridge does not zero a coefficient"


def test_early_stopping_markers_match_the_solver_rule() -> None:
    from solvers.early_stopping import early_stopping

    fig = figures.build("early_stopping", seed=2, patience=7)
    val = fig.series[1].y
    best, stop = early_stopping(list(val), 7)
    assert [m.x for m in fig.markers] == [best, stop]
    assert val[best] == min(val[: stop + 1])


def test_dropout_mask_grid_holds_zero_or_the_scale() -> None:
    fig = figures.build("dropout_mask", seed=1, p=0.25, rows=5, cols=9)
    assert fig.grid is not None
    values = {v for row in fig.grid for v in row}
    assert values <= {0.0, 1 / 0.75}
    kept = sum(v > 0 for row in fig.grid for v in row) / 45
    np.testing.assert_allclose(fig.series[0].y, [sum(v > 0 for v in r) / 9 for r in fig.grid])
    assert f"{kept:.0%}" in fig.note


def test_forgetting_curve_is_fsrs_retrievability() -> None:
    fig = figures.build("forgetting_curve", stability=10.0, retention=0.9)
    xs, rs = fig.series[0].x, fig.series[0].y
    assert rs[0] == pytest.approx(1.0)
    assert all(a >= b for a, b in itertools.pairwise(rs))
    # FSRS defines stability as the interval at which recall falls to 90 %.
    i = min(range(len(xs)), key=lambda k: abs(xs[k] - 10.0))
    assert rs[i] == pytest.approx(0.9, abs=0.01)


@given(
    kind=st.sampled_from(list(figures.KINDS)),
    key=st.text(max_size=12),
    value=st.one_of(st.text(max_size=8), st.floats(), st.integers(), st.booleans()),
)
@settings(max_examples=60, deadline=None)
def test_bad_parameters_are_usage_errors_never_crashes(kind: str, key: str, value: Any) -> None:
    with contextlib.suppress(UsageError):
        figures.parse_params(kind, {key: value})


def test_cli_list_draw_svg_and_errors(tmp_path: Path) -> None:
    code, out, _ = run("figure", "--list")
    assert code == 0 and all(k in out for k in figures.KINDS)
    code, out, _ = run("figure", "early_stopping", "--seed", "2")
    assert code == 0 and "Early stopping" in out and "\x1b[" not in out  # a pipe: no colours
    target = tmp_path / "ball.svg"
    code, out, _ = run("figure", "constraint_regions", "--set", "penalty=l2", "--svg", str(target))
    assert code == 0 and target.read_text().startswith("<svg")
    code, out, _ = run("figure", "lasso_path", "--json", "--seed", "1")
    data = json.loads(out)
    assert data["kind"] == "lasso_path" and len(data["series"]) == 6
    assert run("figure", "nope")[0] == 2
    assert run("figure", "lasso_path", "--set", "marker=2")[0] == 2
    assert run("figure", "lasso_path", "--set", "colour=red")[0] == 2
    assert run("figure", "lasso_path", "--set", "novalue")[0] == 2
    assert run("figure", "lasso_path", "--svg", str(tmp_path))[0] == 2


def test_example_plot_draws_the_problems_figure() -> None:
    code, out, _ = run("example", "early_stopping_trace", "--seed", "3", "--plot")
    assert code == 0 and "Early stopping: train vs validation loss (seed 3)" in out


def test_deck_figure_field_is_validated_with_file_and_line(tmp_path: Path) -> None:
    good = FIXTURES / "figuredecks" / "pics.yaml"
    ds = load_decks([good])
    assert not ds.problems
    card = ds.decks[0].cards[0]
    assert card.figure.kind == "constraint_regions" and card.figure.params == {"penalty": "l1"}
    bad = tmp_path / "bad.yaml"
    text = good.read_text().replace("kind: constraint_regions", "kind: lasso_pathh")
    bad.write_text(text.replace("penalty: l1", "penalty: l1"))
    (problem,) = load_decks([bad]).problems
    assert problem.line == 10 and "unknown figure kind 'lasso_pathh'" in problem.message
    bad.write_text(good.read_text().replace("penalty: l1", "colour: red"))
    (problem,) = load_decks([bad]).problems
    assert "no parameter 'colour'" in problem.message


def test_every_shipped_figure_card_builds() -> None:
    from quizapp.paths import bundled_decks_dir

    ds = load_decks([bundled_decks_dir()])
    specs = [c.figure for d in ds.decks for c in d.cards if c.figure is not None]
    assert len(specs) >= 6
    for spec in specs:
        figures.build(spec.kind, spec.seed, **spec.params)


def test_start_up_does_not_load_plotext() -> None:
    """plotext (~0.1 s) loads with the first figure, not with the app or a study screen."""
    import subprocess
    import sys

    code = (
        "import sys, quizapp.app, quizapp.figures, quizapp.screens.review, quizapp.cli; "
        "bad = [m for m in ('plotext', 'textual_plotext', 'numpy') if m in sys.modules]; "
        "print(*bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_workload_and_readiness_figures_plot_the_domain_results(tmp_path: Path) -> None:
    """Drawn from the user's data: the series are exactly the simulator's and the plan's."""
    import datetime as dt

    from quizapp.planning import make_plan
    from quizapp.session import open_session
    from quizapp.workload import workload

    session = open_session(
        tmp_path / "q.db", deck_dirs=[FIXTURES / "figuredecks"], cache_dir=tmp_path / "c"
    )
    try:
        w = workload(session.store, session.settings, days=30, retentions=(0.8, 0.9, 0.95))
        fig = figures.workload_figure(w, 0.9)
        assert list(fig.series[0].x) == [0.8, 0.9, 0.95]
        assert list(fig.series[0].y) == [r.reviews_per_day for r in w.rows]
        assert list(fig.series[1].y) == [r.minutes_per_day for r in w.rows]
        assert fig.markers[0].x == 0.9 and to_svg(fig).startswith("<svg")
        now = dt.datetime.now(dt.UTC)
        plan = make_plan(
            session.store,
            session.catalog,
            session.settings,
            now,
            (now + dt.timedelta(days=10)).date(),
        )
        fig = figures.readiness_figure(plan)
        assert list(fig.series[0].y) == (list(plan.curve) or [plan.readiness])
        assert f"{plan.days_left} days left" in fig.title
    finally:
        session.close()


def test_workload_cli_plot(tmp_path: Path) -> None:
    env = {**os.environ, "QUIZAPP_DECKS": str(FIXTURES / "figuredecks")}
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["--db", str(tmp_path / "w.db"), "workload", "--days", "20", "--plot"],
        env=Environment(stdout=out, stderr=err, environ=env),
    )
    assert code == 0, err.getvalue()
    assert "Workload by desired retention" in out.getvalue()
