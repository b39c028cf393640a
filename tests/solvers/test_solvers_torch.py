"""Against PyTorch where it defines the convention (skipped when torch is not installed)."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from solvers import dropout_forward, label_smoothing_cross_entropy  # noqa: E402
from solvers.constraints import spectral_norm  # noqa: E402
from solvers.dropout import spatial_dropout_forward  # noqa: E402
from solvers.normalization import batch_norm_forward  # noqa: E402
from solvers.optimizers import AdamState, adam_step, adamw_step, sgd_step  # noqa: E402

torch.set_default_dtype(torch.float64)


@pytest.mark.parametrize("eps", [0.0, 0.1, 0.35, 0.9])
@pytest.mark.parametrize("scale", [1.0, 50.0, 1e4])
def test_label_smoothing_matches_cross_entropy_loss(eps: float, scale: float) -> None:
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((16, 7)) * scale
    labels = rng.integers(0, 7, size=16)
    ref = torch.nn.CrossEntropyLoss(label_smoothing=eps)(
        torch.from_numpy(logits), torch.from_numpy(labels)
    ).item()
    assert label_smoothing_cross_entropy(logits, labels, eps) == pytest.approx(ref, rel=1e-12)


def test_dropout_semantics_match_torch() -> None:
    x = torch.ones(200_000)
    p = 0.3
    layer = torch.nn.Dropout(p)
    out_t = layer.train()(x).numpy()
    out_n, _ = dropout_forward(x.numpy(), p, True, np.random.default_rng(0))
    assert set(np.unique(out_t)) == set(np.unique(out_n)) == {0.0, 1 / (1 - p)}
    assert abs((out_t == 0).mean() - (out_n == 0).mean()) < 0.01
    np.testing.assert_array_equal(layer.eval()(x).numpy(), dropout_forward(x.numpy(), p, False)[0])


def test_spatial_dropout_matches_dropout2d() -> None:
    x = torch.ones(64, 32, 4, 4)
    out_t = torch.nn.Dropout2d(0.5).train()(x).numpy().reshape(64, 32, -1)
    out_n = spatial_dropout_forward(x.numpy(), 0.5, True, np.random.default_rng(1))[0]
    out_n = out_n.reshape(64, 32, -1)
    for out in (out_t, out_n):  # whole channels are either dropped or scaled by 2
        assert np.all((out == 0).all(axis=2) | (out == 2).all(axis=2))


def test_spectral_norm_matches_torch_power_iteration() -> None:
    torch.manual_seed(0)
    lin = torch.nn.Linear(5, 4)
    sn = torch.nn.utils.spectral_norm(lin, n_power_iterations=3)
    u0 = sn.weight_u.detach().clone().numpy()
    W = sn.weight_orig.detach().clone().numpy()
    sn.train()
    sn(torch.zeros(1, 5))  # one forward pass = 3 power iterations, updates u
    W_sn, u, sigma = spectral_norm(W, u0, n_power_iterations=3)
    np.testing.assert_allclose(u, sn.weight_u.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(W_sn, sn.weight.detach().numpy(), rtol=1e-10)
    _, _, sigma_many = spectral_norm(W, None, 200, rng=np.random.default_rng(0))
    assert sigma_many == pytest.approx(np.linalg.norm(W, 2), rel=1e-8)
    assert sigma <= sigma_many + 1e-12


def test_batch_norm_matches_batchnorm1d() -> None:
    rng = np.random.default_rng(2)
    x = rng.normal(2.0, 3.0, size=(10, 4))
    bn = torch.nn.BatchNorm1d(4, momentum=0.1, eps=1e-5)
    with torch.no_grad():
        bn.weight.copy_(torch.tensor([1.0, 2.0, 0.5, -1.0]))
        bn.bias.copy_(torch.tensor([0.0, 1.0, -1.0, 0.5]))
    g, b = bn.weight.detach().numpy().copy(), bn.bias.detach().numpy().copy()
    rm, rv = np.zeros(4), np.ones(4)
    y_t = bn.train()(torch.from_numpy(x)).detach().numpy()
    y_n, rm, rv = batch_norm_forward(x, g, b, rm, rv, True)
    np.testing.assert_allclose(y_n, y_t, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(rm, bn.running_mean.numpy(), rtol=1e-12)
    np.testing.assert_allclose(rv, bn.running_var.numpy(), rtol=1e-12)
    y_t = bn.eval()(torch.from_numpy(x[:3])).detach().numpy()
    np.testing.assert_allclose(batch_norm_forward(x[:3], g, b, rm, rv, False)[0], y_t, rtol=1e-10)


@pytest.mark.parametrize("steps", [1, 5])
def test_sgd_adam_adamw_match_torch_optimizers(steps: int) -> None:
    rng = np.random.default_rng(3)
    w0 = rng.standard_normal(6)
    grads = [rng.standard_normal(6) * s for s in np.linspace(0.01, 10, steps)]
    cases = [
        (torch.optim.SGD, dict(lr=0.1, weight_decay=0.05, momentum=0.9)),
        (torch.optim.Adam, dict(lr=0.01, weight_decay=0.1)),
        (torch.optim.AdamW, dict(lr=0.01, weight_decay=0.1)),
    ]
    for cls, kw in cases:
        param = torch.nn.Parameter(torch.from_numpy(w0.copy()))
        opt = cls([param], **kw)
        w = w0.copy()
        velocity = None
        state: AdamState | None = None
        for g in grads:
            param.grad = torch.from_numpy(g.copy())
            opt.step()
            if cls is torch.optim.SGD:
                w, velocity = sgd_step(w, g, 0.1, 0.05, 0.9, velocity)
            elif cls is torch.optim.Adam:
                w, state = adam_step(w, g, state, lr=0.01, weight_decay=0.1)
            else:
                w, state = adamw_step(w, g, state, lr=0.01, weight_decay=0.1)
        np.testing.assert_allclose(w, param.detach().numpy(), rtol=1e-10, atol=1e-12)
