"""Every entry of ``lossbook.other_libraries.COUNTERPARTS`` against lossbook, by running the library.

For each loss the library has: its per-sample losses (or its cost), its gradient by the library's
autograd (PyTorch; JAX for Keras and Optax), the cost, and what the library's default call returns
(``default_is``), on random inputs and on each input kind's extreme inputs (probabilities of
exactly 0 and 1, logits of +-800, residuals of 1e8, labels in both label sets). Where a library
disagrees with lossbook on extreme inputs, the entry's ``extremes`` text says how (and the
appendix prints it); the test fails both on an undocumented disagreement and on a documented one
that has gone away. An entry whose library is not installed skips, saying which; CI installs them
all (requirements-dev.txt), so there nothing skips.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

from lossbook import losses, penalties
from lossbook import other_libraries as ol

ENTRIES = list(ol.COUNTERPARTS)


def entry_id(c: ol.Counterpart) -> str:
    same = [e for e in ENTRIES if e.name == c.name and e.library == c.library]
    suffix = f"-{same.index(c)}" if len(same) > 1 else ""
    return f"{c.name}-{c.library}{suffix}"


def need(library: str) -> None:
    if not ol.available(library):
        pytest.skip(f"{library} is not installed (pip install -r requirements-dev.txt)")


def run(c: ol.Counterpart, expression: str, y: np.ndarray, p: np.ndarray, *, grad: bool = False) -> Any:
    """Evaluate ``expression`` on (y, p) in the library; with ``grad``, also d(sum)/dp by autograd."""
    k = p.shape[1] if p.ndim == 2 else 2
    params = {name: value for name, value in c.params.items()}
    if c.library == "PyTorch":
        import torch

        y_t = ol.to_library(c.library, y)
        p_t = ol.to_library(c.library, p).requires_grad_(grad)
        out = ol.evaluate(expression, c.library, {"y": y_t, "p": p_t, "k": k, **params})
        if not grad:
            return ol.as_numpy(out), None
        (g,) = torch.autograd.grad(out.sum(), p_t)
        return ol.as_numpy(out), ol.as_numpy(g)
    if c.library in ("Keras", "Optax"):
        import jax

        y_j = ol.to_library(c.library, y)

        def f(p_j: Any) -> Any:
            return ol.evaluate(expression, c.library, {"y": y_j, "p": p_j, "k": k, **params})

        p_j = ol.to_library(c.library, p)
        out = f(p_j)
        g = jax.grad(lambda q: f(q).sum())(p_j) if grad else None
        return ol.as_numpy(out), None if g is None else ol.as_numpy(g)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return ol.as_numpy(ol.evaluate(expression, c.library, {"y": y, "p": p, "k": k, **params})), None


def inputs_for(c: ol.Counterpart, y: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The inputs on which the entry claims lossbook's number: hard labels where it says so
    (scikit-learn's log_loss and hinge_loss take nothing else), and samples where ``valid`` holds."""
    if c.hard_labels or (c.library == "scikit-learn" and losses.REGISTRY[c.name].task != "regression"):
        if y.ndim == 2:
            y = np.eye(y.shape[1])[y.argmax(axis=1)]
        elif y.min() >= 0:
            y = np.round(y)
    if c.valid:
        keep = eval(c.valid, {"np": np}, {"y": y, "p": p})
        assert keep.any(), f"{entry_id(c)}: no sample satisfies {c.valid}"
        y, p = y[keep], p[keep]
    return y, p


def lossbook_params(c: ol.Counterpart) -> dict[str, Any]:
    loss = losses.REGISTRY[c.name]
    return {name: value for name, value in c.params.items() if name in loss.defaults}


LOSS_ENTRIES = [c for c in ENTRIES if c.name in losses.REGISTRY]
PENALTY_ENTRIES = [c for c in ENTRIES if c.name in penalties.REGISTRY]


def test_every_loss_and_penalty_has_a_counterpart() -> None:
    names = {c.name for c in ENTRIES}
    missing = [name for name in [*losses.REGISTRY, *penalties.REGISTRY] if name not in names]
    assert not missing, (
        f"no entry in lossbook/other_libraries.py COUNTERPARTS for {missing}: add what each library "
        "calls it (CONTRIBUTING.md, 'Adding a loss')"
    )
    unknown = sorted(names - set(losses.REGISTRY) - set(penalties.REGISTRY))
    assert not unknown, f"COUNTERPARTS names no lossbook loss or penalty {unknown}"


def test_a_counterpart_refuses_an_unknown_library() -> None:
    with pytest.raises(ValueError, match="library must be one of"):
        ol.Counterpart(name="huber", library="TensorFlow", call="x", recipe="x")
    with pytest.raises(ValueError, match="gives must be"):
        ol.Counterpart(name="huber", library="SciPy", call="x", recipe="x", gives="mean")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="library must be one of"):
        ol.available("TensorFlow")


