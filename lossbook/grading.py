r"""Grading helpers: compare a student's loss, gradient or cost with lossbook's reference.

Each check draws seeded valid inputs from the reference loss's own kind of input, away from its
kinks (:meth:`lossbook.losses.Loss.sample`), adds the kind's extreme inputs (exact 0 and 1
probabilities, logits of :math:`\pm 800`, ...; :meth:`lossbook.losses.inputs.InputKind.extremes`),
calls the student's function on copies and compares. A failure raises ``AssertionError`` with one
short diagnosis a student can act on, for example::

    squared_error: off by a factor of 2 (is a 1/2 missing or extra?)
    binary_cross_entropy_with_logits: NaN or inf at extreme inputs (y_true=0.0, y_pred=800.0); use a numerically stable form
    squared_error.cost: the sum, not the mean (off by a factor of n = 64)

>>> import numpy as np
>>> from lossbook import grading, losses
>>> grading.check_loss(lambda y, p: (np.asarray(p) - np.asarray(y)) ** 2, losses.squared_error)
>>> grading.check_loss(lambda y, p: 0.5 * (np.asarray(p) - np.asarray(y)) ** 2, losses.squared_error)
Traceback (most recent call last):
    ...
AssertionError: squared_error: off by a factor of 0.5 (is a 1/2 missing or extra?)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from . import _validation as v
from .losses import REGISTRY, Loss
from .penalties import REGISTRY as PENALTIES
from .penalties import Penalty

__all__ = ["check_cost", "check_fit", "check_gradient", "check_loss", "check_prox"]

#: Relative and absolute tolerances of a match with the reference (float32 arithmetic passes).
RTOL, ATOL = 1e-5, 1e-9


def _resolve(loss: str | Loss) -> Loss:
    resolved: Loss = v.from_registry(loss, REGISTRY, Loss, "loss")
    return resolved


def _cases(loss: Loss, n: int, seed: int, params: Mapping[str, Any], derivative: bool) -> tuple[list, list]:
    """Valid inputs away from kinks, and the kind's extreme inputs, from a seeded generator.

    Only the first of the kind's extreme cases is used (for margin losses: labels in {-1, +1},
    the form students write). For derivatives, extreme samples on a kink (where any subgradient
    is right) or with a probability of exactly 0 or 1 (where the clipped loss is flat but its
    slope is a convention) are left out.
    """
    rng = np.random.default_rng(seed)
    ordinary = [loss.sample(rng, n, **params)]
    _, y, p = loss.inputs.extremes(rng, max(n, 200))[0]
    if derivative:
        keep = np.ones(y.shape[0], dtype=bool)
        distance = loss.kink_distance(y, p, **params)
        if distance is not None:
            keep &= distance > 1e-9
        if loss.inputs.probabilities and loss.inputs.link != "identity":  # y_pred is a probability
            edge = (p == 0.0) | (p == 1.0)
            keep &= ~(edge.any(axis=1) if edge.ndim == 2 else edge)
        y, p = y[keep], p[keep]
    return ordinary, [(y, p)]


def _describe_factor(ratio: float, n: int) -> str | None:
    """A name for a constant ratio between the student's numbers and the reference's, if it has one."""
    for value, text in (
        (-1.0, "the sign is flipped"),
        (float(n), f"the sum, not the mean (off by a factor of n = {n})"),
        (1.0 / n, f"the mean where the sum is expected (off by a factor of 1/n, n = {n})"),
        (2.0, "off by a factor of 2 (is a 1/2 missing or extra?)"),
        (0.5, "off by a factor of 0.5 (is a 1/2 missing or extra?)"),
    ):
        if np.isclose(ratio, value, rtol=1e-6):
            return text
    return f"off by a constant factor of {ratio:.6g}"


def _constant_ratio(got: np.ndarray, expected: np.ndarray) -> float | None:
    """The ratio got / expected if it is the same for every nonzero reference value, else None."""
    nonzero = np.abs(expected) > 1e-12
    if not nonzero.any():
        return None
    ratios = got[nonzero] / expected[nonzero]
    if np.allclose(ratios, ratios[0], rtol=1e-6, atol=0.0) and not np.isclose(ratios[0], 1.0, rtol=RTOL):
        return float(ratios[0])
    return None


def _as_array(result: Any, what: str) -> np.ndarray:
    if result is None:
        raise AssertionError(f"{what}: returned None (a missing return?)")
    if isinstance(result, (str, bytes)):
        raise AssertionError(f"{what}: returned {type(result).__name__}, not numbers")
    try:
        return np.asarray(result, dtype=np.float64)
    except (TypeError, ValueError):
        raise AssertionError(f"{what}: returned {type(result).__name__}, not numbers") from None


def _compare(got: np.ndarray, expected: np.ndarray, what: str, y: np.ndarray, p: np.ndarray, n: int) -> None:
    """Raise AssertionError with a diagnosis unless ``got`` matches ``expected`` (same shape)."""
    if got.shape != expected.shape:
        if expected.ndim == 0 and got.size == 1:
            raise AssertionError(f"{what}: an array of shape {got.shape}, expected a number (return float(...))")
        if got.size == expected.size and got.squeeze().shape == expected.shape:
            raise AssertionError(f"{what}: shape {got.shape} instead of {expected.shape} (return a 1-D array)")
        if got.ndim == 0 and expected.ndim >= 1:
            raise AssertionError(f"{what}: one number, expected one value per sample, shape {expected.shape}")
        if expected.ndim == 0:
            raise AssertionError(f"{what}: {got.size} values, expected one number (the mean of the per-sample losses)")
        if got.ndim == 2 and got.shape[::-1] == expected.shape:
            raise AssertionError(f"{what}: shape {got.shape} instead of {expected.shape} (transposed?)")
        if p.ndim == 2 and got.shape == (p.shape[1],):
            raise AssertionError(f"{what}: shape {got.shape} instead of {expected.shape} (a reduction over the wrong axis?)")
        raise AssertionError(f"{what}: shape {got.shape} instead of {expected.shape}")
    bad = ~np.isfinite(got) & np.isfinite(expected)
    if bad.any():
        where = "" if got.ndim == 0 else f" ({_at(y, p, np.unravel_index(int(np.argmax(bad)), bad.shape))})"
        raise AssertionError(f"{what}: NaN or inf where the reference is finite{where}")
    if np.allclose(got, expected, rtol=RTOL, atol=ATOL):
        return
    ratio = _constant_ratio(got, expected)
    if ratio is not None:
        raise AssertionError(f"{what}: {_describe_factor(ratio, n)}")
    if got.ndim == 0:
        raise AssertionError(f"{what}: expected {float(expected):.6g}, got {float(got):.6g}")
    wrong = ~np.isclose(got, expected, rtol=RTOL, atol=ATOL)
    i = np.unravel_index(int(np.argmax(wrong)), wrong.shape)
    hint = ""
    if p.ndim == 1 and p[i[0]] in (0.0, 1.0):
        hint = "; at a probability of exactly 0 or 1 the reference clips p to [eps, 1 - eps], eps = 2.2e-16"
    raise AssertionError(
        f"{what}: {int(wrong.sum())} of {wrong.size} values differ; first at {_at(y, p, i)}: "
        f"expected {float(expected[i]):.8g}, got {float(got[i]):.8g}{hint}"
    )


def _at(y: np.ndarray, p: np.ndarray, index: tuple[Any, ...]) -> str:
    row = index[0]
    yv = y[row] if y.ndim == 1 else np.round(y[row], 4).tolist()
    pv = p[row] if p.ndim == 1 else np.round(p[row], 4).tolist()
    if np.ndim(yv) or np.ndim(pv):
        return f"y_true={yv!r}, y_pred={pv!r}"
    return f"y_true={float(yv):.8g}, y_pred={float(pv):.8g}"  # short, and the same on every machine


def _call(student: Callable[..., Any], y: np.ndarray, p: np.ndarray, what: str, **kwargs: Any) -> Any:
    """Call the student's function on copies; fail if it raises or changes its inputs."""
    y_in, p_in = y.copy(), p.copy()
    try:
        result = student(y_in, p_in, **kwargs)
    except Exception as err:  # the student's error, reported with the inputs that caused it
        raise AssertionError(f"{what}: raised {type(err).__name__}: {err} ({_at(y, p, (0,))})") from None
    if not (np.array_equal(y_in, y) and np.array_equal(p_in, p)):
        raise AssertionError(f"{what}: modifies its inputs in place (work on a copy)")
    return result


