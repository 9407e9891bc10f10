r"""Features: the columns a linear model sees.

A linear model is linear in its parameters, not in its inputs: polynomial features
:math:`x, x^2, \dots, x^p` let it fit curves, and with enough of them it overfits (chapter 8).
Penalties compare coefficients across features, so the features must be on one scale first:
:func:`standardise` puts every column at mean 0 and standard deviation 1, using the training
data's statistics for every other set (validation, test), never their own.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validation as v

__all__ = ["polynomial_features", "standardise"]

Array = NDArray[np.float64]


def polynomial_features(x: ArrayLike, degree: int) -> Array:
    r"""The powers :math:`x, x^2, \dots, x^p` of a 1-D input as columns, shape ``(n, degree)``.

    No column of ones: the models fit their (unpenalised) intercept themselves. Keep :math:`x`
    near :math:`[-1, 1]`, where the powers stay of order one; standardise the columns before
    penalising them.
    """
    xa = v.as_vector(x, "x")
    v.check_finite(xa, "x")
    p = v.whole_number(degree, "degree", minimum=1)
    return np.column_stack([xa**k for k in range(1, p + 1)])


def standardise(train: ArrayLike, *others: ArrayLike) -> tuple[Array, ...]:
    r"""Scale every column to mean 0 and standard deviation 1 using the training set's statistics.

    .. math:: x'_{ij} = \frac{x_{ij} - \bar x_j}{s_j}, \qquad
              \bar x_j, s_j \text{ the mean and (population) standard deviation of column } j
              \text{ of } \texttt{train}.

    Returns the scaled ``train`` followed by each of ``others`` scaled with the *same*
    :math:`\bar x_j` and :math:`s_j` (like scikit-learn's ``StandardScaler`` fitted on ``train``):
    statistics taken from validation or test data would leak them into training. A constant
    training column is a ``ValueError`` (it has no scale).
    """
    X = _matrix(train, "train")
    mean, scale = X.mean(axis=0), X.std(axis=0)
    if np.any(scale == 0.0):
        raise ValueError(f"column(s) {np.flatnonzero(scale == 0.0).tolist()} of train are constant: they cannot be scaled")
    out = [(X - mean) / scale]
    for i, other in enumerate(others):
        Y = _matrix(other, f"others[{i}]")
        if Y.shape[1] != X.shape[1]:
            raise ValueError(f"others[{i}] has {Y.shape[1]} column(s), train has {X.shape[1]}")
        out.append((Y - mean) / scale)
    return tuple(out)


def _matrix(X: ArrayLike, name: str) -> Array:
    a = v.as_float_array(X, name)
    if a.ndim == 1:
        a = a.reshape(-1, 1)
    if a.ndim != 2 or a.shape[0] == 0:
        raise ValueError(f"{name} must be a non-empty 2-D array (n_samples, n_features), got shape {a.shape}")
    v.check_finite(a, name)
    return a
