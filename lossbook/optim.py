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

For a quadratic cost (the squared error of a linear model) the behaviour of batch gradient
descent with a constant step is known exactly: :func:`quadratic_cost_gap` gives the cost gap
after any number of steps from the eigenvalues of the Hessian, and
:func:`quadratic_steps_to_tolerance` the number of steps a run needs, however many that is.

Beyond the plain step, with the same objective, options and result: :func:`momentum_descent`
(the heavy ball and Nesterov's method, with tuned constants for a quadratic from
:func:`heavy_ball_parameters` and :func:`nesterov_parameters`) and :func:`adam`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validation as v
from . import _warnings
from .penalties import Penalty

Array = NDArray[np.float64]
Rows = slice | NDArray[np.intp]
Objective = Callable[[Array, Rows], tuple[float, Array]]
Schedule = Callable[[int], float]

__all__ = [
    "DivergenceWarning",
    "History",
    "MomentumParameters",
    "OptimizeResult",
    "adam",
    "constant",
    "exponential_decay",
    "gradient_descent",
    "heavy_ball_parameters",
    "inverse_sqrt_decay",
    "inverse_time_decay",
    "momentum_descent",
    "nesterov_parameters",
    "proximal_gradient",
    "quadratic_cost_gap",
    "quadratic_steps_to_tolerance",
]


class DivergenceWarning(RuntimeWarning):
    """Gradient descent stopped because the cost blew up (usually: the step size is too large)."""


class ConvergenceWarning(UserWarning):
    """An optimiser used all its epochs without meeting its tolerance ``tol``: the result is not
    the minimiser to that tolerance (more epochs, a better step size or scaled features help)."""


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

    @classmethod
    def of_run(
        cls, costs: list[float], params: list[Array], step_costs: list[float],
        step_params: list[Array] | None, n_params: int,
    ) -> History:
        """The history of a run from the lists an optimiser kept (``step_params`` None: not recorded)."""
        return cls(
            cost=np.asarray(costs), params=np.asarray(params), step_cost=np.asarray(step_costs),
            step_params=np.empty((0, n_params)) if step_params is None else np.asarray(step_params),
        )


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


def _divergence_message(epoch: int, cost: float, factor: float, learning_rate: float | Schedule) -> str:
    rate = f"{learning_rate:g}" if not callable(learning_rate) else "of the schedule"
    if math.isnan(cost):
        what = "the cost became NaN (an overflow, or predictions pushed outside the loss's domain)"
    elif math.isinf(cost):
        what = "the cost overflowed to inf"
    else:
        what = f"the cost reached {cost:.3g}, over {factor:g} times its starting value"
    return f"diverged at epoch {epoch}: {what}; the learning rate {rate} is too large for this problem"


def _starting_point(theta0: ArrayLike) -> Array:
    """A float64 copy of the starting parameters, checked: a finite 1-D vector."""
    theta = v.as_float_array(theta0, "theta0").astype(np.float64, copy=True)
    if theta.ndim != 1:
        raise ValueError(f"theta0 must be a 1-D parameter vector, got shape {theta.shape}")
    v.check_finite(theta, "theta0")
    return theta


def _checked_options(
    theta0: ArrayLike, n_samples: int, n_epochs: int, learning_rate: float | Schedule,
    batch_size: int | None, tol: float | None, divergence_factor: float,
) -> tuple[Array, int, int, Schedule, int | None, float | None]:
    """The optimisers' shared checks: a copy of the start, the counts, the schedule, the options."""
    theta = _starting_point(theta0)
    n = v.positive_integer(n_samples, "n_samples")
    n_epochs = v.positive_integer(n_epochs, "n_epochs")
    schedule = learning_rate if callable(learning_rate) else constant(learning_rate)
    if batch_size is not None:
        batch_size = v.positive_integer(batch_size, "batch_size")
        if batch_size > n:
            raise ValueError(f"batch_size must be at most n_samples = {n}, got {batch_size}")
    if tol is not None:
        tol = v.non_negative(tol, "tol")
    v.positive(divergence_factor, "divergence_factor")
    return theta, n, n_epochs, schedule, batch_size, tol


