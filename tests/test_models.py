"""Linear, logistic and softmax models: chain-rule gradients for every loss, fits, errors."""

from __future__ import annotations

import numpy as np
import pytest

from lossbook import losses, models
from lossbook.gradcheck import check_grad
from tests.helpers import ALL_LOSSES, param_sets


def model_and_data(loss: losses.Loss, rng: np.random.Generator, params: dict, n: int = 15):
    X = rng.normal(size=(n, 3))
    if loss.task == "regression":
        return models.LinearRegression(loss, **params), X, rng.uniform(0.0, 4.0, n)
    # Labels that depend on X (with noise), so that training has something to learn.
    if loss.task == "binary":
        return models.LogisticRegression(loss, **params), X, (X[:, 0] + 0.5 * rng.normal(size=n) > 0).astype(int)
    return models.SoftmaxRegression(3, loss, **params), X, np.argmax(X + 0.5 * rng.normal(size=X.shape), axis=1)


@pytest.mark.parametrize("loss", ALL_LOSSES, ids=lambda l: l.name)
def test_parameter_gradient_matches_finite_differences(loss, rng) -> None:
    for params in param_sets(loss):
        model, X, y = model_and_data(loss, rng, params)
        w = rng.uniform(0.5, 2.0, X.shape[0])
        for _ in range(3):
            theta = rng.normal(0.0, 0.7, model.n_params(X.shape[1]))
            for sw in (None, w):
                result = check_grad(
                    lambda t: model.cost(t, X, y, sample_weight=sw),
                    lambda t: model.gradient(t, X, y, sample_weight=sw),
                    theta, rtol=1e-5, atol=1e-7,
                )
                assert result, f"{model}: {result}"


@pytest.mark.parametrize("loss", ALL_LOSSES, ids=lambda l: l.name)
def test_every_loss_trains_a_model(loss, rng) -> None:
    """Gradient descent through the generic chain rule lowers every loss from theta = 0."""
    model, X, y = model_and_data(loss, rng, {}, n=60)
    model.fit(X, y, learning_rate=0.05, n_epochs=300)
    start = model.cost(model.init_params(3), X, y)
    assert model.result_.cost < 0.9 * start
    assert not model.result_.diverged
    assert model.predict(X).shape == (60,)


def test_cost_is_the_loss_of_the_predictions(rng) -> None:
    X, y = rng.normal(size=(20, 2)), rng.normal(size=20)
    model = models.LinearRegression("huber", delta=0.7)
    theta = rng.normal(size=3)
    assert model.cost(theta, X, y) == pytest.approx(losses.huber.cost(y, X @ theta[:2] + theta[2], delta=0.7), rel=1e-14)


def test_least_squares_and_gradient_descent_agree(rng) -> None:
    X = rng.normal(size=(1000, 10))
    y = X @ rng.normal(size=10) + 3.0 + rng.normal(size=1000)
    exact = models.least_squares(X, y)
    L = np.linalg.eigvalsh(models.squared_error_hessian(X)).max()
    fitted = models.LinearRegression().fit(X, y, learning_rate=1.0 / L, n_epochs=5000, tol=1e-12)
    assert fitted.result_.converged
    assert np.max(np.abs(fitted.theta_ - exact) / np.abs(exact)) < 1e-8
    np.testing.assert_allclose(fitted.coef_, exact[:10])
    assert fitted.intercept_ == pytest.approx(exact[10])


def test_logistic_regression_matches_sklearn(rng) -> None:
    sklearn = pytest.importorskip("sklearn.linear_model")
    X = rng.normal(size=(300, 2))
    y = (X @ [1.5, -2.0] + 0.3 + rng.logistic(size=300) > 0).astype(int)
    ours = models.LogisticRegression().fit(X, y, learning_rate=1.0, n_epochs=20000, tol=1e-10)
    ref = sklearn.LogisticRegression(C=np.inf, tol=1e-12, max_iter=10000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-6)  # both (1, d)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-6)  # both (1,)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-7)


def test_softmax_regression_matches_sklearn(rng) -> None:
    sklearn = pytest.importorskip("sklearn.linear_model")
    centers = np.array([[0, 0], [2, 1], [0, 2.5]])
    y = rng.integers(0, 3, 300)
    X = centers[y] + rng.normal(size=(300, 2))
    ours = models.SoftmaxRegression(3).fit(X, y, learning_rate=1.0, n_epochs=20000, tol=1e-9)
    ref = sklearn.LogisticRegression(C=np.inf, tol=1e-12, max_iter=10000).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-6)