def _check(student: Callable[..., Any], reference: Callable[..., Any], loss: Loss, what: str, n: int, seed: int,
           params: Mapping[str, Any], scalar: bool, derivative: bool = False) -> None:
    v.positive_integer(n, "n")
    ordinary, extreme = _cases(loss, n, seed, params, derivative)
    for y, p in ordinary:
        got = _as_array(_call(student, y, p, what), what)
        try:
            _compare(got, np.asarray(reference(y, p, **params), dtype=np.float64), what, y, p, y.shape[0])
        except AssertionError:
            _name_an_ignored_parameter(got, reference, loss, what, y, p, params)
            raise
    for y, p in extreme:
        got = _as_array(_call(student, y, p, what), what)
        expected = np.asarray(reference(y, p, **params), dtype=np.float64)
        if got.shape == expected.shape and not scalar:
            bad = ~np.isfinite(got) & np.isfinite(expected)
            if bad.any():
                i = np.unravel_index(int(np.argmax(bad)), bad.shape)
                raise AssertionError(f"{what}: NaN or inf at extreme inputs ({_at(y, p, i)}); use a numerically stable form")
        elif scalar and not np.isfinite(got).all() and np.isfinite(expected).all():
            raise AssertionError(f"{what}: NaN or inf at extreme inputs; use a numerically stable form")
        _compare(got, expected, f"{what} at extreme inputs", y, p, y.shape[0])