# A run that blows up overflows on its way to the divergence check, which then reports it once
# (diverged=True, a message, one DivergenceWarning); NumPy's overflow and invalid-value warnings
# along the way would only be noise, so they are off inside the optimiser.
@np.errstate(over="ignore", invalid="ignore", divide="ignore")
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
    theta, n, n_epochs, schedule, batch_size, tol = _checked_options(
        theta0, n_samples, n_epochs, learning_rate, batch_size, tol, divergence_factor
    )

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
    # Each step makes a new array `theta` and never changes an old one, so the
    # histories keep references, not copies.
    for epoch in range(1, n_epochs + 1):
        if batch_size is None:
            # Batch gradient descent: one step along the full gradient,
            # evaluated at the end of the previous epoch (or before the first).
            step_costs.append(cost)
            theta = theta - schedule(step) * grad
            step += 1
            if record_steps:
                step_params.append(theta)
        else:
            order = rng.permutation(n)  # a new shuffle every epoch
            for start in range(0, n, batch_size):
                rows = order[start : start + batch_size]
                batch_cost, batch_grad = objective(theta, rows)
                step_costs.append(batch_cost)
                theta = theta - schedule(step) * batch_grad
                step += 1
                if record_steps:
                    step_params.append(theta)
        cost, grad = objective(theta, full)
        costs.append(cost)
        params.append(theta)
        # A sum of finite numbers is finite unless it overflows: diverged too.
        finite = math.isfinite(cost) and math.isfinite(np.add.reduce(theta))
        if not (finite and cost <= bound):
            diverged = True
            message = _divergence_message(
                epoch, cost, divergence_factor, learning_rate
            )
            break
        if tol is not None and float(np.linalg.norm(grad)) < tol:
            converged = True
            message = (
                f"converged at epoch {epoch}: gradient norm below tol = {tol:g}"
            )
            break

    if diverged and warn:
        _warnings.warn(message, DivergenceWarning)
    elif warn and tol is not None and not converged:
        _warnings.warn(message, ConvergenceWarning)
    history = History.of_run(costs, params, step_costs, step_params if record_steps else None, theta.size)
    return OptimizeResult(
        params=theta, cost=float(cost), n_epochs=epoch, n_steps=step, converged=converged,
        diverged=diverged, message=message, history=history,
    )


# -- exact theory for quadratic costs -----------------------------------------------------------
def _quadratic_modes(
    hessian: ArrayLike, theta_start: ArrayLike, theta_star: ArrayLike, learning_rate: float
) -> tuple[Array, Array]:
    """Per eigen-direction: the cost gap at the start, and the factor that multiplies the error each step."""
    H = v.as_float_array(hessian, "hessian")
    if H.ndim != 2 or H.shape[0] != H.shape[1]:
        raise ValueError(f"hessian must be a square matrix, got shape {H.shape}")
    v.check_finite(H, "hessian")
    if not np.allclose(H, H.T, rtol=1e-10, atol=0.0):
        raise ValueError("hessian must be symmetric")
    start = v.as_vector(theta_start, "theta_start")
    star = v.as_vector(theta_star, "theta_star")
    for name, vec in (("theta_start", start), ("theta_star", star)):
        if vec.shape != (H.shape[0],):
            raise ValueError(f"{name} must have shape ({H.shape[0]},) to match the hessian, got {vec.shape}")
        v.check_finite(vec, name)
    alpha = v.positive(learning_rate, "learning_rate")
    eigenvalues, eigenvectors = np.linalg.eigh(H)
    # Round-off can make an exact zero eigenvalue slightly negative; a clearly negative one means
    # the cost is not convex and has no minimum to converge to.
    if eigenvalues[0] < -1e-10 * max(abs(eigenvalues[-1]), 1.0):
        raise ValueError(
            f"hessian must be positive semi-definite (a convex quadratic), its smallest eigenvalue is {eigenvalues[0]:.3g}"
        )
    eigenvalues = np.maximum(eigenvalues, 0.0)
    components = eigenvectors.T @ (start - star)
    return 0.5 * eigenvalues * components**2, 1.0 - alpha * eigenvalues


