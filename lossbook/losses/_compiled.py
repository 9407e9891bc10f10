"""The optional compiled path of :meth:`Loss.cost` and :meth:`Loss.grad` for large inputs.

With Numba installed (``pip install "lossbook[fast]"``), a cost or gradient over a NumPy array
of at least :data:`COMPILED_FROM` numbers runs one kernel of :mod:`._kernels`: one pass over the
inputs on every core, the inputs' values checked in the same pass. Smaller inputs, lists,
weighted costs and any call whose kernel reports a problem take the NumPy path, which gives the
book's numbers to the last bit and every error message; so the compiled path changes speed,
never results beyond rounding, nor which inputs are refused.

Set the environment variable ``LOSSBOOK_COMPILED=0`` to turn the compiled path off; Numba's own
``NUMBA_NUM_THREADS`` sets how many cores it uses. The first large call of a process loads the
kernels (compiled once per machine and cached by Numba: 30 to 60 s the first time, about 0.5 s
after).
"""

from __future__ import annotations

import importlib.util
import math
import os
import warnings
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

import numpy as np

from .. import _validation as v

#: Inputs with at least this many numbers in ``y_pred`` use the compiled kernels (below it,
#: starting threads costs more than they save, and the NumPy path is already in the cache).
COMPILED_FROM = 1 << 17

#: Whether the compiled path is on: Numba is installed and ``LOSSBOOK_COMPILED`` is not "0".
ENABLED = os.environ.get("LOSSBOOK_COMPILED", "1") != "0" and importlib.util.find_spec("numba") is not None

_module: ModuleType | None = None

# Loss name -> (kind of input of the kernels, what is compiled): the losses with a kernel in
# _kernels.KERNELS, and the mean error's sum (a cost of lossbook.costs that is not a loss: it has
# no gradient kernel), listed here so that knowing which calls go compiled does not import Numba.
# Only the kernels that are at least 1.3 times faster than the NumPy path at 10^6 numbers, both
# natively and under emulated AVX2, exist (``python -m benchmarks.kernels`` measures it; the
# squared log error, the binary cross-entropy's cost, the log-cosh gradient and the multi-class
# hinge's cost lost to NumPy's AVX-512 exp and log, or to its own vectorised loops, and were
# deleted).
_BOTH = frozenset({"cost", "grad"})
METHODS: dict[str, tuple[str, frozenset[str]]] = {
    "mean_error": ("elementwise", frozenset({"cost"})),
    "squared_error": ("elementwise", _BOTH),
    "absolute_error": ("elementwise", _BOTH),
    "huber": ("elementwise", _BOTH),
    "pseudo_huber": ("elementwise", _BOTH),
    "log_cosh": ("elementwise", frozenset({"cost"})),
    "pinball": ("elementwise", _BOTH),
    "binary_cross_entropy": ("elementwise", frozenset({"grad"})),
    "binary_cross_entropy_with_logits": ("elementwise", _BOTH),
    "hinge": ("elementwise", _BOTH),
    "squared_hinge": ("elementwise", _BOTH),
    "categorical_cross_entropy": ("simplex", _BOTH),
    "softmax_cross_entropy": ("simplex", _BOTH),
    "sparse_categorical_cross_entropy": ("label", _BOTH),
    "multiclass_hinge": ("label", frozenset({"grad"})),
}


def kernels() -> ModuleType | None:
    """The kernels module, imported (and so compiled or loaded from Numba's cache) on first use;
    None, after one warning, if Numba is installed but cannot be used."""
    global _module, ENABLED
    if not ENABLED:
        return None
    if _module is None:
        try:
            from . import _kernels
        except Exception as err:
            ENABLED = False
            warnings.warn(f"lossbook: Numba is installed but unusable ({err}); using NumPy only", RuntimeWarning, stacklevel=3)
            return None
        _module = _kernels
    return _module


def backend() -> str | None:
    """A description of the compiled backend in use ("numba 0.68.1, 2 threads"), or None."""
    k = kernels()
    if k is None:
        return None
    import numba

    return f"numba {numba.__version__}, {numba.get_num_threads()} threads"