def _name_an_ignored_parameter(got: np.ndarray, reference: Callable[..., Any], loss: Loss, what: str,
                               y: np.ndarray, p: np.ndarray, params: Mapping[str, Any]) -> None:
    """Raise a diagnosis if ``got`` is the reference at a parameter's default instead of its given value."""
    for name, value in params.items():
        default = loss.defaults[name]
        if value == default:
            continue
        expected = np.asarray(reference(y, p, **{**params, name: default}), dtype=np.float64)
        if got.shape == expected.shape and np.allclose(got, expected, rtol=RTOL, atol=ATOL):
            raise AssertionError(f"{what}: ignores {name}: right for the default {name}={default!r}, "
                                 f"not for {name}={value!r}")


def check_loss(student: Callable[..., Any], loss: str | Loss, *, n: int = 64, seed: int = 0, **params: Any) -> None:
    """Check a student's per-sample loss ``student(y_true, y_pred) -> (n,)`` against ``loss``.

    ``params`` are the loss's parameters (``delta=2.0``), passed to the reference only: the
    student's function is called with ``(y_true, y_pred)``; wrap it to fix its parameters.

    Raises
    ------
    AssertionError
        With a one-line diagnosis: wrong shape, NaN or inf, inputs modified, sign flipped, a
        constant factor (2, 1/2, n), or the first differing value with its inputs.
    """
    reference = _resolve(loss)
    kw = dict(reference.check_params(**params))
    _check(student, reference, reference, reference.name, n, seed, kw, scalar=False)


def check_gradient(student: Callable[..., Any], loss: str | Loss, *, n: int = 64, seed: int = 0, **params: Any) -> None:
    """Check a student's gradient ``student(y_true, y_pred)`` (shape of ``y_pred``) against ``loss.grad``."""
    reference = _resolve(loss)
    kw = dict(reference.check_params(**params))
    _check(student, reference.grad, reference, f"{reference.name}.grad", n, seed, kw, scalar=False, derivative=True)


def check_cost(student: Callable[..., Any], loss: str | Loss, *, n: int = 64, seed: int = 0, **params: Any) -> None:
    """Check a student's cost ``student(y_true, y_pred) -> float`` against ``loss.cost`` (the mean).

    A sum where the mean is expected is diagnosed as such (a factor of n), as are a missing or
    extra 1/2 and a flipped sign.
    """
    reference = _resolve(loss)
    kw = dict(reference.check_params(**params))
    _check(student, reference.cost, reference, f"{reference.name}.cost", n, seed, kw, scalar=True)


def _resolve_penalty(penalty: str | Penalty) -> Penalty:
    resolved: Penalty = v.from_registry(penalty, PENALTIES, Penalty, "penalty")
    return resolved


