"""lossbook.grading: every registry loss passes its own check, and typical mistakes get their diagnosis."""

from __future__ import annotations

import numpy as np
import pytest

from lossbook import grading, losses, models, penalties
from tests.helpers import ALL_LOSSES, loss_params


@loss_params
def test_the_reference_itself_passes(loss: losses.Loss) -> None:
    grading.check_loss(loss, loss)
    grading.check_gradient(loss.grad, loss)
    grading.check_cost(loss.cost, loss)


def _squared(y, p):
    return (np.asarray(p) - np.asarray(y)) ** 2


MISTAKES = [
    ("a missing 1/2 ... or an extra one", grading.check_loss, lambda y, p: 0.5 * _squared(y, p), "squared_error",
     r"off by a factor of 0\.5 \(is a 1/2 missing or extra\?\)"),
    ("the gradient of r^2 / 2", grading.check_gradient, lambda y, p: np.asarray(p) - np.asarray(y), "squared_error",
     r"factor of 0\.5"),
    ("y - p instead of p - y", grading.check_gradient, lambda y, p: 2 * (np.asarray(y) - np.asarray(p)), "squared_error",
     "the sign is flipped"),
    ("the sum instead of the mean", grading.check_cost, lambda y, p: float(np.sum(_squared(y, p))), "squared_error",
     r"the sum, not the mean \(off by a factor of n = 64\)"),
    ("a column instead of a vector", grading.check_loss, lambda y, p: _squared(y, p).reshape(-1, 1), "squared_error",
     r"shape \(64, 1\) instead of \(64,\)"),
    ("a cost where the per-sample losses are expected", grading.check_loss, lambda y, p: float(np.mean(_squared(y, p))),
     "squared_error", "one number, expected one value per sample"),
    ("the rows summed over the wrong axis", grading.check_loss,
     lambda y, p: -np.sum(np.asarray(y) * np.log(np.asarray(p)), axis=0), "categorical_cross_entropy",
     "wrong axis"),
    ("the naive log loss on logits", grading.check_loss,
     lambda y, z: -(y * np.log(1 / (1 + np.exp(-z))) + (1 - y) * np.log(1 - 1 / (1 + np.exp(-z)))),
     "binary_cross_entropy_with_logits", "NaN or inf at extreme inputs"),
    ("an in-place update of y_pred", grading.check_loss, lambda y, p: np.subtract(p, y, out=p) ** 2, "squared_error",
     "modifies its inputs in place"),
    ("Huber with the wrong branch", grading.check_loss,
     lambda y, p: np.where(np.abs(np.asarray(p) - y) <= 1.0, np.abs(np.asarray(p) - y), 0.5 * (np.asarray(p) - y) ** 2),
     "huber", r"values differ; first at y_true="),
    ("a function that raises", grading.check_loss, lambda y, p: np.asarray(p)[1000], "squared_error", "raised IndexError"),
]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the naive forms overflow, as students' do
@pytest.mark.parametrize("check, student, loss, message", [m[1:] for m in MISTAKES], ids=[m[0] for m in MISTAKES])
def test_typical_mistakes_get_a_diagnosis(check, student, loss, message) -> None:
    with pytest.raises(AssertionError, match=message):
        check(student, loss)


def test_parameters_reach_the_reference() -> None:
    huber = losses.huber
    grading.check_loss(lambda y, p: huber(y, p, delta=2.0), huber, delta=2.0)
    with pytest.raises(AssertionError, match="huber"):
        grading.check_loss(lambda y, p: huber(y, p, delta=2.0), huber)  # the default delta is 1
    with pytest.raises(ValueError, match="delta"):
        grading.check_loss(huber, huber, delta=-1.0)
    with pytest.raises(ValueError, match="unknown loss"):
        grading.check_loss(huber, "l2")


def test_the_checks_are_deterministic() -> None:
    messages = set()
    for _ in range(2):
        with pytest.raises(AssertionError) as err:
            grading.check_loss(lambda y, p: _squared(y, p) + 1e-3, losses.squared_error, seed=3)
        messages.add(str(err.value))
    assert len(messages) == 1


def test_every_loss_can_be_checked(rng) -> None:
    assert all(loss.name in grading.REGISTRY for loss in ALL_LOSSES)


def test_a_cost_and_gradient_wrong_by_the_same_factor_pass_check_grad_but_not_the_grading() -> None:
    """Issue 18: the sum and its gradient agree with each other, so check_grad passes; only a
    comparison with the reference (the mean) finds the mistake."""
    from lossbook.gradcheck import check_grad

    y = np.linspace(-1.0, 1.0, 64)
    total = lambda p: float(np.sum((p - y) ** 2))  # noqa: E731
    total_grad = lambda p: 2.0 * (p - y)  # noqa: E731
    assert check_grad(total, total_grad, np.zeros(64))
    with pytest.raises(AssertionError, match="the sum, not the mean"):
        grading.check_cost(lambda y_true, p: float(np.sum((p - y_true) ** 2)), losses.squared_error)