@pytest.mark.parametrize("c", [c for c in LOSS_ENTRIES if c.recipe is not None], ids=entry_id)
def test_recipe_gives_lossbook_loss_gradient_and_cost(c: ol.Counterpart, rng: np.random.Generator) -> None:
    need(c.library)
    loss = losses.REGISTRY[c.name]
    kw = lossbook_params(c)
    y, p = inputs_for(c, *loss.sample(rng, 64, 4, **kw))
    autograd = c.library in ("PyTorch", "Keras", "Optax") and c.gives == "per-sample"
    theirs, their_grad = run(c, c.recipe, y, p, grad=autograd)
    ours = loss(y, p, **kw)
    if c.gives == "per-sample":
        np.testing.assert_allclose(theirs, ours, rtol=c.rtol, atol=1e-12)
        assert float(theirs.mean()) == pytest.approx(loss.cost(y, p, **kw), rel=c.rtol)
    else:
        assert float(theirs) == pytest.approx(loss.cost(y, p, **kw), rel=c.rtol)
    if autograd:
        ours_grad = loss.grad(y, p, **kw)
        if c.row_gradient:  # equal along the simplex: compare with each row's mean removed
            their_grad = their_grad - their_grad.mean(axis=1, keepdims=True)
            ours_grad = ours_grad - ours_grad.mean(axis=1, keepdims=True)
            assert not np.allclose(loss.grad(y, p, **kw), run(c, c.recipe, y, p, grad=True)[1]), (
                f"{entry_id(c)}: the gradients are now equal as they stand: set row_gradient=False")
        np.testing.assert_allclose(their_grad, ours_grad, rtol=max(c.rtol, 1e-9), atol=1e-10)


@pytest.mark.parametrize("c", [c for c in LOSS_ENTRIES if c.default_is is not None], ids=entry_id)
def test_the_default_call_returns_what_the_entry_says(c: ol.Counterpart, rng: np.random.Generator) -> None:
    need(c.library)
    loss = losses.REGISTRY[c.name]
    kw = lossbook_params(c)
    y, p = inputs_for(c, *loss.sample(rng, 64, 4, **kw))
    theirs, _ = run(c, c.call, y, p)
    expected = eval(c.default_is, {"__builtins__": {}}, {"ell": loss(y, p, **kw), **c.params})
    np.testing.assert_allclose(theirs, expected, rtol=c.rtol, atol=1e-12)


def extreme_cases(c: ol.Counterpart, rng: np.random.Generator) -> list[tuple[str, np.ndarray, np.ndarray]]:
    loss = losses.REGISTRY[c.name]
    return [(what, *inputs_for(c, y, p)) for what, y, p in loss.inputs.extremes(rng, 600, 4)]


def disagreements(c: ol.Counterpart, rng: np.random.Generator) -> list[str]:
    loss = losses.REGISTRY[c.name]
    kw = lossbook_params(c)
    found = []
    for what, y, p in extreme_cases(c, rng):
        with np.errstate(all="ignore"):
            theirs, _ = run(c, c.recipe, y, p)
        ours = loss(y, p, **kw) if c.gives == "per-sample" else np.array(loss.cost(y, p, **kw))
        close = np.isclose(theirs, ours, rtol=max(c.rtol, 1e-9), atol=1e-12) | (theirs == ours)
        if not np.all(close):
            found.append(what)
    return found


@pytest.mark.parametrize("c", [c for c in LOSS_ENTRIES if c.recipe is not None], ids=entry_id)
def test_extreme_inputs_agree_or_the_difference_is_documented(c: ol.Counterpart, rng: np.random.Generator) -> None:
    need(c.library)
    found = disagreements(c, rng)
    if c.extremes:
        assert found, f"{entry_id(c)} now agrees with lossbook on extreme inputs: remove its `extremes` note"
    else:
        assert not found, (
            f"{entry_id(c)} disagrees with lossbook on extreme inputs ({found}): find out how, and say so "
            "in its `extremes` note (the appendix prints it)"
        )


@pytest.mark.parametrize("c", PENALTY_ENTRIES, ids=entry_id)
def test_penalty_recipes_give_lossbook_value_or_gradient(c: ol.Counterpart, rng: np.random.Generator) -> None:
    need(c.library)
    penalty = penalties.REGISTRY[c.name]
    kw = {name: value for name, value in c.params.items() if name in penalty.defaults}
    theta = rng.normal(0.0, 2.0, 20)
    theta[:3] = [0.0, 1e-300, -5e3]
    variables = {"theta": ol.to_library(c.library, theta), **c.params}
    theirs = ol.as_numpy(ol.evaluate(c.recipe, c.library, variables))
    if c.gives == "value":
        assert float(theirs) == pytest.approx(penalty(theta, **kw), rel=1e-12)
    else:  # weight decay adds lam * theta: the gradient of lam times lossbook's l2
        np.testing.assert_allclose(theirs, c.params["lam"] * penalty.grad(theta, **kw), rtol=1e-12)
    if c.library == "Keras" and c.gives == "value":  # and JAX differentiates it to lossbook's (sub)gradient
        import jax

        g = jax.grad(lambda t: ol.evaluate(c.recipe, c.library, {**variables, "theta": t}))(variables["theta"])
        np.testing.assert_allclose(ol.as_numpy(g)[3:], penalty.grad(theta, **kw)[3:], rtol=1e-12)