def test_labels_outside_the_task_are_rejected(rng) -> None:
    X = rng.normal(size=(4, 2))
    with pytest.raises(ValueError, match=r"labels in \{0, 1\}"):
        models.LogisticRegression().fit(X, [0, 1, 2, 1])
    with pytest.raises(ValueError, match=r"labels in \{0, 1\}"):
        models.LogisticRegression("hinge").fit(X, [-1, 1, 1, -1])
    with pytest.raises(ValueError, match=r"class labels in \[0, 3\)"):
        models.SoftmaxRegression(3).fit(X, [0, 1, 3, 1])
    with pytest.raises(ValueError, match="integer"):
        models.SoftmaxRegression(3).fit(X, [0, 1, 1.5, 1])
    with pytest.raises(ValueError, match=r"y must lie in \(-1"):
        models.LinearRegression("squared_log_error").fit(X, [0, 1, -2, 1])


def test_bad_configuration_and_data(rng) -> None:
    with pytest.raises(ValueError, match="unknown loss"):
        models.LinearRegression("l2")
    with pytest.raises(ValueError, match="regression loss"):
        models.LinearRegression("hinge")
    with pytest.raises(ValueError, match="multi-class"):
        models.LogisticRegression("softmax_cross_entropy")
    with pytest.raises(ValueError, match="delta"):
        models.LinearRegression("huber", delta=-1.0)
    with pytest.raises(ValueError, match="not fitted"):
        models.LinearRegression().predict([[1.0]])
    with pytest.raises(ValueError, match=r"shape \(4,\), got shape \(3,\)"):
        models.LinearRegression().fit(rng.normal(size=(4, 2)), [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="X must contain only finite"):
        models.LinearRegression().fit([[1.0], [np.nan]], [1.0, 2.0])
    fitted = models.LinearRegression().fit(rng.normal(size=(5, 2)), rng.normal(size=5))
    with pytest.raises(ValueError, match=r"X has 3 feature\(s\), the model was fitted with 2"):
        fitted.predict(rng.normal(size=(3, 3)))


def test_probabilities(rng) -> None:
    X = rng.normal(size=(50, 2))
    y = (X[:, 0] > 0).astype(int)
    m = models.LogisticRegression().fit(X, y, n_epochs=200)
    p = m.predict_proba(X)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_array_equal(m.predict(X), (p[:, 1] > 0.5).astype(int))
    with pytest.raises(ValueError, match="not probabilities"):
        models.LogisticRegression("hinge").fit(X, y, n_epochs=5).predict_proba(X)


def test_msle_model_predicts_above_minus_one(rng) -> None:
    X = rng.normal(size=(40, 1))
    y = np.expm1(1.0 + 0.5 * X[:, 0])
    m = models.LinearRegression("squared_log_error").fit(X, y, learning_rate=0.5, n_epochs=2000)
    np.testing.assert_allclose(m.predict(X), y, rtol=1e-6)


def test_warm_start(rng) -> None:
    X = rng.normal(size=(50, 2))
    y = X @ [1.0, -1.0] + 0.5
    exact = models.least_squares(X, y)
    m = models.LinearRegression().fit(X, y, theta0=exact, n_epochs=5, tol=None)
    np.testing.assert_allclose(m.result_.history.params[0], exact)
    assert m.result_.history.cost[0] == pytest.approx(0.0, abs=1e-20)
    with pytest.raises(ValueError, match=r"theta must have shape \(3,\)"):
        models.LinearRegression().fit(X, y, theta0=[0.0, 0.0])
    with pytest.raises(ValueError, match="theta0 must contain only finite"):
        models.LinearRegression().fit(X, y, theta0=[0.0, np.nan, 0.0])


def test_a_link_whose_outputs_leave_the_losss_domain_is_refused() -> None:
    """Review of issue 12: an identity link before the Poisson deviance gave NaN costs mid-fit."""
    for loss, link in (("poisson_deviance", "identity"), ("binary_cross_entropy", "identity"),
                       ("squared_log_error", "identity"), ("squared_error", "softmax")):
        with pytest.raises(ValueError, match=f"link '{link}' does not fit"):
            models.LinearModel(loss, link=link)
    models.LinearModel("squared_error", link="sigmoid")  # Chapter 4's bad idea is allowed, and shown there
    models.LinearModel("squared_log_error", link="exp")
    from lossbook.heads import OutputHead

    with pytest.raises(ValueError, match="values, not probabilities: use predict"):
        OutputHead("poisson_deviance").predict_proba(np.zeros(3))
