r"""The same losses in scikit-learn, SciPy, PyTorch, Keras and Optax: the calls, and lossbook's number from each.

Appendix B of the book (``book/other-libraries.ipynb``) prints its tables from :data:`COUNTERPARTS`,
and ``tests/test_other_libraries.py`` runs every entry against lossbook: values, gradients (by the
library's autograd where it has one) and costs, on random and on extreme inputs. So the code a
reader sees in the appendix is the code the tests run.

Each :class:`Counterpart` holds two Python expressions, evaluated by :func:`evaluate` with the
library's array type:

* ``call``: the library's function as a reader would call it, with its defaults (its own
  reduction, scaling and clipping);
* ``recipe``: what gives lossbook's number from it: the per-sample losses
  (``gives="per-sample"``), the mean (``gives="cost"``), or for a penalty its value or gradient.

The names an expression may use: ``y`` and ``p`` (lossbook's ``y_true`` and ``y_pred``, converted
to the library's arrays; ``theta`` for penalties), the loss's parameters by their lossbook names
(``delta``, ``quantile``, ``pos_weight``, ``gamma``, ``alpha``, ``label_smoothing``, ``lam``,
``l1_ratio``), ``k`` (the number of classes), and the modules of :data:`NAMESPACES`.
``default_is`` says, as an expression in ``ell`` (lossbook's per-sample losses, a NumPy array) and
the parameters, what ``call`` returns; ``None`` where it is not a function of lossbook's loss
(another loss of the same name, or a different clipping).

Importing this module imports no other library: :func:`evaluate` imports the one it needs, and
:func:`available` says which are installed. Keras is run on the JAX backend
(``KERAS_BACKEND=jax``, set here before Keras is first imported), and JAX and Keras in float64
(Keras's floatx is float32 by default: it would cast lossbook's float64 inputs down).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

import numpy as np

__all__ = [
    "COUNTERPARTS",
    "KERAS_MEAN_RTOL",
    "LIBRARIES",
    "NAMESPACES",
    "Counterpart",
    "as_numpy",
    "available",
    "counterparts_of",
    "evaluate",
    "to_library",
]

#: The libraries compared, in the order of the appendix's tables, with the module each needs.
LIBRARIES: Mapping[str, str] = MappingProxyType(
    {"scikit-learn": "sklearn", "SciPy": "scipy", "PyTorch": "torch", "Keras": "keras", "Optax": "optax"}
)

#: What each library's expressions may call, by the short names the appendix shows.
NAMESPACES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "scikit-learn": {"np": "numpy", "metrics": "sklearn.metrics", "special": "scipy.special"},
        "SciPy": {"np": "numpy", "special": "scipy.special"},
        "PyTorch": {"torch": "torch", "F": "torch.nn.functional"},
        "Keras": {"keras": "keras", "ops": "keras.ops", "jnp": "jax.numpy"},
        "Optax": {"optax": "optax", "jax": "jax", "jnp": "jax.numpy"},
    }
)

Gives = Literal["per-sample", "cost", "value", "gradient"]


@dataclass(frozen=True)
class Counterpart:
    """One library's version of one lossbook loss or penalty.

    Parameters
    ----------
    name
        The lossbook loss (a key of :data:`lossbook.losses.REGISTRY`) or penalty (of
        :data:`lossbook.penalties.REGISTRY`).
    library
        A key of :data:`LIBRARIES`.
    call
        The library's call with its defaults, a Python expression (see the module docstring).
    recipe
        An expression that gives lossbook's number; ``None`` where the library's function is a
        different loss under the same name (then ``note`` says what it is).
    gives
        What ``recipe`` returns: ``"per-sample"`` losses, the mean ``"cost"``, or for a penalty
        its ``"value"`` or ``"gradient"``.
    default_is
        What ``call`` returns, as an expression in ``ell`` (lossbook's per-sample losses) and the
        parameters, e.g. ``"ell.mean() / delta"``; ``None`` where it is no function of ``ell``.
    note
        The convention a reader must know, in one sentence: argument order, reduction, scaling,
        label set, clipping. Each is checked by a test.
    labels
        For margin losses, the label set the library expects, ``"{-1, +1}"`` or
        ``"{0, 1} or {-1, +1}"`` (it maps {0, 1}); checked by a test.
    params
        Parameter values the tests and the appendix use with this entry (lossbook's names).
    extremes
        How the library's number differs from lossbook's on extreme inputs (a probability of
        exactly 0 or 1, a logit of 800), or ``""`` where it agrees; a test checks both ways.
    hard_labels
        The library agrees with lossbook for hard labels only (soft targets are a different loss).
    row_gradient
        The library renormalises each row of probabilities, so its gradient differs from
        lossbook's by a constant per row: the same along the simplex, where rows sum to 1.
    valid
        A NumPy expression in ``y`` and ``p``, True where the library's function is lossbook's
        (``""``: everywhere in lossbook's domain).
    rtol
        The relative tolerance of the comparison with lossbook on random inputs: 1e-10 unless the
        library changes the number by design (Keras's 1e-7 inside a logarithm, float32).
    """

    name: str
    library: str
    call: str
    recipe: str | None
    gives: Gives = "per-sample"
    default_is: str | None = "ell"
    note: str = ""
    labels: str = ""
    params: Mapping[str, float | None] = field(default_factory=dict)
    extremes: str = ""
    hard_labels: bool = False
    row_gradient: bool = False
    valid: str = ""
    rtol: float = 1e-10

    def __post_init__(self) -> None:
        if self.library not in LIBRARIES:
            raise ValueError(f"library must be one of {list(LIBRARIES)}, got {self.library!r}")
        if self.gives not in ("per-sample", "cost", "value", "gradient"):
            raise ValueError(f"gives must be 'per-sample', 'cost', 'value' or 'gradient', got {self.gives!r}")


#: The relative tolerance of a Keras value, which Keras averages over the last axis in float32.
KERAS_MEAN_RTOL = 1e-6


def _c(name: str, library: str, call: str, recipe: str | None, **kw: Any) -> Counterpart:
    return Counterpart(name=name, library=library, call=call, recipe=recipe, **kw)


# The expressions below are run by the tests and printed by the appendix: keep them short and in
# the library's own idiom. Keras's loss functions average over the last axis, so lossbook's (n,)
# arrays go in as (n, 1) columns, y[:, None], to get one loss per sample; that mean is computed in
# float32 even for float64 inputs (keras.ops.mean on the JAX backend), hence KERAS_MEAN_RTOL.
#: Every counterpart of every loss and penalty, in the registry's order, library by library.
COUNTERPARTS: tuple[Counterpart, ...] = (
    # -- regression ---------------------------------------------------------------------------
    _c("squared_error", "scikit-learn", "metrics.mean_squared_error(y, p)", "metrics.mean_squared_error(y, p)",
       gives="cost", default_is="ell.mean()", note="(y_true, y_pred); a mean."),
    _c("squared_error", "PyTorch", "F.mse_loss(p, y)", "F.mse_loss(p, y, reduction='none')",
       default_is="ell.mean()", note="(input, target): prediction first; reduction 'mean'."),
    _c("squared_error", "Keras", "keras.losses.mean_squared_error(y, p)",
       "keras.losses.mean_squared_error(y[:, None], p[:, None])", default_is="ell.mean()",
       rtol=KERAS_MEAN_RTOL, note="(y_true, y_pred); averages over the last axis, so an (n,) input gives one number."),
    _c("squared_error", "Optax", "optax.losses.squared_error(p, y)", "optax.losses.squared_error(p, y)",
       note="(predictions, targets); per sample, no reduction."),
    _c("squared_error", "Optax", "optax.losses.l2_loss(p, y)", "2 * optax.losses.l2_loss(p, y)",
       default_is="ell / 2", note="l2_loss is half the squared error."),
    _c("absolute_error", "scikit-learn", "metrics.mean_absolute_error(y, p)", "metrics.mean_absolute_error(y, p)",
       gives="cost", default_is="ell.mean()", note="(y_true, y_pred); a mean."),
    _c("absolute_error", "PyTorch", "F.l1_loss(p, y)", "F.l1_loss(p, y, reduction='none')",
       default_is="ell.mean()", note="(input, target); reduction 'mean'."),
    _c("absolute_error", "Keras", "keras.losses.mean_absolute_error(y, p)",
       "keras.losses.mean_absolute_error(y[:, None], p[:, None])", default_is="ell.mean()",
       rtol=KERAS_MEAN_RTOL, note="(y_true, y_pred); averages over the last axis."),
    _c("huber", "SciPy", "special.huber(delta, p - y)", "special.huber(delta, p - y)",
       params={"delta": 1.5}, note="(delta, residual); per sample."),
    _c("huber", "PyTorch", "F.huber_loss(p, y, delta=delta)", "F.huber_loss(p, y, delta=delta, reduction='none')",
       params={"delta": 1.5}, default_is="ell.mean()", note="(input, target); reduction 'mean'."),
    _c("huber", "PyTorch", "F.smooth_l1_loss(p, y, beta=delta)",
       "delta * F.smooth_l1_loss(p, y, beta=delta, reduction='none')",
       params={"delta": 1.5}, default_is="ell.mean() / delta",
       note="smooth L1 is Huber divided by delta (beta): the same only at delta = 1."),
    _c("huber", "Keras", "keras.losses.huber(y, p, delta=delta)",
       "keras.losses.huber(y[:, None], p[:, None], delta=delta)",
       params={"delta": 1.5}, default_is="ell.mean()", rtol=KERAS_MEAN_RTOL, note="(y_true, y_pred); averages over the last axis."),
    _c("huber", "Optax", "optax.losses.huber_loss(p, y, delta=delta)", "optax.losses.huber_loss(p, y, delta=delta)",
       params={"delta": 1.5}, note="(predictions, targets); per sample."),
    _c("pseudo_huber", "SciPy", "special.pseudo_huber(delta, p - y)", "special.pseudo_huber(delta, p - y)",
       params={"delta": 1.5}, note="(delta, residual); per sample."),
    _c("log_cosh", "Keras", "keras.losses.log_cosh(y, p)", "keras.losses.log_cosh(y[:, None], p[:, None])",
       default_is="ell.mean()", rtol=KERAS_MEAN_RTOL, note="(y_true, y_pred); averages over the last axis."),
    _c("log_cosh", "Optax", "optax.losses.log_cosh(p, y)", "optax.losses.log_cosh(p, y)",
       note="(predictions, targets); per sample."),
    _c("squared_log_error", "scikit-learn", "metrics.mean_squared_log_error(y, p)",
       "metrics.mean_squared_log_error(y, p)", gives="cost", default_is="ell.mean()",
       note="(y_true, y_pred); a mean; refuses values of -1 or less."),
    _c("squared_log_error", "Keras", "keras.losses.mean_squared_logarithmic_error(y, p)",
       "keras.losses.mean_squared_logarithmic_error(y[:, None], p[:, None])", default_is="ell.mean()",
       valid="(y >= 0) & (p >= 0)",
       rtol=KERAS_MEAN_RTOL, note="(y_true, y_pred); averages over the last axis; clips both to at least 1e-7, so "
            "values in (-1, 0) count as 1e-7."),
    _c("pinball", "scikit-learn", "metrics.mean_pinball_loss(y, p, alpha=quantile)",
       "metrics.mean_pinball_loss(y, p, alpha=quantile)", gives="cost", params={"quantile": 0.8},
       default_is="ell.mean()", note="(y_true, y_pred); the quantile is called alpha (default 0.5)."),
    _c("poisson_deviance", "scikit-learn", "metrics.mean_poisson_deviance(y, p)",
       "metrics.mean_poisson_deviance(y, p)", gives="cost", default_is="ell.mean()",
       note="(y_true, y_pred); a mean."),
    _c("poisson_deviance", "PyTorch", "F.poisson_nll_loss(p, y)",
       "2 * (F.poisson_nll_loss(torch.log(p), y, reduction='none') - y + torch.xlogy(y, y))",
       default_is=None,
       note="the negative log-likelihood, not the deviance: its input is log(p) unless log_input=False, "
            "and it drops the terms without p."),
    _c("poisson_deviance", "Keras", "keras.losses.poisson(y, p)", None, default_is=None,
       note="the negative log-likelihood p - y log(p + 1e-7), without the terms free of p, averaged in "
            "float32: no exact recipe for the deviance."),
    # -- binary -------------------------------------------------------------------------------
    _c("binary_cross_entropy", "scikit-learn", "metrics.log_loss(y, p)", "metrics.log_loss(y, p)",
       gives="cost", default_is="ell.mean()",
       note="(y_true, y_pred); a mean; clips p to [eps, 1 - eps], eps of float64, as lossbook."),
    _c("binary_cross_entropy", "PyTorch", "F.binary_cross_entropy(p, y)",
       "F.binary_cross_entropy(p, y, reduction='none')", default_is="ell.mean()",
       extremes="clamps each log at -100 instead of clipping p: a confidently wrong probability (p = 0 for y = 1) costs 100, not -log(eps).",
       note="(input, target); reduction 'mean'; clamps each log at -100 instead of clipping p; no pos_weight."),
    _c("binary_cross_entropy", "Keras", "keras.losses.binary_crossentropy(y, p)",
       "keras.losses.binary_crossentropy(y[:, None], p[:, None])", default_is="ell.mean()", rtol=KERAS_MEAN_RTOL,
       extremes="clips p to [1e-7, 1 - 1e-7]: a confidently wrong probability costs -log(1e-7) instead of -log(eps), a confidently right one 1e-7 instead of about eps.",
       note="(y_true, y_pred); averages over the last axis; clips p to [1e-7, 1 - 1e-7]."),
    _c("binary_cross_entropy_with_logits", "scikit-learn", "metrics.log_loss(y, special.expit(p))",
       "metrics.log_loss(y, special.expit(p))", gives="cost", default_is="ell.mean()",
       extremes="beyond a logit of about 36 the sigmoid rounds to 0 or 1, which log_loss clips: the cost of a confidently wrong logit stops growing at -log(eps).",
       note="log_loss takes probabilities: a logit goes through the sigmoid first (and is clipped)."),
    _c("binary_cross_entropy_with_logits", "PyTorch",
       "F.binary_cross_entropy_with_logits(p, y, pos_weight=torch.tensor(pos_weight))",
       "F.binary_cross_entropy_with_logits(p, y, pos_weight=torch.tensor(pos_weight), reduction='none')",
       params={"pos_weight": 3.0}, default_is="ell.mean()",
       note="(input, target); reduction 'mean'; pos_weight as lossbook's (a tensor)."),
    _c("binary_cross_entropy_with_logits", "Keras", "keras.losses.binary_crossentropy(y, p, from_logits=True)",
       "keras.losses.binary_crossentropy(y[:, None], p[:, None], from_logits=True)", default_is="ell.mean()",
       rtol=KERAS_MEAN_RTOL, note="the same function as for probabilities, with from_logits=True."),
    _c("binary_cross_entropy_with_logits", "Optax", "optax.losses.sigmoid_binary_cross_entropy(p, y)",
       "optax.losses.sigmoid_binary_cross_entropy(p, y)", note="(logits, labels); per sample."),
    _c("focal", "Keras", "keras.losses.binary_focal_crossentropy(y, p, gamma=gamma)",
       "keras.losses.binary_focal_crossentropy(y[:, None], p[:, None], gamma=gamma)",
       params={"gamma": 2.0, "alpha": None}, default_is="ell.mean()", rtol=KERAS_MEAN_RTOL,
       hard_labels=True, extremes="clips p to [1e-7, 1 - 1e-7]: a confidently wrong probability costs -log(1e-7) instead of -log(eps), a confidently right one 1e-7 instead of about eps.",
       note="(y_true, y_pred); alpha only with apply_class_balancing=True (then alpha=0.25 by default); "
            "clips p like its cross-entropy. With soft labels it is another loss: its focal factor uses p_t = y p + (1 - y)(1 - p), lossbook is linear in y."),
    _c("focal", "Keras", "keras.losses.binary_focal_crossentropy(y, p, apply_class_balancing=True, alpha=alpha)",
       "keras.losses.binary_focal_crossentropy(y[:, None], p[:, None], apply_class_balancing=True, "
       "alpha=alpha, gamma=gamma)",
       params={"gamma": 2.0, "alpha": 0.25}, default_is="ell.mean()", rtol=KERAS_MEAN_RTOL,
       hard_labels=True, extremes="clips p to [1e-7, 1 - 1e-7]: a confidently wrong probability costs -log(1e-7) instead of -log(eps), a confidently right one 1e-7 instead of about eps.",
       note="class balancing weighs positives by alpha and negatives by 1 - alpha, as lossbook's alpha. With soft labels it is another loss: its focal factor uses p_t = y p + (1 - y)(1 - p), lossbook is linear in y."),
    _c("focal_with_logits", "Keras", "keras.losses.binary_focal_crossentropy(y, p, from_logits=True)",
       "keras.losses.binary_focal_crossentropy(y[:, None], p[:, None], gamma=gamma, from_logits=True)",
       params={"gamma": 2.0, "alpha": None}, default_is="ell.mean()", rtol=KERAS_MEAN_RTOL,
       hard_labels=True, extremes="the sigmoid's output is clipped to [1e-7, 1 - 1e-7]: a confidently wrong logit costs at most -log(1e-7), however large.",
       note="from_logits=True; the sigmoid's output is still clipped to [1e-7, 1 - 1e-7]. With soft labels it is another loss: its focal factor uses p_t = y p + (1 - y)(1 - p), lossbook is linear in y."),
    _c("focal_with_logits", "Optax", "optax.losses.sigmoid_focal_loss(p, y, alpha=alpha)",
       "optax.losses.sigmoid_focal_loss(p, y, alpha=alpha, gamma=gamma)",
       params={"gamma": 2.0, "alpha": 0.25},
       hard_labels=True, note="(logits, labels); per sample; alpha=None, gamma=2 by default, as lossbook. With soft labels it is another loss: its focal factor uses p_t = y p + (1 - y)(1 - p), lossbook is linear in y."),
    _c("hinge", "scikit-learn", "metrics.hinge_loss(y, p)", "metrics.hinge_loss(y, p)", gives="cost",
       default_is="ell.mean()", labels="{0, 1} or {-1, +1}",
       note="(y_true, decision); a mean; any two labels, the larger one positive."),
    _c("hinge", "Keras", "keras.losses.hinge(y, p)", "keras.losses.hinge(y[:, None], p[:, None])",
       default_is="ell.mean()", labels="{0, 1} or {-1, +1}",
       rtol=KERAS_MEAN_RTOL, note="(y_true, y_pred); averages over the last axis; maps labels {0, 1} to {-1, +1}."),
    _c("hinge", "Optax", "optax.losses.hinge_loss(p, y)", "optax.losses.hinge_loss(p, jnp.where(y == 0, -1.0, y))",
       labels="{-1, +1}", note="(scores, targets); per sample; labels must be -1 and +1: 0 is not mapped."),
    _c("squared_hinge", "Keras", "keras.losses.squared_hinge(y, p)",
       "keras.losses.squared_hinge(y[:, None], p[:, None])", default_is="ell.mean()",
       labels="{0, 1} or {-1, +1}", rtol=KERAS_MEAN_RTOL, note="(y_true, y_pred); averages over the last axis; maps {0, 1}."),
    # -- multi-class --------------------------------------------------------------------------
    _c("categorical_cross_entropy", "scikit-learn", "metrics.log_loss(y, p)", "metrics.log_loss(y, p)",
       gives="cost", default_is="ell.mean()",
       note="(y_true, y_pred); y one-hot (or labels); a mean; clips like lossbook."),
    _c("categorical_cross_entropy", "PyTorch", "F.cross_entropy(torch.log(p), y)",
       "F.cross_entropy(torch.log(p), y, reduction='none')", default_is="ell.mean()",
       row_gradient=True, extremes="log 0 = -inf: infinite where the target's class has p = 0, nan (0 times -inf) wherever a row of p has an exact 0.",
       note="cross_entropy takes logits; log p are logits of p (a log-softmax leaves them unchanged)."),
    _c("categorical_cross_entropy", "Keras", "keras.losses.categorical_crossentropy(y, p)",
       "keras.losses.categorical_crossentropy(y, p)", rtol=1e-6,
       row_gradient=True, extremes="clips p to [1e-7, 1 - 1e-7]: a confidently wrong probability costs -log(1e-7) instead of -log(eps), a confidently right one 1e-7 instead of about eps.",
       note="(y_true, y_pred); per row; rescales each row of p to sum 1, clips to [1e-7, 1 - 1e-7]."),
    _c("categorical_cross_entropy", "Optax", "optax.losses.softmax_cross_entropy(jnp.log(p), y)",
       "optax.losses.softmax_cross_entropy(jnp.log(p), y)", row_gradient=True, extremes="log 0 = -inf: infinite where the target's class has p = 0, nan (0 times -inf) wherever a row of p has an exact 0.",
       note="(logits, labels); per row; log p as logits."),
    _c("softmax_cross_entropy", "PyTorch", "F.cross_entropy(p, y, label_smoothing=label_smoothing)",
       "F.cross_entropy(p, y, label_smoothing=label_smoothing, reduction='none')",
       params={"label_smoothing": 0.1}, default_is="ell.mean()",
       note="(input, target); reduction 'mean'; target one-hot/soft rows or class indices."),
    _c("softmax_cross_entropy", "Keras",
       "keras.losses.categorical_crossentropy(y, p, from_logits=True, label_smoothing=label_smoothing)",
       "keras.losses.categorical_crossentropy(y, p, from_logits=True, label_smoothing=label_smoothing)",
       params={"label_smoothing": 0.1}, note="(y_true, y_pred); per row; from_logits=True."),
    _c("softmax_cross_entropy", "Optax", "optax.losses.softmax_cross_entropy(p, y)",
       "optax.losses.softmax_cross_entropy(p, optax.smooth_labels(y, label_smoothing))",
       params={"label_smoothing": 0.1}, default_is=None,
       note="(logits, labels); per row; label smoothing is a separate function."),
    _c("sparse_categorical_cross_entropy", "scikit-learn", "metrics.log_loss(y, p)",
       "metrics.log_loss(y, p, labels=np.arange(k))", gives="cost", default_is="ell.mean()",
       note="(y_true, y_pred); labels=... when a class is missing from y."),
    _c("sparse_categorical_cross_entropy", "PyTorch", "F.nll_loss(torch.log(p), y)",
       "F.nll_loss(torch.log(p), y, reduction='none')", default_is="ell.mean()",
       extremes="log 0 = -inf: infinite where p_y = 0, where lossbook's clipped p gives -log(eps).",
       note="nll_loss takes log-probabilities (input, target); reduction 'mean'."),
    _c("sparse_categorical_cross_entropy", "Keras", "keras.losses.sparse_categorical_crossentropy(y, p)",
       "keras.losses.sparse_categorical_crossentropy(y, p)", rtol=1e-6,
       row_gradient=True, extremes="clips p to [1e-7, 1 - 1e-7]: a confidently wrong probability costs -log(1e-7) instead of -log(eps), a confidently right one 1e-7 instead of about eps.",
       note="(y_true, y_pred); per row; clips p like its categorical cross-entropy."),
    _c("sparse_categorical_cross_entropy", "Optax",
       "optax.losses.softmax_cross_entropy_with_integer_labels(jnp.log(p), y)",
       "optax.losses.softmax_cross_entropy_with_integer_labels(jnp.log(p), y)",
       row_gradient=True, extremes="log 0 = -inf: infinite where p_y = 0, where lossbook's clipped p gives -log(eps).",
       note="(logits, labels); per row; log p as logits."),
    _c("multiclass_hinge", "scikit-learn", "metrics.hinge_loss(y, p)", "metrics.hinge_loss(y, p, labels=np.arange(k))",
       gives="cost", default_is="ell.mean()", note="(y_true, decision); Crammer-Singer; a mean."),
    _c("multiclass_hinge", "PyTorch", "F.multi_margin_loss(p, y)", None, default_is=None,
       note="Weston-Watkins, not Crammer-Singer: the sum over every wrong class of max(0, 1 - s_y + s_c), "
            "divided by k."),
    _c("multiclass_hinge", "Keras", "keras.losses.categorical_hinge(y, p)",
       "keras.losses.categorical_hinge(jnp.eye(k)[y], p - p.min(axis=1, keepdims=True) + 1)", default_is=None,
       note="(y_true one-hot, y_pred); takes the best wrong score as at least 0, so it agrees only "
            "where some wrong score is positive."),
    _c("multiclass_hinge", "Optax", "optax.losses.multiclass_hinge_loss(p, y)",
       "optax.losses.multiclass_hinge_loss(p, y)", note="(scores, labels); per row; Crammer-Singer."),
    # -- penalties ----------------------------------------------------------------------------
    _c("l1", "Keras", "keras.regularizers.L1(l1=lam)(theta)", "keras.regularizers.L1(l1=lam)(theta) / lam",
       gives="value", params={"lam": 0.01}, default_is=None, note="lam times the sum of |theta_j|; l1=0.01 by default."),
    _c("l1", "PyTorch", "torch.linalg.vector_norm(theta, 1)", "torch.linalg.vector_norm(theta, 1)",
       gives="value", default_is=None, note="no penalty object: the norm, added to the cost by hand."),
    _c("l2", "Keras", "keras.regularizers.L2(l2=lam)(theta)", "keras.regularizers.L2(l2=lam)(theta) / (2 * lam)",
       gives="value", params={"lam": 0.01}, default_is=None,
       note="lam times the sum of theta_j^2: no 1/2, so Keras's l2=lam is lossbook's 2 lam."),
    _c("l2", "PyTorch", "torch.optim.SGD([theta], lr=1.0, weight_decay=lam)",
       "weight_decay_step(torch.optim.SGD, theta, lam)", gives="gradient", params={"lam": 0.1}, default_is=None,
       note="weight_decay=lam adds lam theta to the gradient: the gradient of lam times lossbook's l2."),
    _c("l2", "Optax", "optax.add_decayed_weights(lam)", "decayed_weights(theta, lam)", gives="gradient",
       params={"lam": 0.1}, default_is=None,
       note="adds lam theta to the update: the gradient of lam times lossbook's l2."),
    _c("elastic_net", "Keras", "keras.regularizers.L1L2(l1=lam * l1_ratio, l2=lam * (1 - l1_ratio) / 2)(theta)",
       "keras.regularizers.L1L2(l1=lam * l1_ratio, l2=lam * (1 - l1_ratio) / 2)(theta) / lam",
       gives="value", params={"lam": 0.01, "l1_ratio": 0.3}, default_is=None,
       note="l1 |theta| plus l2 theta^2 with separate strengths, both 0 by default."),
)


def counterparts_of(name: str, library: str | None = None) -> list[Counterpart]:
    """The entries of :data:`COUNTERPARTS` for the loss or penalty ``name`` (and ``library``)."""
    return [c for c in COUNTERPARTS if c.name == name and library in (None, c.library)]


def available(library: str) -> bool:
    """Whether ``library`` (a key of :data:`LIBRARIES`) is installed, without importing it."""
    if library not in LIBRARIES:
        raise ValueError(f"library must be one of {list(LIBRARIES)}, got {library!r}")
    return importlib.util.find_spec(LIBRARIES[library]) is not None


def _prepare(library: str) -> None:
    if library in ("Keras", "Optax"):
        if library == "Keras":
            backend = os.environ.setdefault("KERAS_BACKEND", "jax")
            if backend != "jax":
                raise ValueError(f"Keras is compared on the JAX backend; KERAS_BACKEND is {backend!r}")
        jax = importlib.import_module("jax")
        jax.config.update("jax_enable_x64", True)
        if library == "Keras":
            # Keras casts its inputs to float32 (its floatx) unless told otherwise.
            importlib.import_module("keras").config.set_floatx("float64")


def to_library(library: str, array: Any) -> Any:
    """``array`` (NumPy) as ``library``'s array type: a tensor for PyTorch, a JAX array for Keras and Optax."""
    array = np.asarray(array)
    if library == "PyTorch":
        return importlib.import_module("torch").from_numpy(array.copy())
    if library in ("Keras", "Optax"):
        _prepare(library)
        return importlib.import_module("jax.numpy").asarray(array)
    return array


def _helpers(library: str) -> dict[str, Any]:
    # The two penalty "recipes" that need a statement, not an expression: one optimiser step from
    # a zero gradient with step 1 returns what the weight decay adds to it.
    if library == "PyTorch":
        torch = importlib.import_module("torch")

        def weight_decay_step(optimiser: Any, theta: Any, lam: float) -> Any:
            start = theta.detach().clone().requires_grad_(True)
            step = optimiser([start], lr=1.0, weight_decay=lam)
            start.grad = torch.zeros_like(start)
            step.step()
            return theta - start.detach()

        return {"weight_decay_step": weight_decay_step}
    if library == "Optax":
        optax = importlib.import_module("optax")
        jnp = importlib.import_module("jax.numpy")

        def decayed_weights(theta: Any, lam: float) -> Any:
            transform = optax.add_decayed_weights(lam)
            updates, _ = transform.update(jnp.zeros_like(theta), transform.init(theta), theta)
            return updates

        return {"decayed_weights": decayed_weights}
    return {}


def evaluate(expression: str, library: str, variables: Mapping[str, Any]) -> Any:
    """Run ``expression`` (a ``call`` or ``recipe``) with ``library``'s modules and ``variables``.

    ``variables`` holds ``y``, ``p`` (or ``theta``) already converted with :func:`to_library`, and
    the parameters. Returns what the library returns (a tensor, a JAX or NumPy array, a float).
    """
    if library not in LIBRARIES:
        raise ValueError(f"library must be one of {list(LIBRARIES)}, got {library!r}")
    _prepare(library)
    namespace: dict[str, Any] = {short: importlib.import_module(module) for short, module in NAMESPACES[library].items()}
    namespace.update(_helpers(library))
    namespace.update(variables)
    return eval(expression, namespace)


def as_numpy(value: Any) -> np.ndarray:
    """A library's result as a float64 NumPy array (detached from any autograd graph)."""
    if hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    return np.asarray(value, dtype=np.float64)
