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

__all__ = ["check_cost", "check_gradient", "check_loss"]

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
        if got.size == expected.size and got.squeeze().shape == expected.shape:
            raise AssertionError(f"{what}: shape {got.shape} instead of {expected.shape} (return a 1-D array)")
        if got.ndim == 0 and expected.ndim >= 1:
            raise AssertionError(f"{what}: one number, expected one value per sample, shape {expected.shape}")
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
    return f"y_true={yv!r}, y_pred={pv!r}" if np.ndim(yv) or np.ndim(pv) else f"y_true={float(yv)!r}, y_pred={float(pv)!r}"


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
        _compare(got, np.asarray(reference(y, p, **params), dtype=np.float64), what, y, p, y.shape[0])
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