def quadratic_cost_gap(
    hessian: ArrayLike,
    theta_start: ArrayLike,
    theta_star: ArrayLike,
    learning_rate: float,
    steps: ArrayLike,
) -> Array:
    r"""Exact cost gap :math:`J(\theta_t) - J(\theta^*)` of gradient descent on a quadratic cost.

    On :math:`J(\theta) = J(\theta^*) + \tfrac12 (\theta - \theta^*)^\top H (\theta - \theta^*)`
    a step with constant :math:`\alpha` maps the error :math:`e = \theta - \theta^*` to
    :math:`(I - \alpha H)\,e`. Writing :math:`H = \sum_j \nu_j v_j v_j^\top` (eigenvalues
    :math:`\nu_j`, the curvatures, and orthonormal eigenvectors :math:`v_j`), the component of the
    error along each eigenvector is multiplied by :math:`1 - \alpha\nu_j` at every step, so

    .. math:: J(\theta_t) - J(\theta^*) = \tfrac12 \sum_j \nu_j\, (v_j^\top e_0)^2\,
              (1 - \alpha\nu_j)^{2t}.

    Every term shrinks exactly when :math:`|1 - \alpha\nu_j| < 1`, that is
    :math:`\alpha < 2/L` with :math:`L = \max_j \nu_j`. For the mean squared error of a linear model,
    :math:`H` is :func:`lossbook.models.squared_error_hessian` and the formula is exact, not a bound.

    Parameters
    ----------
    hessian
        The constant Hessian :math:`H`, symmetric positive semi-definite, shape ``(d, d)``.
    theta_start, theta_star
        The starting point :math:`\theta_0` and the minimiser :math:`\theta^*`, shape ``(d,)``.
    learning_rate
        The constant step :math:`\alpha > 0`.
    steps
        Step counts :math:`t \ge 0` (an integer or an array of them).

    Returns
    -------
    ndarray
        The cost gap after each number of steps, with the shape of ``steps``; ``inf`` where a
        divergent run has overflowed.
    """
    weights, factors = _quadratic_modes(hessian, theta_start, theta_star, learning_rate)
    t = np.asarray(steps)
    if t.dtype.kind not in "iu" or (t.size and t.min() < 0):
        raise ValueError(f"steps must be non-negative integers, got {steps!r}")
    return _gap(weights, factors, t)


def _gap(weights: Array, factors: Array, steps: np.ndarray) -> Array:
    powers = 2 * steps.astype(np.float64)[..., None]
    # A direction the start has no component along contributes nothing, even one that would grow:
    # give it factor 0 so that it cannot become 0 * inf.
    magnitude = np.where(weights > 0.0, np.abs(factors), 0.0)
    with np.errstate(over="ignore"):  # a diverging direction overflows to inf, which is the answer
        terms = weights * magnitude**powers
    return terms.sum(axis=-1)


def quadratic_steps_to_tolerance(
    hessian: ArrayLike,
    theta_start: ArrayLike,
    theta_star: ArrayLike,
    learning_rate: float,
    tol: float,
) -> int | None:
    r"""The number of gradient-descent steps after which the cost gap of a quadratic is at most ``tol``.

    Exact for a quadratic cost (see :func:`quadratic_cost_gap`), so it answers without running
    the steps, however many millions badly scaled features need. When :math:`\alpha < 2/L` the
    gap never increases, and the answer is found by doubling and bisection on :math:`t`.

    Parameters
    ----------
    hessian, theta_start, theta_star, learning_rate
        As for :func:`quadratic_cost_gap`.
    tol
        The cost gap to reach, > 0 (absolute, in the units of the cost).

    Returns
    -------
    int or None
        The smallest :math:`t \ge 0` with :math:`J(\theta_t) - J(\theta^*) \le` ``tol``; ``None``
        when the gap never gets there because a direction that the start has a component along
        does not shrink (:math:`|1 - \alpha\nu_j| \ge 1`: the step is too large).
    """
    weights, factors = _quadratic_modes(hessian, theta_start, theta_star, learning_rate)
    tol = v.positive(tol, "tol")

    def gap(t: int) -> float:
        return float(_gap(weights, factors, np.asarray(t)))

    if weights.sum() <= tol:
        return 0
    if np.any((weights > 0.0) & (np.abs(factors) >= 1.0)):
        return None
    low, high = 0, 1  # invariant: gap(low) > tol >= gap(high), once high is found
    while gap(high) > tol:
        low, high = high, 2 * high
    while high - low > 1:
        middle = (low + high) // 2
        if gap(middle) > tol:
            low = middle
        else:
            high = middle
    return high


