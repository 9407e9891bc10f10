"""The seeded generators behind the business chapter: transactions, customers, daily demand."""

from __future__ import annotations

import numpy as np
import pytest

from lossbook import datasets

GENERATORS = [datasets.make_transactions, datasets.make_customers, datasets.make_demand]


@pytest.mark.parametrize("make", GENERATORS, ids=lambda f: f.__name__)
def test_same_seed_same_data(make) -> None:
    a, b, c = make(500, seed=1), make(500, seed=1), make(500, seed=2)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.X, c.X)
    assert a.X.shape == (500, len(a.feature_names)) and a.y.shape == (500,)
    assert np.all(np.isfinite(a.X))


@pytest.mark.parametrize(("make", "rate"), [(datasets.make_transactions, 0.005), (datasets.make_customers, 0.2)])
def test_rates_and_true_probabilities(make, rate) -> None:
    ds = make(200_000, seed=0)
    assert ds.probability.mean() == pytest.approx(rate, rel=1e-6)  # the intercept is solved for the rate
    # the labels are Bernoulli draws of the probabilities: their mean is within 5 standard errors
    assert abs(ds.y.mean() - rate) < 5 * np.sqrt(rate * (1 - rate) / ds.y.size)
    assert set(np.unique(ds.y)) == {0, 1}
    assert np.all((ds.probability > 0) & (ds.probability < 1))


def test_transaction_amounts_are_heavy_tailed_and_frauds_riskier() -> None:
    ds = datasets.make_transactions(100_000, seed=0)
    amount = ds.features("amount_eur")[:, 0]
    assert 20 < np.median(amount) < 30 and amount.mean() > 2 * np.median(amount) and amount.max() > 2000
    assert np.all(amount > 0)
    online = ds.features("online")[:, 0] == 1
    assert ds.y[online].mean() > 2 * ds.y[~online].mean()


def test_customer_groups_differ_in_churn() -> None:
    ds = datasets.make_customers(100_000, seed=0)
    group = ds.features("group")[:, 0]
    assert ds.y[group == 1].mean() > ds.y[group == 0].mean() + 0.03
    assert set(np.unique(group)) == {0.0, 1.0}


def test_demand_is_overdispersed_counts_with_weekly_pattern() -> None:
    ds = datasets.make_demand(3650, seed=0)
    assert np.all(ds.y >= 0) and np.all(ds.y == np.round(ds.y))
    assert ds.y.var() > 2 * ds.y.mean()  # over-dispersed, unlike a Poisson
    weekend = ds.features("weekday")[:, 0] >= 5
    assert ds.y[weekend].mean() > 1.2 * ds.y[~weekend].mean()


@pytest.mark.parametrize(
    ("make", "kwargs", "error", "match"),
    [
        (datasets.make_transactions, {"n_samples": 1}, ValueError, "n_samples must be an integer >= 2"),
        (datasets.make_transactions, {"n_samples": 10.5}, TypeError, "n_samples must be an integer"),
        (datasets.make_transactions, {"fraud_rate": 0.0}, ValueError, "fraud_rate must lie in"),
        (datasets.make_transactions, {"fraud_rate": 0.6}, ValueError, "fraud_rate must lie in"),
        (datasets.make_customers, {"churn_rate": 1.0}, ValueError, "churn_rate must lie in"),
        (datasets.make_demand, {"n_days": 0}, ValueError, "n_days must be an integer >= 2"),
    ],
)
def test_bad_parameters(make, kwargs, error, match) -> None:
    with pytest.raises(error, match=match):
        make(**kwargs)


def test_bike_rentals_are_poisson_around_the_log_linear_mean() -> None:
    a, b, c = (datasets.make_bike_rentals(400, seed=s) for s in (1, 1, 2))
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.y, c.y)
    ds = datasets.make_bike_rentals(20_000, seed=0)
    assert ds.X.shape == (20_000, 5) and ds.feature_names[0] == "temperature_c"
    assert np.all(ds.y >= 0) and np.all(ds.y == np.round(ds.y))
    coefficients = datasets.BIKE_RENTAL_COEFFICIENTS
    centre = np.array([15.0, 60.0, 12.0, 0.0, 0.0])
    slopes = np.array([coefficients[name] for name in ds.feature_names])
    mean = np.exp(coefficients["intercept"] + (ds.X - centre) @ slopes)
    # Pearson residuals of the true mean: mean 0 and variance 1 for Poisson counts (equidispersion)
    pearson = (ds.y - mean) / np.sqrt(mean)
    assert abs(pearson.mean()) < 0.05 and abs(pearson.var() - 1.0) < 0.05
    rain = ds.features("rain")[:, 0] == 1
    assert ds.y[rain].mean() < 0.7 * ds.y[~rain].mean()
    with pytest.raises(ValueError, match="n_days must be an integer >= 2"):
        datasets.make_bike_rentals(1)
