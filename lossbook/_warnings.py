"""Warnings that point at the reader's own line of code.

A warning raised deep inside lossbook (an optimiser called by a model's ``fit``, itself wrapped
by NumPy's ``errstate``) would, with a fixed ``stacklevel``, be attributed to one of those
frames: a student would not see their own line, and ``warnings.filterwarnings(module=...)``
could not target it. :func:`warn` attributes it to the first frame outside lossbook, NumPy and
:mod:`contextlib`, wherever the call came from.
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings as _std
from types import FrameType

import numpy as np

__all__ = ["warn"]

_SKIP = (
    os.path.dirname(os.path.abspath(__file__)) + os.sep,  # lossbook
    os.path.dirname(os.path.abspath(np.__file__)) + os.sep,  # NumPy (errstate's wrapper)
    os.path.abspath(contextlib.__file__),  # the decorator machinery errstate uses
)


def warn(message: str, category: type[Warning]) -> None:
    """Issue ``category(message)``, attributed to the first caller outside lossbook and NumPy."""
    level = 1
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_SKIP):
        level += 1
        frame = frame.f_back
    _std.warn(message, category, stacklevel=level + 1)