# -- beyond the plain step: momentum and Adam ---------------------------------------------------
# These optimisers take the same objective, options and result as gradient_descent; only the
# step differs. Each step rule keeps its own state (a velocity, moment estimates) in a closure and
# maps (theta, rows, alpha, known) to (batch cost, new theta), where `known` is the cost and
# gradient at theta on `rows` when the loop already has them (batch runs), else None.
Known = tuple[float, Array] | None
StepRule = Callable[[Array, Rows, float, Known], tuple[float, Array]]


def inverse_sqrt_decay(learning_rate: float, decay: float) -> Schedule:
    r""":math:`\alpha_t = \alpha_0 / \sqrt{1 + \text{decay}\cdot t}`.

    Its steps still add up to infinity, :math:`\sum_t \alpha_t = \infty`, but so do their squares
    (:math:`\sum_t \alpha_t^2 = \alpha_0^2 \sum_t 1/(1 + \text{decay}\cdot t) = \infty`): it fails
    the second Robbins–Monro condition, and SGD with it keeps a noise floor that shrinks only
    slowly.
    """
    a0, k = v.positive(learning_rate, "learning_rate"), v.non_negative(decay, "decay")
    return lambda step: a0 / math.sqrt(1.0 + k * step)


class MomentumParameters(NamedTuple):
    """Tuned constants of a momentum method for a quadratic, and the rate they guarantee."""

    learning_rate: float
    momentum: float
    rate: float


def _curvatures(largest_eigenvalue: float, smallest_eigenvalue: float) -> tuple[float, float]:
    L = v.positive(largest_eigenvalue, "largest_eigenvalue")
    m = v.positive(smallest_eigenvalue, "smallest_eigenvalue")
    if m > L:
        raise ValueError(
            f"smallest_eigenvalue must be at most largest_eigenvalue, got m = {m!r} > L = {L!r}"
        )
    return L, m


def heavy_ball_parameters(largest_eigenvalue: float, smallest_eigenvalue: float) -> MomentumParameters:
    r"""Polyak's optimal heavy-ball constants for a quadratic with Hessian eigenvalues in :math:`[m, L]`.

    .. math:: \alpha = \frac{4}{(\sqrt L + \sqrt m)^2}, \qquad
              \beta = \left(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\right)^2, \qquad
              \kappa = L / m .

    With them every eigen-direction of the error shrinks by :math:`\sqrt\beta =
    (\sqrt\kappa - 1)/(\sqrt\kappa + 1)` per step (asymptotically; the extreme directions carry a
    factor linear in :math:`t`), against :math:`(\kappa - 1)/(\kappa + 1)` for the best constant
    plain step.

    Returns
    -------
    MomentumParameters
        ``learning_rate`` :math:`\alpha`, ``momentum`` :math:`\beta` and ``rate``
        :math:`(\sqrt\kappa - 1)/(\sqrt\kappa + 1)`.
    """
    L, m = _curvatures(largest_eigenvalue, smallest_eigenvalue)
    root_L, root_m = math.sqrt(L), math.sqrt(m)
    rate = (root_L - root_m) / (root_L + root_m)
    return MomentumParameters(4.0 / (root_L + root_m) ** 2, rate**2, rate)


