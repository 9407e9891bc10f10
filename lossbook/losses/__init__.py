"""Loss functions: every one a :class:`Loss` with value, ``.grad``, ``.cost`` and metadata.

>>> from lossbook import losses
>>> losses.huber([0.0, 0.0], [0.5, 3.0], delta=1.0)
array([0.125, 2.5  ])
>>> losses.huber.cost([0.0, 0.0], [0.5, 3.0])
1.3125

``REGISTRY`` maps each name to its loss, so that code (the tests, the book's tables) can iterate
over all of them. Adding a loss means defining it in the module of its task and listing it here (CONTRIBUTING.md).
"""

from . import inputs
from ._base import Loss, frozen_registry
from .binary import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    focal,
    focal_with_logits,
    hinge,
    squared_hinge,
)
from .multiclass import (
    categorical_cross_entropy,
    multiclass_hinge,
    softmax_cross_entropy,
    sparse_categorical_cross_entropy,
)
from .regression import (
    absolute_error,
    huber,
    log_cosh,
    pinball,
    poisson_deviance,
    pseudo_huber,
    squared_error,
    squared_log_error,
)

#: Every loss by name, in the order the book introduces them.
REGISTRY = frozen_registry(
    squared_error,
    absolute_error,
    huber,
    pseudo_huber,
    log_cosh,
    squared_log_error,
    pinball,
    poisson_deviance,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    focal,
    focal_with_logits,
    hinge,
    squared_hinge,
    categorical_cross_entropy,
    softmax_cross_entropy,
    sparse_categorical_cross_entropy,
    multiclass_hinge,
)

from . import _fast  # noqa: E402,F401  (optional speed-ups of some losses; see its docstring)

__all__ = ["Loss", "REGISTRY", "inputs", *REGISTRY]
