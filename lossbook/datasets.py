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

__all__ = [
    "Dataset", "load_breast_cancer", "load_iris", "load_diabetes",
    "make_housing", "make_transactions", "make_customers", "make_demand", "make_bike_rentals",
    "BIKE_RENTAL_COEFFICIENTS",
]


BoolArray = NDArray[np.bool_]


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
    probability
        For generated classification data, the true probability of ``y = 1`` of each row, which
        a perfectly calibrated model would predict (empty for real data).
    """

    X: NDArray[np.float64]
    y: NDArray[np.float64] | NDArray[np.intp]
    feature_names: tuple[str, ...]
    target_name: str
    description: str
    target_names: tuple[str, ...] = ()
    outliers: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    probability: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))

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
    n_out = round(float(outlier_fraction) * int(n_samples))
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


def _sigmoid(z: NDArray[np.float64]) -> NDArray[np.float64]:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # tanh form: no overflow for any z


def _intercept_for_rate(score: NDArray[np.float64], rate: float) -> float:
    """The intercept b with mean(sigmoid(b + score)) = rate, by bisection (the mean is increasing in b)."""
    low, high = -60.0, 60.0
    for _ in range(100):
        mid = 0.5 * (low + high)
        if _sigmoid(mid + score).mean() < rate:
            low = mid
        else:
            high = mid
    return 0.5 * (low + high)


def make_transactions(n_samples: int = 50_000, *, seed: int = 0, fraud_rate: float = 0.005) -> Dataset:
    r"""Card transactions with amounts, about ``fraud_rate`` of them fraudulent (``y = 1``).

    Features: ``amount_eur`` (log-normal, median about 25 €, heavy-tailed: most payments are
    small, a few run to thousands, as with real card payments), ``hour`` (0 to 23, mostly
    daytime), ``online`` (1 for card-not-present), ``distance_km`` from the card holder's home
    (gamma, heavy-tailed) and ``new_merchant`` (1 if the card never paid there before).

    Fraud follows a logistic model, :math:`P(y = 1) = \sigma(b + 0.5 \log(	ext{amount}/25) +
    1.2\,	ext{online} + 0.8\,	ext{night} + 0.6 \log(1 + 	ext{distance}/10) +
    1.0\,	ext{new\_merchant})`, ``night`` being 0 to 5 o'clock, with the intercept :math:`b`
    chosen so that the expected fraud rate is ``fraud_rate``. The true probabilities are in
    ``probability``. What a missed fraud costs is its amount; what a false alarm costs is a
    review (and an annoyed customer), which is why this data set carries the amount.

    Modelled on the marginals of published card data, not on its records: the European
    cardholder transactions of the ULB Machine Learning Group and Worldline (Dal Pozzolo et
    al., 2015; 284,807 transactions over two days, 0.17 % fraudulent, a median amount of about
    22 € and a long right tail) and the fraud rates of a few tenths of a percent that card
    schemes report. The features and coefficients are invented and stated above, so that the
    true probability of every transaction is known.

    Parameters
    ----------
    n_samples
        Number of transactions (at least 2).
    seed
        Seed of the generator: the same seed gives the same data.
    fraud_rate
        Expected share of frauds, in (0, 0.5).
    """
    n = v.whole_number(n_samples, "n_samples", minimum=2)
    fraud_rate = v.open_unit_interval(fraud_rate, "fraud_rate")
    if fraud_rate >= 0.5:
        raise ValueError(f"fraud_rate must lie in (0, 0.5): frauds are the rare class, got {fraud_rate!r}")
    rng = np.random.default_rng(seed)
    amount = np.round(np.exp(rng.normal(np.log(25.0), 1.3, n)), 2) + 0.5
    hour = np.floor(np.clip(rng.normal(14.0, 4.5, n), 0.0, 23.99)) % 24
    online = (rng.uniform(size=n) < 0.35).astype(np.float64)
    distance = rng.gamma(shape=0.8, scale=12.0, size=n)
    new_merchant = (rng.uniform(size=n) < 0.15).astype(np.float64)
    night = (hour < 6).astype(np.float64)
    score = (0.5 * np.log(amount / 25.0) + 1.2 * online + 0.8 * night
             + 0.6 * np.log1p(distance / 10.0) + 1.0 * new_merchant)
    p = _sigmoid(_intercept_for_rate(score, fraud_rate) + score)
    y = (rng.uniform(size=n) < p).astype(np.intp)
    return Dataset(
        X=np.column_stack([amount, hour, online, distance, new_merchant]), y=y,
        feature_names=("amount_eur", "hour", "online", "distance_km", "new_merchant"),
        target_name="fraud", target_names=("legitimate", "fraud"), probability=p,
        description=(
            f"Synthetic card transactions (seed {seed}): log-normal amounts, fraud from a logistic "
            f"model with an expected rate of {fraud_rate:.2%}; true probabilities included."
        ),
    )


def make_customers(n_samples: int = 5_000, *, seed: int = 0, churn_rate: float = 0.2) -> Dataset:
    r"""Subscription customers, ``y = 1`` if the customer leaves (churns) within the next period.

    Features: ``monthly_value_eur`` (gamma, mean about 45 €: what the customer pays a month),
    ``tenure_months`` (how long they have been a customer, geometric), ``support_calls`` (in the
    last quarter, Poisson), ``discount`` (1 if on a discounted plan) and ``group`` (0 or 1, a
    customer segment such as a region, for fairness questions: the groups differ in their base
    churn rate). Churn follows a logistic model, with the intercept set so that the expected
    churn rate is ``churn_rate`` (subscription businesses see 10 % to 30 % a year):
    :math:`P(y = 1) = \sigma(b - 0.03\,	ext{tenure} + 0.35\,	ext{calls} + 0.5\,	ext{discount}
    + 0.4\,	ext{group} - 0.005\,	ext{value})`. The true probabilities are in ``probability``.

    A retention offer's profit needs the customer's value, hence ``monthly_value_eur``; the
    lifetime value of a customer is often taken as about two years of it.

    Modelled loosely on the IBM "Telco customer churn" sample (7,043 customers, 26.5 % churn,
    monthly charges of 18 to 119 dollars, tenure up to 72 months, churn higher in the first
    months and among customers who call support): the same kinds of feature with invented
    coefficients, stated above, so that the true churn probability of every customer is known.
    """
    n = v.whole_number(n_samples, "n_samples", minimum=2)
    churn_rate = v.open_unit_interval(churn_rate, "churn_rate")
    rng = np.random.default_rng(seed)
    value = np.round(rng.gamma(shape=3.0, scale=15.0, size=n), 2)
    tenure = rng.geometric(1 / 24.0, size=n).astype(np.float64)
    calls = rng.poisson(0.8, size=n).astype(np.float64)
    discount = (rng.uniform(size=n) < 0.25).astype(np.float64)
    group = (rng.uniform(size=n) < 0.4).astype(np.float64)
    score = -0.03 * tenure + 0.35 * calls + 0.5 * discount + 0.4 * group - 0.005 * value
    p = _sigmoid(_intercept_for_rate(score, churn_rate) + score)
    y = (rng.uniform(size=n) < p).astype(np.intp)
    return Dataset(
        X=np.column_stack([value, tenure, calls, discount, group]), y=y,
        feature_names=("monthly_value_eur", "tenure_months", "support_calls", "discount", "group"),
        target_name="churn", target_names=("stays", "churns"), probability=p,
        description=(
            f"Synthetic subscription customers (seed {seed}): churn from a logistic model with an "
            f"expected rate of {churn_rate:.0%}; true probabilities included."
        ),
    )


def make_demand(n_days: int = 730, *, seed: int = 0) -> Dataset:
    r"""Daily demand for a perishable product (units sold, if the shelf never runs empty).

    Features: ``weekday`` (0 = Monday to 6 = Sunday), ``temperature_c`` (a seasonal cycle plus
    noise), ``promotion`` (1 on promotion days, about one in ten) and ``trend`` (days since the
    start, divided by 365). The mean demand is log-linear,
    :math:`\mu = \exp(3.6 + 0.35\,[	ext{weekend}] + 0.02\,(	ext{temperature} - 15) +
    0.5\,	ext{promotion} + 0.1\,	ext{trend})`, about 40 units on a plain weekday, and the
    demand is negative binomial around it (over-dispersed: variance :math:`\mu + \mu^2/20`), as
    retail counts are. The newsvendor chooses an order before seeing the day's demand.

    Modelled on the daily unit sales of one fresh product in one store, as in grocery data such
    as the M5 (Walmart) and Favorita competitions: a weekly cycle with busier weekends, a lift on
    promotion days, a slow trend, sensitivity to the weather, and counts more dispersed than a
    Poisson's. The coefficients are invented and stated above.
    """
    n = v.whole_number(n_days, "n_days", minimum=2)
    rng = np.random.default_rng(seed)
    day = np.arange(n, dtype=np.float64)
    weekday = day % 7
    temperature = 12.0 + 9.0 * np.sin(2 * np.pi * (day - 100.0) / 365.25) + rng.normal(0.0, 3.0, n)
    promotion = (rng.uniform(size=n) < 0.1).astype(np.float64)
    trend = day / 365.0
    weekend = (weekday >= 5).astype(np.float64)
    mean = np.exp(3.6 + 0.35 * weekend + 0.02 * (temperature - 15.0) + 0.5 * promotion + 0.1 * trend)
    dispersion = 20.0  # negative binomial: a Poisson whose mean is Gamma(dispersion, mean / dispersion)
    demand = rng.poisson(rng.gamma(dispersion, mean / dispersion)).astype(np.float64)
    return Dataset(
        X=np.column_stack([weekday, temperature, promotion, trend]), y=demand,
        feature_names=("weekday", "temperature_c", "promotion", "trend"),
        target_name="units_demanded",
        description=f"Synthetic daily demand (seed {seed}): negative binomial around a log-linear mean.",
    )


#: The coefficients of :func:`make_bike_rentals`' log-linear mean: intercept, then one per feature.
BIKE_RENTAL_COEFFICIENTS = {
    "intercept": 2.9, "temperature_c": 0.045, "humidity_pct": -0.012, "wind_kmh": -0.02,
    "weekend": 0.3, "rain": -0.7,
}


def make_bike_rentals(n_days: int = 365, *, seed: int = 0) -> Dataset:
    r"""Daily bike rentals at one docking station of a city bike-share scheme: Poisson counts.

    Modelled on the UCI Bike Sharing data set (Capital Bikeshare, Washington D.C., 2011-2012;
    Fanaee-T & Gama, 2013), scaled down from the whole scheme to one station, where a day sees
    a few to a few dozen rentals. Features, one row per day: ``temperature_c`` (a seasonal cycle
    from about 2 to 26 °C plus day-to-day noise), ``humidity_pct`` (relative humidity, 30 to
    100 %), ``wind_kmh`` (wind speed, gamma-distributed, mean about 12 km/h), ``weekend`` (1 on
    Saturdays and Sundays) and ``rain`` (1 on days with rain, about one in five, more humid).
    The rentals are Poisson around a log-linear mean,

    .. math::

       \mu = \exp\bigl(2.9 &+ 0.045\,(\text{temperature} - 15) - 0.012\,(\text{humidity} - 60) \\
              &- 0.02\,(\text{wind} - 12) + 0.3\,\text{weekend} - 0.7\,\text{rain}\bigr),

    about 18 rentals on a mild, dry weekday (coefficients in :data:`BIKE_RENTAL_COEFFICIENTS`,
    for features centred as written). Unlike :func:`make_demand` the counts are exactly Poisson
    (variance = mean), so a Poisson GLM is the true model and its standard errors hold.

    Parameters
    ----------
    n_days
        Number of days (at least 2).
    seed
        Seed of the generator: the same seed gives the same data.
    """
    n = v.whole_number(n_days, "n_days", minimum=2)
    rng = np.random.default_rng(seed)
    day = np.arange(n, dtype=np.float64)
    temperature = 14.0 + 12.0 * np.sin(2 * np.pi * (day - 110.0) / 365.25) + rng.normal(0.0, 3.0, n)
    rain = (rng.uniform(size=n) < 0.2).astype(np.float64)
    humidity = np.clip(rng.normal(60.0, 12.0, n) + 15.0 * rain, 30.0, 100.0)
    wind = rng.gamma(shape=3.0, scale=4.0, size=n)
    weekend = (day % 7 >= 5).astype(np.float64)
    c = BIKE_RENTAL_COEFFICIENTS
    log_mean = (c["intercept"] + c["temperature_c"] * (temperature - 15.0) + c["humidity_pct"] * (humidity - 60.0)
                + c["wind_kmh"] * (wind - 12.0) + c["weekend"] * weekend + c["rain"] * rain)
    rentals = rng.poisson(np.exp(log_mean)).astype(np.float64)
    return Dataset(
        X=np.column_stack([temperature, humidity, wind, weekend, rain]), y=rentals,
        feature_names=("temperature_c", "humidity_pct", "wind_kmh", "weekend", "rain"),
        target_name="rentals_per_day",
        description=(
            f"Synthetic daily bike rentals at one station (seed {seed}), modelled on the UCI Bike "
            f"Sharing data (Fanaee-T & Gama 2013): Poisson counts around a log-linear mean."
        ),
    )