def nesterov_parameters(largest_eigenvalue: float, smallest_eigenvalue: float) -> MomentumParameters:
    r"""Nesterov's constants for an :math:`m`-strongly convex, :math:`L`-smooth cost.

    .. math:: \alpha = \frac1L, \qquad \beta = \frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}, \qquad
              \text{rate } 1 - \frac{1}{\sqrt\kappa},

    the rate being the factor by which the guaranteed bound on the cost gap shrinks per step
    (Nesterov's estimate-sequence bound), not an exact per-step factor.
    """
    L, m = _curvatures(largest_eigenvalue, smallest_eigenvalue)
    root_kappa = math.sqrt(L / m)
    return MomentumParameters(1.0 / L, (root_kappa - 1.0) / (root_kappa + 1.0), 1.0 - 1.0 / root_kappa)


@np.errstate(over="ignore", invalid="ignore", divide="ignore")
def _descend(
    objective: Objective,
    theta0: ArrayLike,
    rule: Callable[[], StepRule],
    *,
    n_samples: int,
    learning_rate: float | Schedule,
    n_epochs: int,
    batch_size: int | None,
    seed: int | None,
    tol: float | None,
    divergence_factor: float,
    record_steps: bool,
    warn: bool,
) -> OptimizeResult:
    """The loop of :func:`gradient_descent`, with the step made by ``rule()``'s step rule."""
    theta, n, n_epochs, schedule, batch_size, tol = _checked_options(
        theta0, n_samples, n_epochs, learning_rate, batch_size, tol, divergence_factor
    )
    step_rule = rule()

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
    message = (
        f"stopped after {n_epochs} epoch(s) without meeting the tolerance" if tol is not None
        else f"ran {n_epochs} epoch(s)"
    )
    step = epoch = 0
    for epoch in range(1, n_epochs + 1):
        if batch_size is None:
            batches: list[Rows] = [full]
        else:
            order = rng.permutation(n)  # a new shuffle every epoch
            batches = [order[start : start + batch_size] for start in range(0, n, batch_size)]
        for rows in batches:
            known = (cost, grad) if batch_size is None else None
            batch_cost, theta = step_rule(theta, rows, schedule(step), known)
            step_costs.append(batch_cost)
            step += 1
            if record_steps:
                step_params.append(theta)
        cost, grad = objective(theta, full)
        costs.append(cost)
        params.append(theta)
        finite = math.isfinite(cost) and math.isfinite(np.add.reduce(theta))
        if not (finite and cost <= bound):
            diverged = True
            message = _divergence_message(epoch, cost, divergence_factor, learning_rate)
            break
        if tol is not None and float(np.linalg.norm(grad)) < tol:
            converged = True
            message = f"converged at epoch {epoch}: gradient norm below tol = {tol:g}"
            break

    if diverged and warn:
        _warnings.warn(message, DivergenceWarning)
    elif warn and tol is not None and not converged:
        _warnings.warn(message, ConvergenceWarning)
    history = History.of_run(costs, params, step_costs, step_params if record_steps else None, theta.size)
    return OptimizeResult(
        params=theta, cost=float(cost), n_epochs=epoch, n_steps=step, converged=converged,
        diverged=diverged, message=message, history=history,
    )


