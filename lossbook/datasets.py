"""Data sets: real ones shipped with the package, and seeded synthetic generators.

Nothing here touches the network. Real data sets live in ``lossbook/data`` (sources and
licences in its README); generators take a ``seed`` and return the same data for the same seed.
Every loader returns a :class:`Dataset` with named features.

The Boston housing data set is deliberately absent: it was withdrawn from scikit-learn because
one of its features was constructed from the proportion of Black residents under an assumption
of racial self-segregation. :func:`make_housing` generates housing-style data instead, and
:func:`load_diabetes` is a real regression data set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

import numpy as np
from numpy.typing import NDArray

from . import _validation as v

__all__ = ["Dataset", "load_breast_cancer", "load_iris", "load_diabetes", "make_housing"]


@dataclass(frozen=True)
class Dataset:
    """Features, targets and what they mean.

    Attributes
    ----------
    X
        Features, shape ``(n, d)``.
    y
        Targets, shape ``(n,)``: real values, or integer class labels.
    feature_names
        One name per column of ``X``, with its unit where it has one.
    target_name
        What ``y`` measures.
    target_names
        For classification, the name of each class label (index = label).
    description
        Where the data come from and what to watch out for.
    outliers
        For generated data, a boolean mask of the rows that were made outliers.
    """

    X: NDArray[np.float64]
    y: NDArray[np.float64] | NDArray[np.intp]
    feature_names: tuple[str, ...]
    target_name: str
    description: str
    target_names: tuple[str, ...] = ()
    outliers: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def __repr__(self) -> str:
        kind = f"{len(self.target_names)} classes" if self.target_names else "real target"
        return f"Dataset({self.target_name!r}: {self.X.shape[0]} samples, {self.X.shape[1]} features, {kind})"

    def features(self, *names: str) -> NDArray[np.float64]:
        """The columns of ``X`` with the given names, in that order, shape ``(n, len(names))``."""
        missing = [n for n in names if n not in self.feature_names]
        if missing:
            raise ValueError(f"no feature(s) {missing}; the features are {list(self.feature_names)}")
        return self.X[:, [self.feature_names.index(n) for n in names]]


def _read_csv(name: str) -> tuple[list[str], NDArray[np.float64]]:
    with resources.files("lossbook").joinpath("data", name).open("r", encoding="utf-8") as f:
        header = f.readline().strip().split(",")
        values = np.loadtxt(f, delimiter=",", dtype=np.float64, ndmin=2)
    return header, values


def load_breast_cancer() -> Dataset:
    """Breast Cancer Wisconsin (Diagnostic): 569 tumours, 30 features, ``y = 1`` malignant.

    212 malignant and 357 benign. Features are the mean, standard error and "worst" (mean of
    the three largest values) of ten properties of the cell nuclei in a digitised image, e.g.
    ``mean_radius``, ``worst_area``, ``mean_symmetry``. Note that scikit-learn's copy codes
    malignant as 0; here the disease is the positive class, as in a diagnostic test.
    """
    header, data = _read_csv("breast_cancer.csv")
    return Dataset(
        X=data[:, :-1], y=data[:, -1].astype(np.intp), feature_names=tuple(header[:-1]),
        target_name="malignant", target_names=("benign", "malignant"),
        description="Breast Cancer Wisconsin (Diagnostic), Wolberg, Street & Mangasarian (1995), UCI, CC BY 4.0.",
    )


def load_iris() -> Dataset:
    """Fisher's iris: 150 flowers, 4 measurements in cm, 3 species of 50 (labels 0, 1, 2)."""
    header, data = _read_csv("iris.csv")
    return Dataset(
        X=data[:, :-1], y=data[:, -1].astype(np.intp), feature_names=tuple(header[:-1]),
        target_name="species", target_names=("setosa", "versicolor", "virginica"),
        description="Iris, R. A. Fisher (1936), UCI, CC BY 4.0.",
    )


