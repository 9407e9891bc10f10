r"""Check an analytic gradient against central finite differences.

For a function :math:`f` of an array :math:`x` (scalar- or array-valued; an array result is
summed, which for a per-sample loss or an elementwise activation gives back each entry's own
derivative), the numerical partial derivative is

.. math:: \frac{\partial f}{\partial x_j} \approx \frac{f(x + h_j e_j) - f(x - h_j e_j)}{2 h_j},
          \qquad h_j = \varepsilon \max(1, |x_j|),

with error :math:`O(h^2)`. The check passes when, for every entry,
:math:`|g_j - \hat g_j| \le \text{atol} + \text{rtol}\,|\hat g_j|` (the rule of ``numpy.isclose``).

:func:`numerical_hessian` differences a gradient the same way, for the curvature of a cost at a
point (a minimum, a maximum or a saddle).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validation as v

__all__ = ["GradCheckResult", "check_grad", "numerical_grad", "numerical_hessian"]


@dataclass(frozen=True)
class GradCheckResult:
    r"""The outcome of :func:`check_grad`; true in a boolean context when the check passed.

    ``max_rel_error`` is :math:`\max_j |g_j - \hat g_j| / \max(|\hat g_j|, \text{atol})`, with
    :math:`\hat g` the numeric gradient: relative where the gradient is large, and measured
    against ``atol`` where it is zero up to round-off (an analytic 0 against a numeric 1e-16 is
    agreement, not an error of 100 %). ``reason`` says, when the check failed, why, in words.
    """

    passed: bool
    max_abs_error: float
    max_rel_error: float
    worst_index: tuple[int, ...]
    analytic: NDArray[np.float64]
    numeric: NDArray[np.float64]
    reason: str = ""

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        status = "passed" if self.passed else "FAILED"
        i = self.worst_index
        where = f"index {i if len(i) > 1 else i[0]}" if i else "the only entry"
        text = (
            f"gradient check {status}: max |analytic - numeric| = {self.max_abs_error:.3g}, "
            f"max relative error = {self.max_rel_error:.3g}, worst at {where} "
            f"(analytic {self.analytic[i]:.10g}, numeric {self.numeric[i]:.10g})"
        )
        return f"{text}: {self.reason}" if self.reason else text

    __repr__ = __str__


def _difference(f: Callable[[NDArray[np.float64]], ArrayLike], work: NDArray[np.float64], j: int, h: float) -> float:
    """One central difference of ``sum(f)`` in entry ``j`` of the flat view of ``work``, with step ``h``."""
    flat = work.reshape(-1)
    xj = flat[j]
    try:
        flat[j] = xj + h
        up = np.asarray(f(work), dtype=np.float64)
        flat[j] = xj - h
        down = np.asarray(f(work), dtype=np.float64)
    finally:
        flat[j] = xj
    # Difference before summing: the entries x_j does not touch cancel exactly, so a small
    # change is not lost in the rounding of a large total.
    return float(np.sum(up - down)) / (2.0 * h)


def numerical_grad(f: Callable[[NDArray[np.float64]], ArrayLike], x: ArrayLike, *, eps: float = 1e-6) -> NDArray[np.float64]:
    r"""Central finite-difference gradient of ``sum(f(x))`` with respect to every entry of ``x``.

    One pair of evaluations of ``f`` per entry (meant for checking, on small arrays), with the
    step :math:`h_j = \text{eps} \max(1, |x_j|)`. Where ``f`` refuses :math:`x_j \pm h_j`
    with a ``ValueError`` (the step left its domain: a probability of 1e-7 minus a step of 1e-6
    is negative), the step becomes :math:`\text{eps}\,|x_j|`, then a quarter of that and so on,
    until both points are inside; if none is, the ``ValueError`` says so, naming the entry.
    """
    v.positive(eps, "eps")
    x0 = v.as_float_array(x, "x")
    v.check_finite(x0, "x")
    work = x0.copy()
    out = np.empty_like(x0)
    flat_x, flat_out = x0.reshape(-1), out.reshape(-1)
    for j in range(flat_x.size):
        h = eps * max(1.0, abs(float(flat_x[j])))
        for _ in range(40):  # each try quarters the step: 40 reach below 1e-24 of the first
            try:
                flat_out[j] = _difference(f, work, j, h)
                break
            except ValueError as error:
                first_error = error
                # Near the edge of the domain: a step relative to x_j itself (which keeps the
                # truncation error of a steep function small), then quarters of it.
                relative = eps * abs(float(flat_x[j]))
                h = relative if 0.0 < relative < h else h / 4.0
        else:
            where = f"entry {tuple(int(i) for i in np.unravel_index(j, x0.shape))}" if x0.ndim else "x"
            raise ValueError(
                f"f raised a ValueError at every finite-difference step around {where} = {float(flat_x[j])!r}, "
                f"down to a step of {h * 4:.2g}: x is on the edge of f's domain, where no central difference "
                f"exists; check the gradient at a point inside it. f said: {first_error}"
            ) from first_error
    return out


def numerical_hessian(
    grad: Callable[[NDArray[np.float64]], ArrayLike], x: ArrayLike, *, eps: float = 1e-5
) -> NDArray[np.float64]:
    r"""The Hessian of a function at ``x``, by central differences of its gradient ``grad``.

    Column :math:`j` is :math:`\bigl(g(x + h_j e_j) - g(x - h_j e_j)\bigr) / (2 h_j)` with
    :math:`h_j = \text{eps} \max(1, |x_j|)`, an error of :math:`O(h^2)`; the result is
    symmetrised, :math:`(\hat H + \hat H^\top)/2`, as a Hessian of a twice continuously
    differentiable function is. Two gradient evaluations per entry of ``x``: meant for small
    parameter vectors (the curvature of a cost at a point: is it a minimum, a maximum or a
    saddle?).

    Parameters
    ----------
    grad
        The gradient, ``grad(x)`` an array of the shape of ``x``, for a 1-D ``x``.
    x
        Where to take the Hessian: a 1-D array of finite numbers (not modified).
    eps
        The relative step.

    Returns
    -------
    ndarray of shape (d, d)
        The symmetric matrix of second derivatives.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[2.0, 1.0], [1.0, 3.0]])
    >>> np.round(numerical_hessian(lambda t: A @ t, [0.5, -1.0]), 6)
    array([[2., 1.],
           [1., 3.]])
    """
    v.positive(eps, "eps")
    x0 = v.as_vector(x, "x")
    v.check_finite(x0, "x")
    d = x0.size
    columns = np.empty((d, d))
    for j in range(d):
        h = eps * max(1.0, abs(float(x0[j])))
        up, down = x0.copy(), x0.copy()
        up[j] += h
        down[j] -= h
        g_up = np.asarray(grad(up), dtype=np.float64)
        g_down = np.asarray(grad(down), dtype=np.float64)
        if g_up.shape != (d,):
            raise ValueError(f"grad(x) must have the shape of x, ({d},), got {g_up.shape}")
        columns[:, j] = (g_up - g_down) / (2.0 * h)
    return 0.5 * (columns + columns.T)


def check_grad(
    f: Callable[[NDArray[np.float64]], ArrayLike],
    grad: Callable[[NDArray[np.float64]], ArrayLike],
    x: ArrayLike,
    *,
    eps: float = 1e-6,
    rtol: float = 1e-6,
    atol: float = 1e-8,
) -> GradCheckResult:
    """Compare ``grad(x)`` with the central-difference gradient of ``f`` at ``x``.

    Parameters
    ----------
    f
        The function; if it returns an array, its sum is differentiated.
    grad
        The claimed gradient, an array of the shape of ``x``.
    x
        Where to check. Keep away from kinks (:math:`|r| = \\delta` for Huber, margin 1 for hinge), where
        no finite difference can agree with a one-sided derivative.
    eps, rtol, atol
        Relative step and the tolerances of the comparison.

    Returns
    -------
    GradCheckResult
        ``passed``, the largest absolute and relative errors, where the worst entry is, and both
        gradients. ``bool(result)`` is ``result.passed``.

    Examples
    --------
    >>> import numpy as np
    >>> from lossbook import losses
    >>> from lossbook.gradcheck import check_grad
    >>> y = np.array([0.0, 1.0, 2.0])
    >>> bool(check_grad(lambda p: losses.log_cosh(y, p), lambda p: losses.log_cosh.grad(y, p), [0.5, -1.0, 4.0]))
    True
    """
    v.non_negative(rtol, "rtol")
    v.non_negative(atol, "atol")
    x0 = v.as_float_array(x, "x")
    analytic = np.asarray(grad(x0.copy()), dtype=np.float64)
    if analytic.shape != x0.shape:
        raise ValueError(f"grad(x) must have the shape of x, got {analytic.shape} for x of shape {x0.shape}")
    numeric = numerical_grad(f, x0, eps=eps)
    abs_err = np.abs(analytic - numeric)
    scale = np.maximum(np.abs(numeric), max(atol, np.finfo(np.float64).tiny))
    with np.errstate(invalid="ignore"):  # NaN in either gradient is reported in words below
        excess = abs_err - (atol + rtol * np.abs(numeric))
    bad = ~(excess <= 0)  # NaN counts as bad
    worst = np.unravel_index(int(np.argmax(np.where(np.isnan(excess), np.inf, excess))), x0.shape)
    return GradCheckResult(
        passed=not bad.any(),
        max_abs_error=float(abs_err.max()),
        max_rel_error=float((abs_err / scale).max()),
        worst_index=tuple(int(i) for i in worst),
        analytic=analytic,
        numeric=numeric,
        reason=_reason(analytic, numeric, bad),
    )


def _reason(analytic: NDArray[np.float64], numeric: NDArray[np.float64], bad: NDArray[np.bool_]) -> str:
    """Why a check failed, in words a student can act on ("" when it passed)."""
    if not bad.any():
        return ""
    count = f"{int(bad.sum())} of {bad.size} entries disagree"
    if not np.all(np.isfinite(analytic)):
        return f"{count}; the analytic gradient holds NaN or inf (the gradient function produced it)"
    if not np.all(np.isfinite(numeric)):
        return f"{count}; f returned NaN or inf next to x, so the numeric gradient is NaN or inf there"
    return count