def momentum_descent(
    objective: Objective,
    theta0: ArrayLike,
    *,
    n_samples: int,
    learning_rate: float | Schedule = 0.1,
    momentum: float = 0.9,
    nesterov: bool = False,
    n_epochs: int = 100,
    batch_size: int | None = None,
    seed: int | None = 0,
    tol: float | None = None,
    divergence_factor: float = 1e8,
    record_steps: bool = False,
    warn: bool = True,
) -> OptimizeResult:
    r"""Minimise a cost by gradient descent with momentum: the heavy ball, or Nesterov's method.

    The **heavy ball** (Polyak, 1964) keeps a velocity :math:`v`, starting at 0, and steps along it:

    .. math:: v_{t+1} = \beta v_t - \alpha_t \nabla J_B(\theta_t), \qquad
              \theta_{t+1} = \theta_t + v_{t+1},

    that is :math:`\theta_{t+1} = \theta_t - \alpha_t \nabla J_B(\theta_t) + \beta(\theta_t -
    \theta_{t-1})`: each step repeats a share :math:`\beta` of the previous one, so steps that
    agree add up (along the floor of a valley) and steps that alternate cancel (across it).
    **Nesterov's** method (``nesterov=True``; Nesterov 1983, in the form of Sutskever et al.
    2013) evaluates the gradient at the point the velocity is about to carry the parameters to,

    .. math:: v_{t+1} = \beta v_t - \alpha_t \nabla J_B(\theta_t + \beta v_t), \qquad
              \theta_{t+1} = \theta_t + v_{t+1},

    which corrects an overshoot one step earlier. With :math:`\beta = 0` both are
    :func:`gradient_descent`, step for step.

    Parameters
    ----------
    objective, theta0, n_samples, n_epochs, batch_size, seed, tol, divergence_factor, record_steps, warn
        As for :func:`gradient_descent`; the result has the same form.
    learning_rate
        The step size :math:`\alpha`, or a schedule ``step -> alpha``.
    momentum
        The momentum coefficient :math:`\beta`, in :math:`[0, 1)`. For a quadratic,
        :func:`heavy_ball_parameters` and :func:`nesterov_parameters` give tuned values.
    nesterov
        Evaluate the gradient at the look-ahead point :math:`\theta_t + \beta v_t`. A step then
        costs one more evaluation of the objective in batch runs (the loop's full gradient is at
        :math:`\theta_t`); ``history.step_cost`` holds the batch cost at the look-ahead point.

    Returns
    -------
    OptimizeResult
    """
    beta = v.half_open_unit_interval(momentum, "momentum")
    if not isinstance(nesterov, (bool, np.bool_)):
        raise ValueError(f"nesterov must be True or False, got {nesterov!r}")

    def rule() -> StepRule:
        velocity: list[Array] = []  # empty until the first step: v_0 = 0

        def step(
            theta: Array, rows: Rows, alpha: float, known: Known
        ) -> tuple[float, Array]:
            previous = velocity[0] if velocity else np.zeros_like(theta)
            if nesterov:
                batch_cost, grad = objective(theta + beta * previous, rows)
            else:
                batch_cost, grad = (
                    known if known is not None else objective(theta, rows)
                )
            new_velocity = beta * previous - alpha * grad
            velocity[:] = [new_velocity]
            return batch_cost, theta + new_velocity

        return step

    return _descend(
        objective, theta0, rule, n_samples=n_samples, learning_rate=learning_rate, n_epochs=n_epochs,
        batch_size=batch_size, seed=seed, tol=tol, divergence_factor=divergence_factor,
        record_steps=record_steps, warn=warn,
    )


