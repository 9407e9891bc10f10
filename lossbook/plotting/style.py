"""The book's single plotting style: the Okabe–Ito palette and matplotlib settings."""

from __future__ import annotations

from typing import Any, NamedTuple

import matplotlib as mpl
from cycler import cycler

__all__ = ["PALETTE", "Palette", "use_book_style"]


class Palette(NamedTuple):
    """The Okabe–Ito colour-blind-safe palette, as hexadecimal RGB strings."""

    blue: str = "#0072B2"
    orange: str = "#E69F00"
    bluish_green: str = "#009E73"
    vermillion: str = "#D55E00"
    reddish_purple: str = "#CC79A7"
    sky_blue: str = "#56B4E9"
    yellow: str = "#F0E442"
    black: str = "#000000"


PALETTE = Palette()
"""The book's colours. Field order is the colour cycle: the strongest contrasts on a
white background come first, yellow (weak on white) comes last, and black is kept out
of the cycle for reference lines such as y = x."""

_CYCLE = tuple(PALETTE)[:-1]

_BOOK_RC: dict[str, Any] = {
    # Size: a 6.4 in wide figure at 110 dpi is about 700 px, the width of the page's
    # text column, so figures are shown near 1:1 and PNGs stay small.
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 110,
    "savefig.dpi": 110,
    "savefig.format": "png",
    "figure.constrained_layout.use": True,
    # Opaque white background: legible in the theme's dark mode.
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    # Readable text at the page's scale.
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.framealpha": 0.9,
    # A light grid behind the data, and no box on the top and right.
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#d9d9d9",
    "grid.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=list(_CYCLE)),
    "lines.linewidth": 2.0,
    "lines.markersize": 6.0,
    "scatter.edgecolors": "face",
    "image.cmap": "cividis",
}


def use_book_style() -> None:
    """Apply the book's matplotlib style to the current session.

    Sets ``matplotlib.rcParams``: figure size (6.4 × 4.0 in) and resolution (110 dpi),
    white figure and axes backgrounds, font sizes, a light grid, the
    :data:`PALETTE` colours as the colour cycle and ``cividis`` (perceptually uniform
    and colour-blind safe) as the colour map. When run inside IPython it also asks the
    inline backend for PNG output only: PNG is not compared by nbval, while SVG would
    be, and its text differs from one matplotlib version to the next.

    Returns
    -------
    None
    """
    mpl.rcParams.update(_BOOK_RC)  # type: ignore[arg-type]  # matplotlib checks the keys at run time
    _use_png_inline()


def _use_png_inline() -> None:
    # Only inside a running IPython shell: creating one here would be a side effect.
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    if get_ipython() is not None:
        set_matplotlib_formats("png")
