"""Data sets: the published shapes, names and class counts; generators seeded and honest."""

from __future__ import annotations

import numpy as np
import pytest

from lossbook import datasets


def test_breast_cancer_is_the_published_data() -> None:
    ds = datasets.load_breast_cancer()
    assert ds.X.shape == (569, 30) and ds.y.shape == (569,)
    assert np.bincount(ds.y).tolist() == [357, 212]  # benign, malignant
    assert ds.target_names == ("benign", "malignant")
    assert ds.feature_names[:2] == ("mean_radius", "mean_texture") and "worst_area" in ds.feature_names
    assert ds.X[0, 0] == 17.99 and ds.y[0] == 1  # the first tumour is malignant


def test_breast_cancer_matches_sklearn_up_to_the_label_coding() -> None:
    sk = pytest.importorskip("sklearn.datasets").load_breast_cancer()
    ds = datasets.load_breast_cancer()
    np.testing.assert_array_equal(ds.X, sk.data)
    np.testing.assert_array_equal(ds.y, 1 - sk.target)
    assert list(ds.feature_names) == [n.replace(" ", "_") for n in sk.feature_names]


def test_iris() -> None:
    ds = datasets.load_iris()
    assert ds.X.shape == (150, 4)
    assert np.bincount(ds.y).tolist() == [50, 50, 50]
    assert ds.target_names == ("setosa", "versicolor", "virginica")
    sk = pytest.importorskip("sklearn.datasets").load_iris()
    np.testing.assert_array_equal(ds.X, sk.data)
    np.testing.assert_array_equal(ds.y, sk.target)


def test_diabetes() -> None:
    ds = datasets.load_diabetes()
    assert ds.X.shape == (442, 10) and ds.y.dtype == np.float64
    assert ds.feature_names[2] == "bmi"
    sk = pytest.importorskip("sklearn.datasets").load_diabetes(scaled=False)
    np.testing.assert_allclose(ds.X, sk.data)
    np.testing.assert_allclose(ds.y, sk.target)


def test_features_by_name() -> None:
    ds = datasets.load_breast_cancer()
    two = ds.features("worst_area", "mean_symmetry")
    assert two.shape == (569, 2)
    np.testing.assert_array_equal(two[:, 0], ds.X[:, ds.feature_names.index("worst_area")])
    with pytest.raises(ValueError, match="no feature"):
        ds.features("colour")


def test_housing_is_deterministic_per_seed() -> None:
    a, b, c = datasets.make_housing(200, seed=3), datasets.make_housing(200, seed=3), datasets.make_housing(200, seed=4)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.y, c.y)
    assert a.X.shape == (200, 4) and a.feature_names == ("area_m2", "rooms", "age_years", "distance_km")
    assert a.target_name == "price_keur" and not a.outliers.any()


def test_housing_outliers_are_where_the_mask_says() -> None:
    clean = datasets.make_housing(400, seed=7)
    dirty = datasets.make_housing(400, seed=7, outlier_fraction=0.05)
    assert dirty.outliers.sum() == 20
    np.testing.assert_array_equal(dirty.X, clean.X)
    ratio = dirty.y / clean.y
    assert np.all(ratio[dirty.outliers] >= 3.0 - 1e-9)
    np.testing.assert_array_equal(dirty.y[~dirty.outliers], clean.y[~dirty.outliers])


def test_housing_is_linear_plus_noise() -> None:
    ds = datasets.make_housing(5000, seed=0, noise_df=1e6)  # Gaussian noise
    A = np.column_stack([ds.X, np.ones(5000)])
    coef, *_ = np.linalg.lstsq(A, ds.y, rcond=None)
    np.testing.assert_allclose(coef, [2.5, 6.0, -0.5, -4.0, 40.0], atol=1.5)


@pytest.mark.parametrize("kwargs, match", [
    ({"n_samples": 1}, "n_samples"), ({"outlier_fraction": 0.6}, "outlier_fraction"),
    ({"noise_df": 0.0}, "noise_df"), ({"noise_scale": -1.0}, "noise_scale"),
])
def test_housing_rejects_bad_parameters(kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        datasets.make_housing(**kwargs)
