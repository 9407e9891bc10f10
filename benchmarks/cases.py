r"""What the benchmark measures: the inputs, lossbook's calls and every reference implementation.

Each :class:`Case` is one lossbook call (a cost shortcut, or a registry loss's ``.cost`` or
``.grad``) together with the other ways of computing the same number(s) on the same arrays:

``fused``
    The fastest plain-NumPy expression of the same formula that we know how to write by hand,
    *without* any input validation: one expression, ``out=`` where it saves a temporary, the
    numerically stable form wherever the loss needs one to be correct (max-shift for
    log-sum-exp, ``max(z, 0) + log1p(exp(-|z|))`` for cross-entropy on logits, ``log1p`` where
    the argument may be tiny). It is the bar lossbook must stay close to, so it is written to
    be fast, not to be naive: the source of each one is printed in ``RESULTS.md``.
``sklearn``
    The scikit-learn metric computing the same cost, where one exists (costs only).
``scipy``
    A SciPy function that computes the loss (``scipy.special.huber``, ``log_expit``,
    ``log_softmax``, ...), where SciPy has one.
``torch``
    The same computation in PyTorch on the CPU: the ``torch.nn.functional`` loss where there is
    one, else the shortest stable tensor expression; gradients in closed form (as lossbook
    computes them), not through autograd, which would add a forward pass.

Every implementation is checked against lossbook's result before it is timed, so a reference
that computes something else stops the run instead of producing a flattering ratio.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import lossbook
from lossbook import losses
from lossbook.losses import _compiled as compiled
from lossbook.losses import inputs

#: Classes in the multi-class cases (n is the number of rows, so y_pred holds n * K numbers).
K = 10

EPS = float(np.finfo(np.float64).eps)
LOG2 = math.log(2.0)

#: Parameters the parametrised losses are called with (their defaults).
PARAMS: dict[str, dict[str, float]] = {
    "huber": {"delta": 1.0},
    "pseudo_huber": {"delta": 1.0},
    "pinball": {"quantile": 0.5},
    "binary_cross_entropy": {"pos_weight": 1.0},
    "binary_cross_entropy_with_logits": {"pos_weight": 1.0},
    "softmax_cross_entropy": {"label_smoothing": 0.0},
    "focal": {"gamma": 2.0},
    "focal_with_logits": {"gamma": 2.0},
}

#: Which PyTorch target applies: "arithmetic" losses need only + - * / abs min max (target: no
#: slower than PyTorch), "transcendental" ones are dominated by exp, log or sqrt (within 1.5x).
FAMILY: dict[str, str] = {
    "squared_error": "arithmetic", "absolute_error": "arithmetic", "huber": "arithmetic",
    "pinball": "arithmetic", "hinge": "arithmetic", "squared_hinge": "arithmetic",
    "multiclass_hinge": "arithmetic", "mean_error": "arithmetic",
    "pseudo_huber": "transcendental", "log_cosh": "transcendental",
    "squared_log_error": "transcendental", "binary_cross_entropy": "transcendental",
    "binary_cross_entropy_with_logits": "transcendental", "categorical_cross_entropy": "transcendental",
    "softmax_cross_entropy": "transcendental", "sparse_categorical_cross_entropy": "transcendental",
    "poisson_deviance": "transcendental", "focal": "transcendental", "focal_with_logits": "transcendental",
}
SHORTCUT_LOSS = {
    "mse": "squared_error", "rmse": "squared_error", "mae": "absolute_error", "mean_error": "mean_error",
    "msle": "squared_log_error", "rmsle": "squared_log_error", "log_loss": "binary_cross_entropy",
}


# ----------------------------------------------------------------------------------------------
# Inputs: each input kind's own sampler (lossbook.losses.inputs), the same arrays for everyone
# ----------------------------------------------------------------------------------------------
def make_inputs(kind: inputs.InputKind, n: int, seed: int = 20261122) -> tuple[np.ndarray, np.ndarray]:
    """A valid ``(y_true, y_pred)`` pair of ``n`` samples (rows of K classes) for an input kind,
    with hard labels (the libraries compared here accept no others)."""
    return kind.sample(np.random.default_rng(seed), n, K, soft=False)


# ----------------------------------------------------------------------------------------------
# Fused NumPy references: fastest hand-written form, no validation
# ----------------------------------------------------------------------------------------------
def fused_squared_error_cost(y, p):
    d = p - y
    return float(d @ d) / d.shape[0]


def fused_rmse(y, p):
    d = p - y
    return math.sqrt(float(d @ d) / d.shape[0])


def fused_squared_error_grad(y, p):
    d = p - y
    return np.multiply(d, 2.0, out=d)


def fused_absolute_error_cost(y, p):
    d = p - y
    return float(np.abs(d, out=d).sum()) / d.shape[0]


def fused_absolute_error_grad(y, p):
    d = p - y
    return np.sign(d, out=d)


def fused_mean_error(y, p):
    return float(p.sum() - y.sum()) / p.shape[0]


def fused_huber_cost(y, p, delta=1.0):
    a = p - y
    np.abs(a, out=a)
    m = np.minimum(a, delta)  # sum of 1/2 m^2 + delta (|r| - m), m = min(|r|, delta)
    a -= m
    return (0.5 * float(m @ m) + delta * float(a.sum())) / a.shape[0]


def fused_huber_grad(y, p, delta=1.0):
    r = p - y
    np.maximum(r, -delta, out=r)
    return np.minimum(r, delta, out=r)


def fused_pseudo_huber_cost(y, p, delta=1.0):
    x = p - y
    x *= 1.0 / delta
    s = np.multiply(x, x)  # delta^2 x^2 / (sqrt(1 + x^2) + 1): no cancellation near 0
    np.add(s, 1.0, out=x)
    np.sqrt(x, out=x)
    x += 1.0
    s /= x
    return delta * delta * float(s.sum()) / s.shape[0]


def fused_pseudo_huber_grad(y, p, delta=1.0):
    r = p - y
    x = r * (1.0 / delta)
    np.multiply(x, x, out=x)
    x += 1.0
    np.sqrt(x, out=x)
    return np.divide(r, x, out=r)


def fused_log_cosh_cost(y, p):
    a = p - y
    np.abs(a, out=a)
    t = np.multiply(a, -2.0)  # log cosh a = a + log1p(exp(-2a)) - log 2: exp never overflows
    np.exp(t, out=t)
    np.log1p(t, out=t)
    t += a
    t -= LOG2
    return float(t.sum()) / t.shape[0]


def fused_log_cosh_grad(y, p):
    r = p - y
    return np.tanh(r, out=r)


def fused_msle(y, p):
    d = np.log1p(p)
    d -= np.log1p(y)
    return float(d @ d) / d.shape[0]


def fused_rmsle(y, p):
    return math.sqrt(fused_msle(y, p))


def fused_squared_log_error_grad(y, p):
    d = np.log1p(p)
    d -= np.log1p(y)
    d *= 2.0
    return np.divide(d, p + 1.0, out=d)


def fused_pinball_cost(y, p, quantile=0.5):
    e = y - p
    t = e * (quantile - 1.0)
    e *= quantile
    return float(np.maximum(e, t, out=e).sum()) / e.shape[0]


def fused_pinball_grad(y, p, quantile=0.5):
    r = p - y
    g = np.where(r > 0, 1.0 - quantile, -quantile)
    g[r == 0] = 0.0
    return g


def fused_log_loss(y, p, pos_weight=1.0):
    q = np.clip(p, EPS, 1.0 - EPS)
    log_p = np.log(q)
    np.negative(q, out=q)
    log_1mp = np.log1p(q, out=q)  # log(1 - p), exact for tiny p
    return -(pos_weight * float(y @ log_p) + float((1.0 - y) @ log_1mp)) / y.shape[0]


def fused_binary_cross_entropy_grad(y, p, pos_weight=1.0):
    q = np.clip(p, EPS, 1.0 - EPS)
    g = (1.0 - y) / (1.0 - q)
    g -= pos_weight * y / q
    return g


def fused_binary_cross_entropy_with_logits_cost(y, z, pos_weight=1.0):
    assert pos_weight == 1.0, "written for the default pos_weight"
    # softplus(z) - y z = max(z, 0) - y z + log1p(exp(-|z|)): no exp of a large number
    t = np.abs(z)
    np.negative(t, out=t)
    np.exp(t, out=t)
    np.log1p(t, out=t)
    t += np.maximum(z, 0.0)
    t -= y * z
    return float(t.sum()) / z.shape[0]


def fused_binary_cross_entropy_with_logits_grad(y, z, pos_weight=1.0):
    assert pos_weight == 1.0, "written for the default pos_weight"
    e = np.abs(z)  # sigmoid(z) - y, sigmoid from exp(-|z|) <= 1
    np.negative(e, out=e)
    np.exp(e, out=e)
    s = e + 1.0
    np.divide(np.where(z >= 0, 1.0, e), s, out=s)
    s -= y
    return s


def fused_poisson_deviance_cost(y, p):
    r = np.maximum(y, 1e-300)  # y log(y / p) -> 0 * log(tiny / p) = 0 at y = 0
    r /= p
    np.log(r, out=r)
    r *= y
    r -= y
    r += p
    return 2.0 * float(r.sum()) / r.shape[0]


def fused_poisson_deviance_grad(y, p):
    g = np.divide(y, p)
    np.subtract(1.0, g, out=g)
    g *= 2.0
    return g


def fused_focal_cost(y, p, gamma=2.0):
    assert gamma == 2.0, "written for gamma = 2"
    p = np.clip(p, EPS, 1.0 - EPS)
    q = 1.0 - p
    positive = q * q
    positive *= np.log(p)
    positive *= y
    negative = p * p
    negative *= np.log1p(-p)
    negative *= 1.0 - y
    positive += negative
    return -float(positive.sum()) / p.shape[0]


def fused_focal_grad(y, p, gamma=2.0):
    assert gamma == 2.0, "written for gamma = 2"
    p = np.clip(p, EPS, 1.0 - EPS)
    q = 1.0 - p
    positive = q * q / p - 2.0 * q * np.log(p)
    negative = 2.0 * p * np.log1p(-p) - p * p / q
    return -(y * positive + (1.0 - y) * negative)


def _softplus_pair(z):
    t = np.abs(z)
    np.negative(t, out=t)
    np.exp(t, out=t)
    np.log1p(t, out=t)
    sp_pos = np.maximum(z, 0.0)
    sp_pos += t  # softplus(z) = -log(1 - p)
    return sp_pos - z, sp_pos  # softplus(-z) = -log p


def fused_focal_with_logits_cost(y, z, gamma=2.0):
    assert gamma == 2.0, "written for gamma = 2"
    sp_neg, sp_pos = _softplus_pair(z)
    positive = np.exp(-2.0 * sp_pos)
    positive *= sp_neg
    positive *= y
    negative = np.exp(-2.0 * sp_neg)
    negative *= sp_pos
    negative *= 1.0 - y
    positive += negative
    return float(positive.sum()) / z.shape[0]


def fused_focal_with_logits_grad(y, z, gamma=2.0):
    assert gamma == 2.0, "written for gamma = 2"
    sp_neg, sp_pos = _softplus_pair(z)
    p, q = np.exp(-sp_neg), np.exp(-sp_pos)
    return (1.0 - y) * p * p * (2.0 * q * sp_pos + p) - y * q * q * (2.0 * p * sp_neg + q)


def fused_hinge_cost(y, s):
    m = y * s
    np.subtract(1.0, m, out=m)
    return float(np.maximum(m, 0.0, out=m).sum()) / m.shape[0]


def fused_hinge_grad(y, s):
    return np.where(y * s < 1.0, -y, 0.0)


def fused_squared_hinge_cost(y, s):
    m = y * s
    np.subtract(1.0, m, out=m)
    np.maximum(m, 0.0, out=m)
    return float(m @ m) / m.shape[0]


def fused_squared_hinge_grad(y, s):
    m = y * s
    np.subtract(1.0, m, out=m)
    np.maximum(m, 0.0, out=m)
    m *= -2.0
    return np.multiply(m, y, out=m)


def fused_categorical_cross_entropy_cost(y, p):
    q = np.clip(p, EPS, 1.0 - EPS)
    np.log(q, out=q)
    return -float(np.vdot(y, q)) / y.shape[0]


def fused_categorical_cross_entropy_grad(y, p):
    q = np.clip(p, EPS, 1.0 - EPS)
    np.divide(y, q, out=q)
    return np.negative(q, out=q)


def fused_softmax_cross_entropy_cost(y, z, label_smoothing=0.0):
    assert label_smoothing == 0.0, "written for the default label_smoothing"
    # sum_c y_c (lse - z_c) with lse = m + log sum exp(z - m): nothing overflows
    m = z.max(axis=1, keepdims=True)
    e = z - m
    np.exp(e, out=e)
    lse = np.log(e.sum(axis=1))
    lse += m[:, 0]
    return float(lse @ y.sum(axis=1) - np.vdot(y, z)) / y.shape[0]


def fused_softmax_cross_entropy_grad(y, z, label_smoothing=0.0):
    assert label_smoothing == 0.0, "written for the default label_smoothing"
    e = z - z.max(axis=1, keepdims=True)
    np.exp(e, out=e)
    e /= e.sum(axis=1, keepdims=True)
    e -= y
    return e


def fused_sparse_categorical_cross_entropy_cost(labels, p):
    q = p[np.arange(p.shape[0]), labels]
    np.clip(q, EPS, 1.0 - EPS, out=q)
    return -float(np.log(q, out=q).sum()) / q.shape[0]


def fused_sparse_categorical_cross_entropy_grad(labels, p):
    rows = np.arange(p.shape[0])
    g = np.zeros_like(p)
    g[rows, labels] = -1.0 / np.clip(p[rows, labels], EPS, 1.0 - EPS)
    return g


def fused_multiclass_hinge_cost(labels, s):
    rows = np.arange(s.shape[0])
    true = s[rows, labels]
    others = s.copy()
    others[rows, labels] = -np.inf
    m = others.max(axis=1)
    m += 1.0
    m -= true
    return float(np.maximum(m, 0.0, out=m).sum()) / m.shape[0]


def fused_multiclass_hinge_grad(labels, s):
    rows = np.arange(s.shape[0])
    others = s.copy()
    others[rows, labels] = -np.inf
    best = others.argmax(axis=1)
    active = (others[rows, best] + 1.0 > s[rows, labels]).astype(np.float64)
    g = np.zeros_like(s)
    g[rows, best] = active
    g[rows, labels] = -active
    return g


# ----------------------------------------------------------------------------------------------
# scikit-learn and SciPy (optional)
# ----------------------------------------------------------------------------------------------
def sklearn_implementations() -> dict[str, Callable[..., float]]:
    try:
        import scipy.special as sp  # type: ignore[import-untyped]
        from sklearn import metrics as m  # type: ignore[import-untyped]
    except ImportError:
        return {}
    labels = list(range(K))
    return {
        "mse": m.mean_squared_error,
        "rmse": m.root_mean_squared_error,
        "mae": m.mean_absolute_error,
        "msle": m.mean_squared_log_error,
        "rmsle": m.root_mean_squared_log_error,
        "log_loss": m.log_loss,
        "squared_error.cost": m.mean_squared_error,
        "absolute_error.cost": m.mean_absolute_error,
        "squared_log_error.cost": m.mean_squared_log_error,
        "pinball.cost": lambda y, p: m.mean_pinball_loss(y, p, alpha=0.5),
        "binary_cross_entropy.cost": m.log_loss,
        "binary_cross_entropy_with_logits.cost": lambda y, z: m.log_loss(y, sp.expit(z)),
        "hinge.cost": m.hinge_loss,
        "categorical_cross_entropy.cost": m.log_loss,  # y_true as a label-indicator matrix
        "softmax_cross_entropy.cost": lambda y, z: m.log_loss(y, sp.softmax(z, axis=1)),
        "sparse_categorical_cross_entropy.cost": lambda y, p: m.log_loss(y, p, labels=labels),
        "multiclass_hinge.cost": lambda y, s: m.hinge_loss(y, s, labels=labels),
    }


def scipy_implementations() -> dict[str, Callable[..., Any]]:
    try:
        import scipy.special as sp  # type: ignore[import-untyped]
    except ImportError:
        return {}
    return {
        "huber.cost": lambda y, p: float(sp.huber(1.0, p - y).mean()),
        "pseudo_huber.cost": lambda y, p: float(sp.pseudo_huber(1.0, p - y).mean()),
        "binary_cross_entropy_with_logits.cost":
            lambda y, z: -float(y @ sp.log_expit(z) + (1.0 - y) @ sp.log_expit(-z)) / z.shape[0],
        "binary_cross_entropy_with_logits.grad": lambda y, z: sp.expit(z) - y,
        "softmax_cross_entropy.cost": lambda y, z: -float(np.vdot(y, sp.log_softmax(z, axis=1))) / z.shape[0],
        "softmax_cross_entropy.grad": lambda y, z: sp.softmax(z, axis=1) - y,
    }


# ----------------------------------------------------------------------------------------------
# PyTorch (optional): functions of tensors that share memory with the NumPy inputs
# ----------------------------------------------------------------------------------------------
def torch_implementations() -> dict[str, Callable[..., Any]]:
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        return {}

    def log_cosh(Y, P):
        a = (P - Y).abs_()
        return float((a + F.softplus(-2.0 * a) - LOG2).mean())

    def pseudo_huber(Y, P):
        x = P - Y
        s = x.square()
        return float((s / s.add(1.0).sqrt_().add_(1.0)).mean())

    def pinball_grad(Y, P):
        r = P - Y
        return torch.where(r > 0, 0.5, torch.where(r < 0, -0.5, 0.0)).to(P.dtype)

    def bce_grad(Y, P):
        q = P.clamp(EPS, 1.0 - EPS)
        return (1.0 - Y) / (1.0 - q) - Y / q

    def sparse_ce(L, P):
        return -float(P.gather(1, L[:, None]).clamp_(EPS, 1.0 - EPS).log_().mean())

    def sparse_ce_grad(L, P):
        g = torch.zeros_like(P)
        return g.scatter_(1, L[:, None], -1.0 / P.gather(1, L[:, None]).clamp_(EPS, 1.0 - EPS))

    def mc_hinge(L, S):
        true = S.gather(1, L[:, None])[:, 0]
        others = S.scatter(1, L[:, None], -math.inf)
        return float((others.amax(dim=1).add_(1.0).sub_(true)).clamp_(min=0.0).mean())

    def mc_hinge_grad(L, S):
        true = S.gather(1, L[:, None])[:, 0]
        others = S.scatter(1, L[:, None], -math.inf)
        best_score, best = others.max(dim=1)
        active = (best_score + 1.0 > true).to(S.dtype)
        g = torch.zeros_like(S)
        g.scatter_(1, best[:, None], active[:, None])
        return g.scatter_(1, L[:, None], -active[:, None])

    def sq_log(Y, P):
        return float(F.mse_loss(torch.log1p(P), torch.log1p(Y)))

    return {
        "mse": lambda Y, P: float(F.mse_loss(P, Y)),
        "rmse": lambda Y, P: math.sqrt(float(F.mse_loss(P, Y))),
        "mae": lambda Y, P: float(F.l1_loss(P, Y)),
        "mean_error": lambda Y, P: float((P - Y).mean()),
        "msle": sq_log,
        "rmsle": lambda Y, P: math.sqrt(sq_log(Y, P)),
        "log_loss": lambda Y, P: float(F.binary_cross_entropy(P, Y)),
        "squared_error.cost": lambda Y, P: float(F.mse_loss(P, Y)),
        "squared_error.grad": lambda Y, P: (P - Y).mul_(2.0),
        "absolute_error.cost": lambda Y, P: float(F.l1_loss(P, Y)),
        "absolute_error.grad": lambda Y, P: (P - Y).sign_(),
        "huber.cost": lambda Y, P: float(F.huber_loss(P, Y, delta=1.0)),
        "huber.grad": lambda Y, P: (P - Y).clamp_(-1.0, 1.0),
        "pseudo_huber.cost": pseudo_huber,
        "pseudo_huber.grad": lambda Y, P: (P - Y) / (P - Y).square_().add_(1.0).sqrt_(),
        "log_cosh.cost": log_cosh,
        "log_cosh.grad": lambda Y, P: (P - Y).tanh_(),
        "squared_log_error.cost": sq_log,
        "squared_log_error.grad":
            lambda Y, P: (torch.log1p(P) - torch.log1p(Y)).mul_(2.0).div_(P + 1.0),
        "pinball.cost": lambda Y, P: float(torch.maximum(0.5 * (Y - P), -0.5 * (Y - P)).mean()),
        "pinball.grad": pinball_grad,
        "binary_cross_entropy.cost": lambda Y, P: float(F.binary_cross_entropy(P, Y)),
        "binary_cross_entropy.grad": bce_grad,
        "binary_cross_entropy_with_logits.cost": lambda Y, Z: float(F.binary_cross_entropy_with_logits(Z, Y)),
        "binary_cross_entropy_with_logits.grad": lambda Y, Z: torch.sigmoid(Z).sub_(Y),
        "hinge.cost": lambda Y, S: float((1.0 - Y * S).clamp_(min=0.0).mean()),
        "hinge.grad": lambda Y, S: torch.where(Y * S < 1.0, -Y, 0.0),
        "squared_hinge.cost": lambda Y, S: float((1.0 - Y * S).clamp_(min=0.0).square_().mean()),
        "squared_hinge.grad": lambda Y, S: (1.0 - Y * S).clamp_(min=0.0).mul_(Y).mul_(-2.0),
        "categorical_cross_entropy.cost":
            lambda Y, P: -float(torch.vdot(Y.reshape(-1), P.clamp(EPS, 1.0 - EPS).log_().reshape(-1))) / P.shape[0],
        "categorical_cross_entropy.grad": lambda Y, P: -Y / P.clamp(EPS, 1.0 - EPS),
        "softmax_cross_entropy.cost": lambda Y, Z: float(F.cross_entropy(Z, Y)),
        "softmax_cross_entropy.grad": lambda Y, Z: torch.softmax(Z, dim=1).sub_(Y),
        "sparse_categorical_cross_entropy.cost": sparse_ce,
        "sparse_categorical_cross_entropy.grad": sparse_ce_grad,
        "multiclass_hinge.cost": mc_hinge,
        "multiclass_hinge.grad": mc_hinge_grad,
    }


# ----------------------------------------------------------------------------------------------
# The cases
# ----------------------------------------------------------------------------------------------
@dataclass
class Case:
    """One lossbook call and its references (each ``f(y_true, y_pred)``; torch takes tensors)."""

    name: str
    kind: inputs.InputKind
    is_cost: bool
    ours: Callable[..., Any]
    fused: Callable[..., Any]
    family: str
    sklearn: Callable[..., Any] | None = None
    scipy: Callable[..., Any] | None = None
    torch: Callable[..., Any] | None = None
    notes: list[str] = field(default_factory=list)
    compiled: bool = False  # whether lossbook has a compiled kernel for it (used on large inputs)


def _bind(f: Callable[..., Any], params: dict[str, float]) -> Callable[..., Any]:
    return (lambda y, p: f(y, p, **params)) if params else f


def all_cases() -> list[Case]:
    """Every cost shortcut, then every registry loss's ``.cost`` and ``.grad``, in registry order."""
    sk, sc, th = sklearn_implementations(), scipy_implementations(), torch_implementations()
    fused = {name[len("fused_"):]: f for name, f in globals().items() if name.startswith("fused_")}
    out: list[Case] = []
    shortcut_fused = {
        "mse": fused["squared_error_cost"], "rmse": fused["rmse"], "mae": fused["absolute_error_cost"],
        "mean_error": fused["mean_error"], "msle": fused["msle"], "rmsle": fused["rmsle"],
        "log_loss": fused["log_loss"],
    }
    for short, ref in shortcut_fused.items():
        of = SHORTCUT_LOSS[short]
        out.append(Case(
            name=short, kind=losses.REGISTRY[of].inputs if of in losses.REGISTRY else inputs.REAL,
            is_cost=True, ours=getattr(lossbook, short), fused=ref, family=FAMILY[of],
            sklearn=sk.get(short), scipy=sc.get(short), torch=th.get(short),
            compiled=compiled.has_kernel(of, "cost"),
        ))
    for name, loss in losses.REGISTRY.items():
        params = PARAMS.get(name, {})
        cost_ref = fused.get(f"{name}_cost") or {"binary_cross_entropy": fused["log_loss"],
                                                  "squared_log_error": fused["msle"]}[name]
        for what, ours, ref in (
            ("cost", lambda y, p, loss=loss, params=params: loss.cost(y, p, **params), cost_ref),
            ("grad", lambda y, p, loss=loss, params=params: loss.grad(y, p, **params), fused[f"{name}_grad"]),
        ):
            key = f"{name}.{what}"
            out.append(Case(
                name=key, kind=loss.inputs, is_cost=what == "cost", ours=ours,
                fused=_bind(ref, params), family=FAMILY[name],
                sklearn=sk.get(key), scipy=sc.get(key), torch=th.get(key),
                compiled=compiled.has_kernel(name, what),
            ))
    return out