@pytest.mark.parametrize("student, loss", [
    (lambda y, p: np.where(np.asarray(p) - y >= 0, 1.0, -1.0), "absolute_error"),  # another subgradient at 0
    (lambda y, s: np.where(np.asarray(y) * s <= 1, -np.asarray(y), 0.0), "hinge"),  # ... at the margin 1
    (lambda y, p: np.where(np.asarray(y) - p > 0, -0.5, 0.5), "pinball"),
], ids=["absolute_error", "hinge", "pinball"])
def test_any_subgradient_at_a_kink_is_accepted(student, loss) -> None:
    """Review of issue 12: the extreme inputs hit the kinks exactly, where every subgradient is right."""
    grading.check_gradient(student, loss)


def test_a_textbook_hinge_on_signed_labels_passes() -> None:
    grading.check_loss(lambda y, s: np.maximum(0.0, 1.0 - np.asarray(y) * s), "hinge")


def test_more_mistakes_named() -> None:
    with pytest.raises(AssertionError, match=r"returned None \(a missing return\?\)"):
        grading.check_loss(lambda y, p: None, "squared_error")
    with pytest.raises(AssertionError, match="returned str"):
        grading.check_cost(lambda y, p: "1.0", "squared_error")
    with pytest.raises(AssertionError, match="transposed"):
        grading.check_gradient(lambda y, z: losses.softmax_cross_entropy.grad(y, z).T, "softmax_cross_entropy")
    clipped = lambda y, p: -(y * np.log(np.clip(p, 1e-15, 1)) + (1 - y) * np.log(np.clip(1 - p, 1e-15, 1)))  # noqa: E731
    with pytest.raises(AssertionError, match="clips p to"):
        grading.check_loss(clipped, "binary_cross_entropy")


def test_float32_arithmetic_passes() -> None:
    grading.check_loss(lambda y, z: losses.softmax_cross_entropy(y, np.asarray(z, np.float32)).astype(np.float32),
                       "softmax_cross_entropy")


# -- fitted models: check_fit ---------------------------------------------------------------------
def _logistic_data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    y = (X @ np.array([1.5, -2.0, 0.5]) + 0.7 + rng.logistic(size=200) > 0).astype(float)
    return X, y


def _descend(X, y, strength, *, steps=3000, learning_rate=0.5, labels=None, intercept=True, penalise_b=False,
             penalty_factor=1.0):
    """Gradient descent on the mean logistic loss + strength/2 |w|^2, with the mistakes as options."""
    y = y if labels is None else labels
    n, d = X.shape
    w, b = np.zeros(d), 0.0
    for _ in range(steps):
        g = losses.binary_cross_entropy_with_logits.grad(y, X @ w + b) / n
        w = w - learning_rate * (X.T @ g + penalty_factor * strength * w)
        if intercept:
            b = b - learning_rate * (g.sum() + (strength * b if penalise_b else 0.0))
    return w, b


LOGISTIC = "binary_cross_entropy_with_logits"


def test_check_fit_passes_the_minimiser_and_names_fitting_mistakes() -> None:
    X, y = _logistic_data()
    lam = 0.05
    grading.check_fit(*_descend(X, y, lam), X, y, LOGISTIC, penalty="l2", strength=lam)
    cases = [
        (_descend(X, y, lam, steps=20), "not at the minimum"),
        (_descend(X, y, lam, labels=1 - y), "the signs are flipped"),
        (_descend(X, y, lam, intercept=False), "the intercept is missing"),
        (_descend(X, y, lam, penalise_b=True), "the intercept is penalised too"),
        (_descend(X, y, lam, penalty_factor=2.0), "the penalty is twice as strong"),
        (_descend(X, y, lam, penalty_factor=0.5), "the penalty is half as strong"),
        (_descend(X, y, lam, penalty_factor=0.0), "the penalty is missing"),
        (_descend(X, y, lam, penalty_factor=1 / 200), "the penalty is n = 200 times too weak"),
    ]
    for (w, b), message in cases:
        with pytest.raises(AssertionError, match=message):
            grading.check_fit(w, b, X, y, LOGISTIC, penalty="l2", strength=lam)


