r"""Gradient descent in its batch, mini-batch and stochastic forms.

The update rule is :math:`\theta \leftarrow \theta - \alpha_t \nabla J_B(\theta)`, where
:math:`J_B` is the cost on a batch :math:`B` of the data:

* **batch** gradient descent: :math:`B` is the whole data set (``batch_size=None``), one step per
  epoch, the exact gradient;
* **mini-batch**: the data are shuffled every epoch (with a seeded generator) and cut into
  batches of ``batch_size``; each step uses a noisy but unbiased estimate of the gradient;
* **stochastic** (SGD): ``batch_size=1``.

The optimiser knows nothing about models: it takes a function ``objective(theta, rows)``
returning the cost and gradient on the rows ``rows`` of the data (a ``slice`` or an index
array). :meth:`lossbook.models.LinearModel.fit` builds that function from a model and a loss.

Divergence is detected rather than left to fill arrays with NaN: when the cost stops being
finite or grows past ``divergence_factor`` times its starting value, the run stops, the result
says ``diverged=True`` with a message, and a :class:`DivergenceWarning` is issued.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validation as v

Array = NDArray[np.float64]
Rows = slice | NDArray[np.intp]
Objective = Callable[[Array, Rows], tuple[float, Array]]
Schedule = Callable[[int], float]

__all__ = [
    "DivergenceWarning", "History", "OptimizeResult", "gradient_descent",
    "constant", "inverse_time_decay", "exponential_decay",
]


class DivergenceWarning(RuntimeWarning):
    """Gradient descent stopped because the cost blew up (usually: the step size is too large)."""


# -- learning-rate schedules --------------------------------------------------------------------
def constant(learning_rate: float) -> Schedule:
    r""":math:`\alpha_t = \alpha_0`."""
    a0 = v.positive(learning_rate, "learning_rate")
    return lambda step: a0


def inverse_time_decay(learning_rate: float, decay: float) -> Schedule:
    r""":math:`\alpha_t = \alpha_0 / (1 + \text{decay}\cdot t)`: the classic schedule under which SGD converges."""
    a0, k = v.positive(learning_rate, "learning_rate"), v.non_negative(decay, "decay")
    return lambda step: a0 / (1.0 + k * step)


def exponential_decay(learning_rate: float, rate: float) -> Schedule:
    r""":math:`\alpha_t = \alpha_0\,\rho^t` with :math:`0 < \rho \le 1`."""
    a0 = v.positive(learning_rate, "learning_rate")
    rho = v.positive(rate, "rate")
    if rho > 1:
        raise ValueError(f"rate must lie in (0, 1], got {rate!r}")
    return lambda step: a0 * rho**step


# -- results ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class History:
    """What happened during a run, for cost curves and optimiser paths.

    Attributes
    ----------
    cost
        Full-data cost before the first step and after every epoch, shape ``(n_epochs + 1,)``.
    params
        Parameters at the same moments, shape ``(n_epochs + 1, n_params)``.
    step_cost
        Batch cost at every step (noisy for mini-batches), shape ``(n_steps,)``.
    step_params
        Parameters after every step, shape ``(n_steps + 1, n_params)``, when recorded
        (``record_steps=True``); else empty.
    """

    cost: Array
    params: Array
    step_cost: Array
    step_params: Array = field(default_factory=lambda: np.empty((0, 0)))


@dataclass(frozen=True)
class OptimizeResult:
    """The outcome of :func:`gradient_descent`.

    ``converged`` means the gradient norm fell below ``tol``; ``diverged`` means the run was
    stopped because the cost blew up; ``message`` says which, in words.
    """

    params: Array
    cost: float
    n_epochs: int
    n_steps: int
    converged: bool
    diverged: bool
    message: str
    history: History

    def __repr__(self) -> str:
        return (
            f"OptimizeResult(cost={self.cost:.6g}, n_epochs={self.n_epochs}, n_steps={self.n_steps}, "
            f"converged={self.converged}, diverged={self.diverged})"
        )


def _positive_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def gradient_descent(
    objective: Objective,
    theta0: ArrayLike,
    *,
    n_samples: int,
    learning_rate: float | Schedule = 0.1,
    n_epochs: int = 100,
    batch_size: int | None = None,
    seed: int | None = 0,
    tol: float | None = None,
    divergence_factor: float = 1e8,
    record_steps: bool = False,
    warn: bool = True,
) -> OptimizeResult:
    r"""Minimise a cost by (mini-batch) gradient descent.

    Parameters
    ----------
    objective
        ``objective(theta, rows) -> (cost, gradient)`` on the rows ``rows`` of the data, the
        cost being the mean over those rows (so the step size does not depend on the batch size).
    theta0
        Starting parameters (not modified).
    n_samples
        Number of rows in the data.
    learning_rate
        The step size :math:`\alpha`, or a schedule ``step -> alpha`` (see
        :func:`inverse_time_decay`).
    n_epochs
        Passes over the data. Batch gradient descent takes one step per epoch.
    batch_size
        ``None`` for batch gradient descent, ``1`` for SGD, ``k`` for mini-batches of ``k``.
    seed
        Seed of the shuffling generator (mini-batches only): the same seed gives the same run.
    tol
        Stop when the full-data gradient norm at the end of an epoch is below ``tol``.
    divergence_factor
        Stop as diverged when the cost exceeds this multiple of its starting value (or of 1,
        when it starts near 0), or stops being finite.
    record_steps
        Keep the parameters after every step in ``history.step_params`` (for plotting paths).
    warn
        Issue a :class:`DivergenceWarning` on divergence (the result says so either way).

    Returns
    -------
    OptimizeResult
    """
    theta = v.as_float_array(theta0, "theta0").astype(np.float64, copy=True)
    if theta.ndim != 1:
        raise ValueError(f"theta0 must be a 1-D parameter vector, got shape {theta.shape}")
    v.check_finite(theta, "theta0")
    n = _positive_int(n_samples, "n_samples")
    n_epochs = _positive_int(n_epochs, "n_epochs")
    schedule = learning_rate if callable(learning_rate) else constant(learning_rate)
    if batch_size is not None:
        batch_size = _positive_int(batch_size, "batch_size")
        if batch_size > n:
            raise ValueError(f"batch_size must be at most n_samples = {n}, got {batch_size}")
    if tol is not None:
        tol = v.non_negative(tol, "tol")
    v.positive(divergence_factor, "divergence_factor")

    full = slice(None)
    rng = np.random.default_rng(seed)
    cost, grad = objective(theta, full)
    if not math.isfinite(cost):
        raise ValueError(f"the cost at theta0 is not finite ({cost!r}); start from other parameters")
    bound = divergence_factor * max(abs(cost), 1.0)

    costs, params = [cost], [theta.copy()]
    step_costs: list[float] = []
    step_params = [theta.copy()] if record_steps else []
    converged = diverged = False
    message = f"stopped after {n_epochs} epoch(s) without meeting the tolerance" if tol is not None else f"ran {n_epochs} epoch(s)"
    step = 0
    epoch = 0
    for epoch in range(1, n_epochs + 1):
        if batch_size is None:
            batches: list[Rows] = [full]
        else:
            order = rng.permutation(n)
            batches = [order[i : i + batch_size] for i in range(0, n, batch_size)]
        for rows in batches:
            if rows is not full:
                batch_cost, grad = objective(theta, rows)
            else:
                batch_cost = cost  # batch gradient descent: reuse the full evaluation
            step_costs.append(batch_cost)
            theta = theta - schedule(step) * grad
            step += 1
            if record_steps:
                step_params.append(theta.copy())
            if batch_size is None:
                break
        cost, grad = objective(theta, full)
        costs.append(cost)
        params.append(theta.copy())
        if not math.isfinite(cost) or cost > bound or not np.all(np.isfinite(theta)):
            diverged = True
            rate = f"{learning_rate:g}" if not callable(learning_rate) else "of the schedule"
            message = (
                f"diverged at epoch {epoch}: the cost reached {cost:.3g}, over {divergence_factor:g} times "
                f"its starting value; the learning rate {rate} is too large for this problem"
            )
            break
        if tol is not None and float(np.linalg.norm(grad)) < tol:
            converged = True
            message = f"converged at epoch {epoch}: gradient norm below tol = {tol:g}"
            break

    if diverged and warn:
        warnings.warn(message, DivergenceWarning, stacklevel=2)
    history = History(
        cost=np.asarray(costs),
        params=np.asarray(params),
        step_cost=np.asarray(step_costs),
        step_params=np.asarray(step_params) if record_steps else np.empty((0, theta.size)),
    )
    return OptimizeResult(
        params=theta, cost=float(cost), n_epochs=epoch, n_steps=step, converged=converged,
        diverged=diverged, message=message, history=history,
    )