def check_fit(
    coef: Any,
    intercept: Any,
    X: Any,
    y: Any,
    loss: str | Loss = "squared_error",
    *,
    penalty: str | Penalty | None = None,
    strength: float = 0.0,
    fit_intercept: bool = True,
    tol: float = 1e-6,
    **params: Any,
) -> None:
    r"""Check fitted linear-model parameters: do they minimise the reference objective?

    The objective is that of :class:`lossbook.models.LinearModel` with ``loss`` (and the link of
    its input kind: the sigmoid for ``binary_cross_entropy``, none for logits), plus a penalty on
    the coefficients only,

    .. math::
        J(w, b) = \frac1n \sum_{i=1}^n \ell\bigl(y_i, x_i^\top w + b\bigr) + \lambda P(w).

    Instead of comparing with one solver's answer (which depends on where that solver stopped),
    the check measures how far ``(coef, intercept)`` is from optimal: the largest entry of the
    gradient mapping :math:`G(\theta) = \theta - \operatorname{prox}_{\lambda P}(\theta - \nabla f(\theta))`,
    which is :math:`\nabla J` for a smooth penalty and 0 exactly at a minimiser also for the
    L1 penalty. It must be at most ``tol``.

    Parameters
    ----------
    coef, intercept
        The student's fitted coefficients, shape ``(d,)``, and intercept (a number; ignored with
        ``fit_intercept=False``).
    X, y
        The training data the parameters were fitted on, ``X`` of shape ``(n, d)``.
    loss
        A loss of the registry; its parameters go in ``params``.
    penalty, strength
        A penalty of :mod:`lossbook.penalties` (``"l1"``, ``"l2"``, ``"elastic_net"``) and
        :math:`\lambda \ge 0`.
    fit_intercept
        Whether the model has an intercept (never penalised).
    tol
        The largest entry of the gradient mapping that counts as converged.

    Raises
    ------
    AssertionError
        With a one-line diagnosis: wrong shape, NaN or inf (a diverged fit), the signs flipped,
        the intercept missing or penalised, the penalty missing or off by a factor (2, 1/2, n),
        no exact zeros where the L1 penalty makes some (a subgradient step), or not yet converged.
    """
    from .models import LinearModel  # models imports the losses; imported here to keep this module light

    model = LinearModel(loss, fit_intercept=fit_intercept, loss_params=params)
    Xa, ya = model.prepare(X, y)
    n, d = Xa.shape
    lam = v.non_negative(strength, "strength")
    tol = v.positive(tol, "tol")
    pen = None if penalty is None else _resolve_penalty(penalty)
    if pen is None and lam > 0:
        raise ValueError(f"strength={lam!r} needs a penalty (penalty='l2', 'l1' or 'elastic_net')")
    w = _as_array(coef, "coef")
    if w.shape != (d,):
        hint = " (return a 1-D array)" if w.size == d else f" for {d} feature(s)"
        raise AssertionError(f"coef: shape {w.shape} instead of ({d},){hint}")
    b = _as_array(0.0 if intercept is None and not fit_intercept else intercept, "intercept")
    if b.size != 1:
        raise AssertionError(f"intercept: shape {b.shape}, expected one number")
    b0 = float(b.reshape(()))
    if not (np.isfinite(w).all() and np.isfinite(b0)):
        raise AssertionError("coef: NaN or inf (did the fit diverge? try a smaller learning rate)")

    def gap(w: np.ndarray, b: float, lam: float = lam, penalise_intercept: bool = False) -> float:
        theta = np.append(w, b) if fit_intercept else w.copy()
        _, grad = model.cost_and_gradient(theta, Xa, ya)
        step = theta - grad
        if pen is not None and lam > 0:
            where = slice(None) if penalise_intercept else slice(0, d)
            step[where] = pen.prox(step[where], lam)
        with np.errstate(invalid="ignore", over="ignore"):
            mapping = np.abs(theta - step)
        return float(mapping.max()) if np.isfinite(mapping).all() else np.inf

    measured = gap(w, b0)
    if measured <= tol:
        return
    if gap(-w, -b0) <= tol:
        raise AssertionError("the signs are flipped: -coef and -intercept minimise the objective "
                             "(labels coded the other way round, or a step uphill?)")
    if fit_intercept and b0 == 0.0 and _no_intercept_optimal(model, Xa, ya, w, pen, lam, tol):
        raise AssertionError("the intercept is missing: it is 0, and coef minimise the objective of a model "
                             "without one (fit the intercept too)")
    if pen is not None and lam > 0:
        for factor, text in (
            (0.0, "the penalty is missing: these parameters minimise the mean loss alone"),
            (1.0 / n, f"the penalty is n = {n} times too weak (the sum of the losses where the mean is expected?)"),
            (float(n), f"the penalty is n = {n} times too strong (the mean of the losses where the sum is expected?)"),
            (2.0, "the penalty is twice as strong as it should be (is a 1/2 missing or extra?)"),
            (0.5, "the penalty is half as strong as it should be (is a 1/2 missing or extra?)"),
        ):
            if gap(w, b0, lam=factor * lam) <= tol:
                raise AssertionError(text)
        if fit_intercept and gap(w, b0, penalise_intercept=True) <= tol:
            raise AssertionError("the intercept is penalised too (the penalty applies to coef only)")
        if pen.name == "l1" and not (w == 0.0).any():
            theta = np.append(w, b0) if fit_intercept else w.copy()
            slope = np.abs(model.cost_and_gradient(theta, Xa, ya)[1][:d])
            should_be_zero = int((slope < 0.99 * lam).sum())  # |df/dw_j| < lambda: 0 is optimal for w_j
            if should_be_zero:
                raise AssertionError(
                    f"no coefficient is exactly 0, though the cost's slope is below lambda at {should_be_zero} of them "
                    "(at the minimum such coefficients are 0): a proximal step (soft-thresholding) makes them 0, "
                    "a (sub)gradient step does not"
                )
    raise AssertionError(
        f"not at the minimum: the objective's gradient has an entry of {measured:.2g}, more than tol = {tol:g} "
        "(take more steps, or a larger learning rate)"
    )