def adam(
    objective: Objective,
    theta0: ArrayLike,
    *,
    n_samples: int,
    learning_rate: float | Schedule = 0.001,
    beta1: float = 0.9,
    beta2: float = 0.999,
    epsilon: float = 1e-8,
    n_epochs: int = 100,
    batch_size: int | None = None,
    seed: int | None = 0,
    tol: float | None = None,
    divergence_factor: float = 1e8,
    record_steps: bool = False,
    warn: bool = True,
) -> OptimizeResult:
    r"""Minimise a cost with Adam (Kingma and Ba, 2015): momentum with a step scaled per parameter.

    With :math:`g_t = \nabla J_B(\theta_{t-1})` at step :math:`t = 1, 2, \dots` and
    :math:`m_0 = s_0 = 0`, Adam keeps running averages of the gradient and of its square
    (elementwise),

    .. math:: m_t = \beta_1 m_{t-1} + (1 - \beta_1)\, g_t, \qquad
              s_t = \beta_2 s_{t-1} + (1 - \beta_2)\, g_t^2,

    corrects the bias of their zero start, :math:`\hat m_t = m_t / (1 - \beta_1^t)` and
    :math:`\hat s_t = s_t / (1 - \beta_2^t)`, and steps

    .. math:: \theta_t = \theta_{t-1} - \alpha_t\, \frac{\hat m_t}{\sqrt{\hat s_t} + \epsilon} .

    Each parameter's step is about :math:`\alpha` long whatever the scale of its gradient, so
    Adam is insensitive to the scale of each feature (a diagonal rescaling), though not to
    correlations between features. (The paper calls the second moment :math:`v_t`; here
    :math:`s_t`, since :math:`v` is the momentum methods' velocity.)

    Parameters
    ----------
    objective, theta0, n_samples, n_epochs, batch_size, seed, tol, divergence_factor, record_steps, warn
        As for :func:`gradient_descent`; the result has the same form.
    learning_rate
        The step size :math:`\alpha` (a typical length of each parameter's step), or a schedule.
    beta1, beta2
        Decay rates :math:`\beta_1, \beta_2 \in [0, 1)` of the averages of the gradient and of its
        square.
    epsilon
        :math:`\epsilon > 0`, which keeps the step finite where the gradient's average square is 0.

    Returns
    -------
    OptimizeResult
    """
    b1 = v.half_open_unit_interval(beta1, "beta1")
    b2 = v.half_open_unit_interval(beta2, "beta2")
    eps = v.positive(epsilon, "epsilon")

    def rule() -> StepRule:
        state: dict[str, Array] = {}
        counter = [0]

        def step(
            theta: Array, rows: Rows, alpha: float, known: Known
        ) -> tuple[float, Array]:
            batch_cost, grad = (
                known if known is not None else objective(theta, rows)
            )
            counter[0] += 1
            t = counter[0]
            first = state.get("first", np.zeros_like(theta))
            second = state.get("second", np.zeros_like(theta))
            first = b1 * first + (1.0 - b1) * grad
            second = b2 * second + (1.0 - b2) * grad * grad
            state["first"], state["second"] = first, second
            first_hat = first / (1.0 - b1**t)
            second_hat = second / (1.0 - b2**t)
            direction = first_hat / (np.sqrt(second_hat) + eps)
            return batch_cost, theta - alpha * direction

        return step

    return _descend(
        objective, theta0, rule, n_samples=n_samples, learning_rate=learning_rate, n_epochs=n_epochs,
        batch_size=batch_size, seed=seed, tol=tol, divergence_factor=divergence_factor,
        record_steps=record_steps, warn=warn,
    )