def load_diabetes() -> Dataset:
    """Diabetes progression: 442 patients, 10 baseline variables, unscaled.

    ``y`` is a quantitative measure of disease progression one year after baseline (about 25 to
    346). Features: age in years, sex (coded 1/2), body-mass index (kg/m²), mean blood pressure
    (mm Hg) and six blood serum measurements. From Efron et al. (2004), "Least Angle Regression".
    """
    header, data = _read_csv("diabetes.csv")
    return Dataset(
        X=data[:, :-1], y=data[:, -1], feature_names=tuple(header[:-1]), target_name="progression",
        description="Diabetes, Efron, Hastie, Johnstone & Tibshirani (2004), Annals of Statistics.",
    )


def make_housing(
    n_samples: int = 500,
    *,
    seed: int = 0,
    outlier_fraction: float = 0.0,
    noise_df: float = 3.0,
    noise_scale: float = 15.0,
) -> Dataset:
    r"""Housing-style regression data: prices in thousands of euros (k€).

    Features: ``area_m2`` (living area, m²), ``rooms``, ``age_years`` (building age) and
    ``distance_km`` (to the city centre). The price is linear in them,

    .. math:: \text{price} = 40 + 2.5\,\text{area} + 6\,\text{rooms} - 0.5\,\text{age} - 4\,\text{distance} + \varepsilon,

    with heavy-tailed noise :math:`\varepsilon` (Student's t with ``noise_df`` degrees of
    freedom, scaled by ``noise_scale``): most errors are modest, a few are large, as with real
    prices. ``outlier_fraction`` of the rows are then made gross outliers, priced three to six
    times too high (think of a misplaced decimal point or a luxury sale); ``outliers`` marks them.

    Parameters
    ----------
    n_samples
        Number of houses.
    seed
        Seed of the generator: the same seed gives the same data.
    outlier_fraction
        Share of rows to corrupt, in [0, 0.5).
    noise_df, noise_scale
        Degrees of freedom (> 0; large means Gaussian) and scale of the noise, in k€.
    """
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) or n_samples < 2:
        raise ValueError(f"n_samples must be an integer >= 2, got {n_samples!r}")
    if not 0.0 <= float(outlier_fraction) < 0.5:
        raise ValueError(f"outlier_fraction must lie in [0, 0.5), got {outlier_fraction!r}")
    noise_df = v.positive(noise_df, "noise_df")
    noise_scale = v.non_negative(noise_scale, "noise_scale")
    rng = np.random.default_rng(seed)
    area = rng.gamma(shape=6.0, scale=15.0, size=n_samples) + 25.0
    rooms = np.clip(np.round(area / 30.0 + rng.normal(0.0, 0.7, n_samples)), 1, 10)
    age = rng.uniform(0.0, 80.0, n_samples)
    distance = rng.gamma(shape=2.0, scale=4.0, size=n_samples) + 0.3
    X = np.column_stack([area, rooms, age, distance])
    price = 40.0 + 2.5 * area + 6.0 * rooms - 0.5 * age - 4.0 * distance
    price = price + noise_scale * rng.standard_t(noise_df, n_samples)
    outliers = np.zeros(n_samples, dtype=bool)
    n_out = int(round(outlier_fraction * n_samples))
    if n_out:
        idx = rng.choice(n_samples, n_out, replace=False)
        outliers[idx] = True
        price[idx] *= rng.uniform(3.0, 6.0, n_out)
    price = np.maximum(price, 20.0)  # no house is free
    return Dataset(
        X=X, y=price, feature_names=("area_m2", "rooms", "age_years", "distance_km"),
        target_name="price_keur", outliers=outliers,
        description=(
            f"Synthetic housing data (seed {seed}): linear price in k€ with Student-t noise "
            f"(df={noise_df:g}, scale={noise_scale:g} k€) and {n_out} gross outlier(s)."
        ),
    )
