r"""Check an analytic gradient against central finite differences.

For a function :math:`f` of an array :math:`x` (scalar- or array-valued; an array result is
summed, which for a per-sample loss or an elementwise activation gives back each entry's own
derivative), the numerical partial derivative is

.. math:: \frac{\partial f}{\partial x_j} \approx \frac{f(x + h_j e_j) - f(x - h_j e_j)}{2 h_j},
          \qquad h_j = \varepsilon \max(1, |x_j|),

with error :math:`O(h^2)`. The check passes when, for every entry,
:math:`|g_j - \hat g_j| \le \text{atol} + \text{rtol}\,|\hat g_j|` (the rule of ``numpy.isclose``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validation as v

__all__ = ["GradCheckResult", "check_grad", "numerical_grad"]


@dataclass(frozen=True)
class GradCheckResult:
    """The outcome of :func:`check_grad`; true in a boolean context when the check passed."""

    passed: bool
    max_abs_error: float
    max_rel_error: float
    worst_index: tuple[int, ...]
    analytic: NDArray[np.float64]
    numeric: NDArray[np.float64]

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        status = "passed" if self.passed else "FAILED"
        i = self.worst_index
        return (
            f"gradient check {status}: max |analytic - numeric| = {self.max_abs_error:.3g}, "
            f"max relative error = {self.max_rel_error:.3g}, worst at index {i if len(i) > 1 else i[0]} "
            f"(analytic {self.analytic[i]:.10g}, numeric {self.numeric[i]:.10g})"
        )

    __repr__ = __str__


def numerical_grad(f: Callable[[NDArray[np.float64]], ArrayLike], x: ArrayLike, *, eps: float = 1e-6) -> NDArray[np.float64]:
    """Central finite-difference gradient of ``sum(f(x))`` with respect to every entry of ``x``.

    One pair of evaluations of ``f`` per entry: meant for checking, on small arrays.
    """
    v.positive(eps, "eps")
    x0 = v.as_float_array(x, "x")
    v.check_finite(x0, "x")
    work = x0.copy()
    out = np.empty_like(x0)
    flat_work, flat_out = work.reshape(-1), out.reshape(-1)
    for j in range(flat_work.size):
        xj = flat_work[j]
        h = eps * max(1.0, abs(xj))
        flat_work[j] = xj + h
        up = np.asarray(f(work), dtype=np.float64)
        flat_work[j] = xj - h
        down = np.asarray(f(work), dtype=np.float64)
        flat_work[j] = xj
        # Difference before summing: the entries x_j does not touch cancel exactly, so a small
        # change is not lost in the rounding of a large total.
        flat_out[j] = float(np.sum(up - down)) / (2.0 * h)
    return out


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
        Where to check. Keep away from kinks (|r| = delta for Huber, margin 1 for hinge), where
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
    rel_err = abs_err / np.maximum(np.abs(numeric), np.finfo(np.float64).tiny)
    excess = abs_err - (atol + rtol * np.abs(numeric))
    worst = np.unravel_index(int(np.argmax(excess)), x0.shape)
    return GradCheckResult(
        passed=bool(np.all(excess <= 0) and np.all(np.isfinite(analytic))),
        max_abs_error=float(abs_err.max()),
        max_rel_error=float(np.where(abs_err == 0, 0.0, rel_err).max()),
        worst_index=tuple(int(i) for i in worst),
        analytic=analytic,
        numeric=numeric,
    )