# -- proximal gradient: a smooth cost plus a penalty ------------------------------------------------
@np.errstate(over="ignore", invalid="ignore", divide="ignore")
def proximal_gradient(
    objective: Objective,
    theta0: ArrayLike,
    *,
    penalty: Penalty,
    strength: float,
    learning_rate: float,
    penalized: slice | NDArray[np.bool_] | None = None,
    n_epochs: int = 1000,
    tol: float | None = 1e-8,
    accelerated: bool = False,
    divergence_factor: float = 1e8,
    warn: bool = True,
    **penalty_params: float,
) -> OptimizeResult:
    r"""Minimise :math:`J(\theta) = f(\theta) + \lambda P(\theta_S)` by proximal gradient steps (ISTA, FISTA).

    Each step is a gradient step on the smooth cost :math:`f`, then the proximal operator of the
    penalty on the penalised coordinates :math:`S` (all but the intercept, in a model):

    .. math::
        \theta^+ = \operatorname{prox}_{\alpha\lambda P}\bigl(\theta - \alpha \nabla f(\theta)\bigr),

    which for the L1 penalty is soft-thresholding: coordinates whose gradient step lands within
    :math:`\alpha\lambda` of 0 become exactly 0, which a subgradient step never achieves. With
    ``accelerated=True`` this is FISTA (Beck and Teboulle, 2009): the step is taken from the
    extrapolated point :math:`y_k = \theta_k + \tfrac{t_{k-1} - 1}{t_k}(\theta_k - \theta_{k-1})`,
    :math:`t_k = \tfrac12\bigl(1 + \sqrt{1 + 4t_{k-1}^2}\bigr)`, and the cost gap falls like
    :math:`1/k^2` instead of :math:`1/k`. Both converge for :math:`\alpha \le 1/L`, with
    :math:`L` the largest eigenvalue of the Hessian of :math:`f`.

    Parameters
    ----------
    objective
        ``objective(theta, rows) -> (cost, gradient)`` of the smooth part :math:`f`, as for
        :func:`gradient_descent` (only ``rows = slice(None)``, the full data, is used).
    theta0
        Starting parameters (not modified).
    penalty
        A penalty of :mod:`lossbook.penalties` (``l1``, ``l2``, ``elastic_net``).
    strength
        :math:`\lambda \ge 0`.
    learning_rate
        The constant step size :math:`\alpha > 0`.
    penalized
        Which coordinates the penalty applies to: a slice or boolean mask; ``None`` for all.
    n_epochs
        The most steps to take.
    tol
        Stop when the gradient mapping :math:`\lVert\theta - \theta^+\rVert / \alpha`, the
        composite problem's measure of optimality (0 exactly at a minimiser), falls below it;
        ``None`` runs all ``n_epochs``.
    accelerated
        FISTA's momentum instead of plain ISTA.
    divergence_factor, warn
        As for :func:`gradient_descent`.
    **penalty_params
        The penalty's parameters, e.g. ``l1_ratio`` for the elastic net.

    Returns
    -------
    OptimizeResult
        ``cost`` is the full objective :math:`f + \lambda P`; ``history.cost`` its value before
        the first step and after every step.
    """
    theta = _starting_point(theta0)
    lam = v.non_negative(strength, "strength")
    alpha = v.positive(learning_rate, "learning_rate")
    n_epochs = v.whole_number(n_epochs, "n_epochs", minimum=1)
    if tol is not None:
        tol = v.non_negative(tol, "tol")
    v.positive(divergence_factor, "divergence_factor")
    where = np.ones(theta.size, dtype=bool) if penalized is None else np.zeros(theta.size, dtype=bool)
    if penalized is not None:
        where[penalized] = True
    full = slice(None)
    checked = penalty.check_params(**penalty_params)  # once: the loop calls the unchecked forms
    penalty(theta[where], **checked)  # checks the penalised coordinates of theta0 once too

    def total(t: Array) -> tuple[float, Array]:
        cost, grad = objective(t, full)
        return cost + lam * penalty.unchecked_value(t[where], **checked), grad

    def step(t: Array, grad: Array) -> Array:
        out = t - alpha * grad
        if lam > 0 and where.any():
            out[where] = penalty.unchecked_prox(out[where], alpha * lam, **checked)
        return out

    cost, grad = total(theta)
    if not math.isfinite(cost):
        raise ValueError(f"the cost at theta0 is not finite ({cost!r}); start from other parameters")
    bound = divergence_factor * max(abs(cost), 1.0)
    costs, params = [cost], [theta.copy()]
    converged = diverged = False
    message = f"stopped after {n_epochs} step(s) without meeting the tolerance" if tol is not None else f"ran {n_epochs} step(s)"
    previous, momentum_t, point, point_grad = theta, 1.0, theta, grad
    epoch = 0
    for epoch in range(1, n_epochs + 1):
        new = step(point, point_grad)
        mapping = float(np.linalg.norm(point - new)) / alpha
        if accelerated:
            next_t = 0.5 * (1.0 + math.sqrt(1.0 + 4.0 * momentum_t**2))
            point = new + ((momentum_t - 1.0) / next_t) * (new - previous)
            momentum_t = next_t
        else:
            point = new
        previous = theta = new
        cost, grad = total(theta)
        point_grad = grad if point is theta else objective(point, full)[1]
        costs.append(cost)
        params.append(theta)
        if not (math.isfinite(cost) and math.isfinite(np.add.reduce(theta)) and cost <= bound):
            diverged = True
            message = _divergence_message(epoch, cost, divergence_factor, learning_rate)
            break
        if tol is not None and mapping < tol:
            converged = True
            message = f"converged at step {epoch}: gradient mapping below tol = {tol:g}"
            break
    if diverged and warn:
        _warnings.warn(message, DivergenceWarning)
    elif warn and tol is not None and not converged:
        _warnings.warn(message, ConvergenceWarning)
    history = History(cost=np.asarray(costs), params=np.asarray(params), step_cost=np.asarray(costs[:-1]),
                      step_params=np.empty((0, theta.size)))
    return OptimizeResult(params=theta, cost=float(cost), n_epochs=epoch, n_steps=epoch, converged=converged,
                          diverged=diverged, message=message, history=history)
