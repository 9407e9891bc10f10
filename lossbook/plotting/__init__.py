"""The book's plotting style and the figures its chapters share.

This subpackage is the only part of :mod:`lossbook` that imports matplotlib; the rest of the
package needs NumPy alone, so ``import lossbook`` stays light.

Conventions
-----------
- One style for the whole book: call :func:`use_book_style` once at the top of a
  chapter. It sets matplotlib's ``rcParams`` (it does not return a context manager),
  so every later figure in the session follows it.
- Colours come from :data:`PALETTE`, the Okabe–Ito palette, which stays distinguishable
  under the common forms of colour-vision deficiency and in greyscale print.
- Figures have a white background even when the book is read in its dark theme: a
  transparent PNG would put black axis labels on a near-black page.
- Every helper draws on the ``ax`` it is given (or the current Axes) and returns that
  Axes, so a chapter can compose helpers into subplots and add its own labels.

One module per kind of figure: ``style`` (palette and settings), ``losses``, ``activations``,
``regression``, ``optimisation``, ``classification``, ``calibration`` (reliability diagrams);
everything public is imported from ``lossbook.plotting``, where the API reference documents it.
"""

from .activations import activation_label, plot_activation, plot_activation_grid, plot_layer_gradient_norms
from .calibration import plot_reliability_diagram
from .classification import plot_decision_boundaries, plot_decision_regions
from .losses import LossSpec, loss_label, plot_gradient_shapes, plot_loss_shapes
from .optimisation import plot_cost_contour, plot_cost_curves
from .regression import plot_actual_vs_predicted
from .style import PALETTE, Palette, use_book_style

__all__ = ["PALETTE", "LossSpec", "Palette", "activation_label", "plot_activation", "plot_activation_grid",
           "plot_layer_gradient_norms", "loss_label", "plot_actual_vs_predicted", "plot_cost_contour", "plot_cost_curves",
           "plot_gradient_shapes", "plot_loss_shapes", "plot_decision_boundaries", "plot_decision_regions",
           "plot_reliability_diagram", "use_book_style"]