def test_check_fit_names_shapes_and_divergence() -> None:
    X, y = _logistic_data()
    w, b = _descend(X, y, 0.0, steps=200)
    with pytest.raises(AssertionError, match=r"coef: shape \(3, 1\) instead of \(3,\) \(return a 1-D array\)"):
        grading.check_fit(w.reshape(-1, 1), b, X, y, LOGISTIC)
    with pytest.raises(AssertionError, match="for 3 feature"):
        grading.check_fit(w[:2], b, X, y, LOGISTIC)
    with pytest.raises(AssertionError, match="did the fit diverge"):
        grading.check_fit(np.array([np.nan, 1.0, 2.0]), b, X, y, LOGISTIC)
    with pytest.raises(AssertionError, match="intercept: shape"):
        grading.check_fit(w, [b, b], X, y, LOGISTIC)
    with pytest.raises(AssertionError, match="returned None"):
        grading.check_fit(None, b, X, y, LOGISTIC)


def test_check_fit_of_least_squares_and_the_lasso() -> None:
    rng = np.random.default_rng(1)
    X = rng.normal(size=(100, 4))
    y = X @ np.array([2.0, 0.0, -1.0, 0.05]) + 3.0 + 0.1 * rng.normal(size=100)
    theta = models.least_squares(X, y)  # the coefficients, then the intercept
    grading.check_fit(theta[:4], theta[4], X, y)
    lam = 0.2

    def lasso(prox=True, steps=3000, learning_rate=0.1):
        w, b = np.zeros(4), 0.0
        for _ in range(steps):
            r = X @ w + b - y
            g = 2.0 * X.T @ r / 100
            w = penalties.l1.prox(w - learning_rate * g, learning_rate * lam) if prox else \
                w - learning_rate * (g + lam * np.sign(w))
            b = b - learning_rate * 2.0 * r.mean()
        return w, b

    w, b = lasso()
    assert (w == 0.0).any()  # the lasso drops a feature here
    grading.check_fit(w, b, X, y, penalty="l1", strength=lam)
    with pytest.raises(AssertionError, match="no coefficient is exactly 0"):
        grading.check_fit(*lasso(prox=False), X, y, penalty="l1", strength=lam)


def test_check_fit_refuses_bad_arguments() -> None:
    X, y = _logistic_data()
    with pytest.raises(ValueError, match="needs a penalty"):
        grading.check_fit(np.zeros(3), 0.0, X, y, LOGISTIC, strength=0.1)
    with pytest.raises(ValueError, match="unknown penalty"):
        grading.check_fit(np.zeros(3), 0.0, X, y, LOGISTIC, penalty="l3", strength=0.1)
    with pytest.raises(ValueError, match="strength"):
        grading.check_fit(np.zeros(3), 0.0, X, y, LOGISTIC, penalty="l2", strength=-1.0)
    with pytest.raises(ValueError, match="one score per class"):  # a model with one output only
        grading.check_fit(np.zeros(3), 0.0, X, np.zeros(200), "softmax_cross_entropy")


# -- proximal operators: check_prox ---------------------------------------------------------------
def _soft(z, t):
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)


def test_check_prox_passes_every_reference_and_names_mistakes() -> None:
    for penalty in penalties.REGISTRY.values():
        grading.check_prox(penalty.prox, penalty)
    grading.check_prox(_soft, "l1")

    def in_place(z, t):
        z[np.abs(z) <= t] = 0.0
        z -= t * np.sign(z)
        return z

    for student, message in [
        (lambda z, t: np.sign(z) * (np.abs(z) - t), "values within the threshold of 0 must become exactly 0"),
        (lambda z, t: np.sign(z) * (np.abs(z) + t), "moves values away from 0"),
        (in_place, "modifies its input in place"),
        (lambda z, t: -_soft(z, t), "the sign is flipped"),
        (lambda z, t: _soft(z, t).reshape(-1, 1), r"shape \(67, 1\) instead of \(67,\) \(return a 1-D array\)"),
        (lambda z, t: _soft(z, 2 * t), "values differ; first at theta="),
        (lambda z, t: _soft(z, t) / 0.0, "NaN or inf"),
        (lambda z, t: z[1000], "raised IndexError"),
    ]:
        with pytest.raises(AssertionError, match=message), np.errstate(divide="ignore", invalid="ignore"):
            grading.check_prox(student, "l1")


def test_a_cost_returning_per_sample_values_or_an_array_is_named() -> None:
    with pytest.raises(AssertionError, match=r"64 values, expected one number \(the mean of the per-sample losses\)"):
        grading.check_cost(_squared, "squared_error")
    with pytest.raises(AssertionError, match=r"an array of shape \(1,\), expected a number"):
        grading.check_cost(lambda y, p: np.array([np.mean(_squared(y, p))]), "squared_error")


def test_an_ignored_loss_parameter_is_named() -> None:
    with pytest.raises(AssertionError, match=r"huber\.grad: ignores delta: right for the default delta=1\.0, not for delta=0\.5"):
        grading.check_gradient(lambda y, p: losses.huber.grad(y, p), "huber", delta=0.5)
