"""Decision boundaries and decision regions of two-feature classifiers."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.contour import ContourSet

from lossbook.models import LogisticRegression, SoftmaxRegression
from lossbook.plotting import PALETTE, plot_decision_boundaries, plot_decision_regions


class VerticalLine:
    """Score x0 - c: the boundary is the vertical line x0 = c."""

    def __init__(self, c: float) -> None:
        self.c = c

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        return X[:, 0] - self.c


class Quadrants:
    """Class 0 left of x0 = 0, class 1 bottom right, class 2 top right."""

    def predict(self, X: np.ndarray) -> np.ndarray:
        return np.where(X[:, 0] < 0, 0, np.where(X[:, 1] < 0, 1, 2))


@pytest.fixture
def binary_data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    return X, (X[:, 0] + 0.3 * rng.normal(size=60) > 0).astype(int)


def contour_sets(ax: plt.Axes) -> list[ContourSet]:
    return [c for c in ax.collections if isinstance(c, ContourSet)]


def legend_texts(ax: plt.Axes) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_boundary_is_where_the_score_is_zero(binary_data) -> None:
    X, y = binary_data
    ax = plot_decision_boundaries(X, y, {"at 0.25": VerticalLine(0.25)}, feature_names=("a (cm)", "b (cm)"))
    assert ax is plt.gca()
    (boundary,) = contour_sets(ax)
    xs = np.concatenate([segment[:, 0] for segment in boundary.allsegs[0]])
    np.testing.assert_allclose(xs, 0.25, atol=1e-9)
    assert ax.get_xlabel() == "a (cm)" and ax.get_ylabel() == "b (cm)"
    n_pos = int(y.sum())
    assert legend_texts(ax) == [f"class 0 ({y.size - n_pos})", f"class 1 ({n_pos})", "at 0.25"]


def test_several_models_distinct_styles_and_signed_labels(binary_data) -> None:
    X, y = binary_data
    _fig, ax = plt.subplots()
    model = LogisticRegression().fit(X, y, n_epochs=200)
    out = plot_decision_boundaries(
        X, 2 * y - 1, {"logistic": model, "shifted": VerticalLine(0.5)}, ax=ax,
        class_names=("benign", "malignant"),
    )
    assert out is ax
    first, second = contour_sets(ax)
    assert first.get_linestyles() != second.get_linestyles() or first.get_edgecolor().tolist() != second.get_edgecolor().tolist()
    assert legend_texts(ax)[-2:] == ["logistic", "shifted"]
    # the point markers use the palette's blue and orange, never a boundary colour
    point_colours = {tuple(np.round(c.get_facecolor()[0][:3], 3)) for c in ax.collections if not isinstance(c, ContourSet)}
    blue, orange = (tuple(np.round(np.array(plt.matplotlib.colors.to_rgb(c)), 3)) for c in (PALETTE.blue, PALETTE.orange))
    assert point_colours == {blue, orange}


def test_no_boundary_in_view_is_said_not_drawn(binary_data) -> None:
    X, y = binary_data
    ax = plot_decision_boundaries(X, y, {"far away": VerticalLine(100.0)})
    assert not contour_sets(ax)
    assert legend_texts(ax)[-1] == "far away (no boundary in view)"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"models": {}}, "empty"),
        ({"X": np.zeros((5, 3))}, r"shape \(n, 2\)"),
        ({"X": [[0.0, np.nan], [1.0, 1.0]], "y": [0, 1]}, "finite"),
        ({"y": [0, 1, 2] * 20}, "binary labels"),
        ({"y": [0, 1]}, "one label per row"),
        ({"colors": ["k", "r"]}, "colors has 2 entries for 1 models"),
        ({"class_names": ("only one",)}, "class_names"),
        ({"feature_names": ("x",)}, "feature_names"),
        ({"resolution": 1}, "resolution"),
    ],
)
def test_boundary_bad_input(binary_data, kwargs, message) -> None:
    X, y = binary_data
    args = {"X": X, "y": y, "models": {"m": VerticalLine(0.0)}, **kwargs}
    with pytest.raises(ValueError, match=message):
        plot_decision_boundaries(**args)


def test_boundary_refuses_a_multiclass_score(binary_data) -> None:
    X, y = binary_data

    class TwoScores:
        def decision_function(self, X):
            return np.column_stack([X[:, 0], -X[:, 0]])

    with pytest.raises(ValueError, match="one score per row"):
        plot_decision_boundaries(X, y, {"two": TwoScores()})


def test_regions_colour_each_predicted_class() -> None:
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, size=(90, 2))
    y = Quadrants().predict(X)
    ax = plot_decision_regions(X, y, Quadrants(), class_names=("left", "bottom right", "top right"),
                               feature_names=("u (m)", "v (m)"))
    filled, borders = contour_sets(ax)
    assert filled.filled and len(filled.levels) == 4 and not borders.filled
    counts = np.bincount(y, minlength=3)
    assert legend_texts(ax) == [f"left ({counts[0]})", f"bottom right ({counts[1]})", f"top right ({counts[2]})"]
    assert ax.get_xlabel() == "u (m)"


def test_regions_default_names_and_a_fitted_softmax_model() -> None:
    rng = np.random.default_rng(2)
    centres = np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 3.0]])
    y = np.repeat(np.arange(3), 20)
    X = centres[y] + 0.5 * rng.normal(size=(60, 2))
    model = SoftmaxRegression(3).fit(X, y, n_epochs=300)
    ax = plot_decision_regions(X, y, model)
    assert [t.split(" (")[0] for t in legend_texts(ax)] == ["class 0", "class 1", "class 2"]


def test_regions_one_predicted_class_draws_no_borders() -> None:
    class Always:
        def predict(self, X):
            return np.ones(len(X), dtype=int)

    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.5]])
    ax = plot_decision_regions(X, [0, 1, 1], Always())
    assert len(contour_sets(ax)) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"y": [0.5] * 4}, "integer class labels"),
        ({"y": [0, 1, 2, 3], "class_names": ("a", "b", "c")}, r"class labels in \[0, 3\)"),
        ({"class_names": "abc"}, "class_names"),
        ({"class_names": [str(i) for i in range(8)]}, "at most 7 classes"),
        ({"alpha": 1.5}, "alpha"),
        ({"alpha": 0.0}, "alpha"),
        ({"X": np.zeros(4)}, r"shape \(n, 2\)"),
    ],
)
def test_regions_bad_input(kwargs, message) -> None:
    args = {"X": [[-1.0, -1.0], [1.0, -1.0], [1.0, 1.0], [-1.0, 1.0]], "y": [0, 1, 2, 0], "model": Quadrants(), **kwargs}
    with pytest.raises(ValueError, match=message):
        plot_decision_regions(**args)


def test_regions_refuse_predictions_outside_the_classes() -> None:
    class Wild:
        def predict(self, X):
            return np.full(len(X), 5)

    with pytest.raises(ValueError, match=r"model.predict"):
        plot_decision_regions([[0.0, 0.0], [1.0, 1.0]], [0, 1], Wild())