def _no_intercept_optimal(model: Any, Xa: np.ndarray, ya: np.ndarray, w: np.ndarray, pen: Penalty | None,
                          lam: float, tol: float) -> bool:
    """Whether ``w`` is optimal for the model without an intercept (its gradient in ``w`` alone vanishes)."""
    from .models import LinearModel

    bare = LinearModel(model.loss, link=model.link, fit_intercept=False, loss_params=model.loss_params)
    _, grad = bare.cost_and_gradient(w.copy(), Xa, ya)
    step = w - grad
    if pen is not None and lam > 0:
        step = pen.prox(step, lam)
    return bool(np.abs(w - step).max() <= tol)


def check_prox(student: Callable[..., Any], penalty: str | Penalty, *, n: int = 64, seed: int = 0,
               **params: Any) -> None:
    r"""Check a student's proximal operator ``student(theta, step)`` against ``penalty.prox``.

    :math:`\operatorname{prox}_{sP}(\theta) = \arg\min_u \tfrac12\lVert u - \theta\rVert^2 + sP(u)`;
    for the L1 penalty, soft-thresholding. Checked on seeded :math:`\theta \sim N(0, 2^2)` and on
    the thresholds themselves (:math:`\theta_j = \pm s`, 0), at steps 0.5 and 1.5; ``params`` are the
    penalty's (``l1_ratio``), passed to the reference only.

    Raises
    ------
    AssertionError
        With a one-line diagnosis: wrong shape, NaN or inf, inputs modified, sign flipped, a
        constant factor, values that should become exactly 0 but do not, values moved away from
        0, or the first differing value.
    """
    pen = _resolve_penalty(penalty)
    v.positive_integer(n, "n")
    what = f"{pen.name}.prox"
    rng = np.random.default_rng(seed)
    for step in (0.5, 1.5):
        theta = np.concatenate([rng.normal(0.0, 2.0, n), [step, -step, 0.0]])
        expected = pen.prox(theta, step, **params)
        theta_in = theta.copy()
        try:
            result = student(theta_in, step)
        except Exception as err:
            raise AssertionError(f"{what}: raised {type(err).__name__}: {err} (step={step})") from None
        if not np.array_equal(theta_in, theta):
            raise AssertionError(f"{what}: modifies its input in place (work on a copy)")
        got = _as_array(result, what)
        if got.shape != expected.shape:
            hint = " (return a 1-D array)" if got.size == expected.size else ""
            raise AssertionError(f"{what}: shape {got.shape} instead of {expected.shape}{hint}")
        if not np.isfinite(got).all():
            raise AssertionError(f"{what}: NaN or inf (step={step})")
        if np.allclose(got, expected, rtol=RTOL, atol=ATOL):
            continue
        ratio = _constant_ratio(got, expected)
        if ratio is not None:
            raise AssertionError(f"{what}: {_describe_factor(ratio, theta.size)}")
        wrong = ~np.isclose(got, expected, rtol=RTOL, atol=ATOL)
        i = int(np.argmax(wrong))
        at = f"theta={theta[i]:.6g}, step={step}: expected {expected[i]:.8g}, got {got[i]:.8g}"
        if (expected[wrong] == 0.0).all() and wrong.sum() > 1:
            raise AssertionError(f"{what}: values within the threshold of 0 must become exactly 0 ({int(wrong.sum())} "
                                 f"do not; first at {at})")
        if (np.abs(got[wrong]) > np.abs(theta[wrong])).all():
            raise AssertionError(f"{what}: moves values away from 0 (is the sign of the shrinkage flipped?); first at {at}")
        raise AssertionError(f"{what}: {int(wrong.sum())} of {wrong.size} values differ; first at {at}")