class Kernel:
    """The compiled cost and gradient of one loss; both return None when the NumPy path must decide."""

    def __init__(self, name: str, inputs: Callable[..., tuple[np.ndarray, np.ndarray]]) -> None:
        self.name = name
        self.kind, self.methods = METHODS[name]
        # Conversion and shapes only: the kernel checks the values itself.
        self._pair = (lambda y, p: v.real_pair(y, p, strict=False)) if self.kind == "elementwise" else (
            lambda y, p: inputs(y, p, False)
        )

    def _convert(self, y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
        y, p = self._pair(y_true, y_pred)
        # Numba compiles a kernel per memory layout and per writability of its arrays: a strided
        # view or a read-only array is copied (one pass) rather than compiled for (a minute).
        return _plain(y), _plain(p)

    def _prepare(self, y_true: Any, y_pred: Any, kw: Mapping[str, Any]) -> tuple[Any, np.ndarray, np.ndarray, tuple[float, ...]] | None:
        """This loss's kernels, the converted inputs and the loss's parameters, in order."""
        k = kernels()
        if k is None:
            return None
        y, p = self._convert(y_true, y_pred)
        return k.KERNELS[self.name], y, p, tuple(float(value) for value in kw.values())

    def total(self, y_true: Any, y_pred: Any, kw: Mapping[str, Any]) -> float | None:
        prepared = self._prepare(y_true, y_pred, kw)
        if prepared is None:
            return None
        compiled, y, p, params = prepared
        if self.kind == "elementwise":
            sums, tags = compiled.total(y, p, params)
            if _mixed_labels(tags):
                return None
        else:
            sums = compiled.total(y, p, params)
        if not np.isfinite(sums).all():
            return None  # an invalid input (or an overflow: the NumPy path sorts out which)
        try:
            return math.fsum(sums)  # exact, whatever the order the blocks were summed in
        except OverflowError:
            return None

    def grad(self, y_true: Any, y_pred: Any, kw: Mapping[str, Any]) -> np.ndarray | None:
        prepared = self._prepare(y_true, y_pred, kw)
        if prepared is None:
            return None
        compiled, y, p, params = prepared
        # The output is NumPy's: its allocator maps large arrays in huge pages, and np.zeros
        # gets zeroed pages from the system, where an array made in a kernel costs page faults.
        # (The label kernels write only the entries of the classes involved.)
        g = output_array(p.shape, np.zeros if self.kind == "label" else np.empty, y, p)
        if self.kind == "elementwise":
            witness, tags = compiled.grad(y, p, params, g)
            if _mixed_labels(tags):
                return None
        else:
            witness = compiled.grad(y, p, params, g)
        return g if np.isfinite(witness).all() else None


#: Numbers by which :func:`output_array` moves an output away from an input it would adjoin.
_SHIFT = 256


def adjoins(start: int, nbytes: int, x: np.ndarray) -> bool:
    """Whether the memory [start, start + nbytes) starts within a page of where ``x`` ends, or
    ends within a page of where it starts."""
    x_start = x.ctypes.data  # (1.3 us: each address is read once)
    return abs(start - (x_start + x.nbytes)) < 4096 or abs(x_start - (start + nbytes)) < 4096


def output_array(shape: tuple[int, ...], allocate: Callable[..., np.ndarray], *inputs: np.ndarray) -> np.ndarray:
    """A new float64 array for a kernel to write, not right next to one of its inputs.

    malloc places a large array right after the one freed or allocated before it, often an
    input of the same size; then the stores to g[i] and the loads of x[i] are one array length
    apart, which this CPU's memory pipeline handles badly (measured on the gradient of
    cross-entropy on logits at 10^6: 6.1 ms instead of 1.5 ms, the squared error's 0.7 ms
    instead of 0.3 ms; from 16 numbers further on, no effect). Such an output is allocated
    again, larger, and used from :data:`_SHIFT` numbers in."""
    out = allocate(shape)
    start = out.ctypes.data
    if not any(adjoins(start, out.nbytes, x) for x in inputs):
        return out
    size = math.prod(shape)
    return allocate(size + 2 * _SHIFT)[_SHIFT:_SHIFT + size].reshape(shape)


#: Bits of the label set the margin kernels report: a label 0 was seen, a label -1 was seen.
TAG_ZERO, TAG_MINUS_ONE = 1, 2


def _mixed_labels(tags: np.ndarray) -> bool:
    """Whether margin labels 0 and -1 were both seen (each label is fine; together they are not)."""
    return bool(np.bitwise_or.reduce(tags) == TAG_ZERO | TAG_MINUS_ONE)


def _plain(x: np.ndarray) -> np.ndarray:
    return x if x.flags.c_contiguous and x.flags.writeable else np.array(x, order="C")


def has_kernel(name: str, method: str | None = None) -> bool:
    """Whether the loss called ``name`` has a compiled kernel (for ``method``, "cost" or "grad", if given)."""
    return name in METHODS and (method is None or method in METHODS[name][1])


def kernel_for(name: str, inputs: Callable[..., tuple[np.ndarray, np.ndarray]], method: str) -> Kernel | None:
    """The compiled kernel of the loss called ``name`` for ``method`` ("cost" or "grad"), or None."""
    return Kernel(name, inputs) if has_kernel(name, method) else None


def applies(y_pred: Any) -> bool:
    """Whether a call with this ``y_pred`` takes the compiled path (a large NumPy array)."""
    return ENABLED and type(y_pred) is np.ndarray and y_pred.size >= COMPILED_FROM
