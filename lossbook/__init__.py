"""lossbook: loss functions, cost functions and optimisation objectives, in NumPy.

The package behind the lossbook textbook. Conventions (shared by every function):

* argument order ``(y_true, y_pred)``; divergences take ``(p, q)`` for KL(p || q);
* inputs are array-likes, computed in float64 and never modified;
* no broadcasting: ``y_true`` and ``y_pred`` must have the same shape;
* bad input raises ``ValueError`` (``TypeError`` for non-numeric data) saying what was wrong;
* per-sample losses return float64 arrays of shape ``(n,)``; costs return Python floats.
"""

from . import (
    activations,
    calibration,
    decision,
    display,
    divergences,
    gradcheck,
    grading,
    likelihood,
    losses,
    penalties,
)
from .calibration import brier_score
from .costs import log_loss, mae, mean_error, mse, msle, rmse, rmsle

__version__ = "0.1.0"

__all__ = [
    "activations", "calibration", "decision", "display", "divergences", "gradcheck", "grading", "likelihood",
    "losses", "penalties",
    "brier_score", "log_loss", "mae", "mean_error", "mse", "msle", "rmse", "rmsle",
]
