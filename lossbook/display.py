"""Numbers as the book shows them: rounded to the digits the text needs.

The last digits of a float depend on the CPU that computed it. NumPy, OpenBLAS and Numba pick
SIMD kernels by processor (SSE4, AVX2, AVX-512), and each sums and rounds in its own order, so
a mean of a million numbers may differ in its fifteenth significant digit from one machine to
the next. A stored notebook output must be what any machine prints, so the chapters show and
glue numbers through :func:`significant`, never as a full ``repr``. Four significant digits
are the default: enough that a real change (a loss scaled by 1.001) still changes the output,
few enough that round-off never does.
"""

from __future__ import annotations

import math
from typing import overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validation as v

__all__ = ["significant"]


@overload
def significant(value: float, digits: int = 4) -> float: ...
@overload
def significant(value: NDArray[np.floating], digits: int = 4) -> NDArray[np.float64]: ...


def significant(value: ArrayLike, digits: int = 4) -> float | NDArray[np.float64]:
    """Round ``value`` to ``digits`` significant digits.

    Parameters
    ----------
    value
        A real number (returned as a Python ``float``) or an array of them (returned as a
        float64 array of the same shape). Zero, NaN and infinities are returned unchanged.
    digits
        How many significant digits to keep, at least 1.

    Returns
    -------
    The rounded number(s): :math:`\\operatorname{round}(x \\cdot 10^{d - 1 - e}) / 10^{d - 1 - e}`
    with :math:`e = \\lfloor \\log_{10} |x| \\rfloor`.

    Examples
    --------
    >>> significant(274785.386079915)
    274800.0
    >>> significant(-0.799999999, 3)
    -0.8
    >>> significant(0.1976263, 4)
    0.1976
    """
    digits = v.whole_number(digits, "digits", minimum=1)
    if np.ndim(value) == 0:
        x = float(value)  # type: ignore[arg-type]
        if x == 0.0 or not math.isfinite(x):
            return x
        # format's "g" rounds correctly (half to even on the decimal digits of the binary value)
        return float(f"{x:.{digits}g}")
    array = np.asarray(value, dtype=np.float64)
    return np.array([significant(float(x), digits) for x in array.ravel()]).reshape(array.shape)