def test_keras_regularizers_default_strength_is_0_01() -> None:
    need("Keras")
    ol.to_library("Keras", np.zeros(1))
    import keras

    theta = ol.to_library("Keras", np.array([1.0, -2.0]))
    assert float(keras.regularizers.L1()(theta)) == pytest.approx(0.01 * 3.0)
    assert float(keras.regularizers.L2()(theta)) == pytest.approx(0.01 * 5.0)
    assert float(keras.regularizers.L1L2()(theta)) == 0.0


def test_pytorch_multi_margin_is_weston_watkins_divided_by_k(rng: np.random.Generator) -> None:
    need("PyTorch")
    import torch.nn.functional as F

    y, s = losses.multiclass_hinge.sample(rng, 50, 4)
    k = s.shape[1]
    margins = np.maximum(0.0, 1.0 - s[np.arange(50), y][:, None] + s)
    margins[np.arange(50), y] = 0.0
    weston_watkins = margins.sum(axis=1)
    theirs = F.multi_margin_loss(ol.to_library("PyTorch", s), ol.to_library("PyTorch", y), reduction="none")
    np.testing.assert_allclose(ol.as_numpy(theirs), weston_watkins / k, rtol=1e-12)
    assert not np.allclose(weston_watkins, losses.multiclass_hinge(y, s))  # another loss


def test_keras_categorical_hinge_floors_the_best_wrong_score_at_0() -> None:
    need("Keras")
    c = counterpart("multiclass_hinge", "Keras")
    y, s = np.array([0, 0]), np.array([[0.5, -2.0, -3.0], [0.5, 2.0, -3.0]])
    theirs, _ = run(c, c.call.replace("(y, p)", "(jnp.eye(3)[y], p)"), y, s)
    # max(0, 1 + max(0, best wrong score) - true score): row 0 floors -2 at 0
    np.testing.assert_allclose(theirs, [0.5, 2.5], rtol=1e-12)
    np.testing.assert_allclose(losses.multiclass_hinge(y, s), [0.0, 2.5])


def test_keras_poisson_is_the_nll_with_1e_7_in_the_log(rng: np.random.Generator) -> None:
    need("Keras")
    c = counterpart("poisson_deviance", "Keras")
    y, p = losses.poisson_deviance.sample(rng, 64)
    theirs, _ = run(c, "keras.losses.poisson(y[:, None], p[:, None])", y, p)
    np.testing.assert_allclose(theirs, p - y * np.log(p + 1e-7), rtol=KERAS_RTOL, atol=1e-6)


def test_pytorch_poisson_nll_takes_log_p_by_default(rng: np.random.Generator) -> None:
    need("PyTorch")
    c = counterpart("poisson_deviance", "PyTorch")
    y, p = losses.poisson_deviance.sample(rng, 64)
    theirs, _ = run(c, "F.poisson_nll_loss(p, y, reduction='none')", y, p)
    np.testing.assert_allclose(theirs, np.exp(p) - y * p, rtol=1e-12)


@pytest.mark.parametrize("c", [c for c in ENTRIES if c.labels], ids=entry_id)
def test_margin_label_sets(c: ol.Counterpart, rng: np.random.Generator) -> None:
    need(c.library)
    signed, s = losses.REGISTRY[c.name].sample(rng, 64)
    with_signed, _ = run(c, c.call, signed, s)
    with_01, _ = run(c, c.call, (signed + 1.0) / 2.0, s)
    if c.labels == "{0, 1} or {-1, +1}":
        np.testing.assert_allclose(with_01, with_signed, rtol=1e-12)
    else:
        assert c.labels == "{-1, +1}"
        assert not np.allclose(with_01, with_signed)  # 0 is taken as a label of 0, silently


def counterpart(name: str, library: str) -> ol.Counterpart:
    (c,) = ol.counterparts_of(name, library)
    return c


KERAS_RTOL = ol.KERAS_MEAN_RTOL


def test_counterparts_of_filters_by_name_and_library() -> None:
    assert {c.library for c in ol.counterparts_of("huber")} == {"SciPy", "PyTorch", "Keras", "Optax"}
    assert len(ol.counterparts_of("huber", "PyTorch")) == 2
    assert ol.counterparts_of("huber", "scikit-learn") == []


@pytest.mark.parametrize("c", [c for c in LOSS_ENTRIES if c.hard_labels], ids=entry_id)
def test_hard_label_entries_differ_on_soft_labels(c: ol.Counterpart, rng: np.random.Generator) -> None:
    """The flag is not a licence: with soft targets the library's loss really is another one."""
    need(c.library)
    loss = losses.REGISTRY[c.name]
    kw = lossbook_params(c)
    y, p = loss.inputs.sample(rng, 64, 2, soft=True)
    theirs, _ = run(c, c.recipe, y, p)
    assert not np.allclose(theirs, loss(y, p, **kw), rtol=1e-3)
