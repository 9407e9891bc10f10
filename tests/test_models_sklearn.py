"""Penalised models and scikit-learn's estimator protocol (chapter 8).

lossbook does not import scikit-learn; these tests check that its models still work with the
tools instructors use (``clone``, ``cross_val_score``, ``GridSearchCV``), that ``score`` is
scikit-learn's, that ``coef_`` and ``intercept_`` have its shapes, and that the penalties give
its ``Lasso``, ``Ridge`` and ``ElasticNet`` (with the scalings the docstrings state).
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from lossbook import models, penalties

sklearn = pytest.importorskip("sklearn")
from sklearn import linear_model as sk  # noqa: E402
from sklearn.base import clone, is_classifier, is_regressor  # noqa: E402
from sklearn.metrics import accuracy_score, r2_score  # noqa: E402
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score  # noqa: E402


def regression_data(rng, n=80, d=6):
    X = rng.normal(size=(n, d))
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    y = X @ np.array([3.0, -2.0, 0.0, 0.0, 1.0, 0.0]) + 5.0 + rng.normal(scale=0.5, size=n)
    return X, y


def step_for(X):
    """1/L for the MSE cost with an intercept: L = 2 λ_max(X̃ᵀX̃)/n."""
    return float(1.0 / np.linalg.eigvalsh(models.squared_error_hessian(X)).max())  # a float, not an array-like


# -- penalised fits against scikit-learn ----------------------------------------------------------
@pytest.mark.parametrize(
    ("penalty", "reference"),
    [
        ("l1", lambda lam, n: sk.Lasso(alpha=lam / 2, tol=1e-14, max_iter=100000)),
        ("l2", lambda lam, n: sk.Ridge(alpha=n * lam / 2)),
        ("elastic_net", lambda lam, n: sk.ElasticNet(alpha=lam / 2, l1_ratio=0.3, tol=1e-14, max_iter=100000)),
    ],
)
@pytest.mark.parametrize("accelerated", [False, True])
def test_penalised_regression_matches_sklearn(rng, penalty, reference, accelerated) -> None:
    X, y = regression_data(rng)
    lam = 0.4
    ours = models.LinearRegression(penalty=penalty, strength=lam, l1_ratio=0.3).fit(
        X, y, learning_rate=step_for(X), n_epochs=20000, tol=1e-11, accelerated=accelerated)
    assert ours.result_.converged
    theirs = reference(lam, X.shape[0]).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-8)
    assert ours.intercept_ == pytest.approx(theirs.intercept_, abs=1e-8)
    if penalty != "l2":  # the same exact zeros
        np.testing.assert_array_equal(ours.coef_ == 0.0, theirs.coef_ == 0.0)
        assert np.sum(ours.coef_ == 0.0) >= 1


def test_the_intercept_is_never_penalised(rng) -> None:
    X, y = regression_data(rng)
    huge = models.LinearRegression(penalty="l1", strength=1e3).fit(X, y + 100.0, learning_rate=step_for(X),
                                                                    n_epochs=5000, tol=1e-11)
    np.testing.assert_array_equal(huge.coef_, 0.0)  # every weight is zeroed ...
    assert huge.intercept_ == pytest.approx(np.mean(y) + 100.0, abs=1e-8)  # ... the intercept is the mean


def test_objective_adds_the_penalty_of_the_weights_only(rng) -> None:
    X, y = regression_data(rng)
    model = models.LinearRegression(penalty="elastic_net", strength=0.7, l1_ratio=0.25)
    theta = rng.normal(size=7)
    expected = np.mean((X @ theta[:6] + theta[6] - y) ** 2) + 0.7 * penalties.elastic_net(theta[:6], l1_ratio=0.25)
    assert model.objective(theta, X, y) == pytest.approx(expected, rel=1e-12)
    assert models.LinearRegression().objective(theta, X, y) == pytest.approx(model.cost(theta, X, y))


def test_penalised_logistic_regression_matches_sklearn(rng) -> None:
    X = rng.normal(size=(200, 3))
    y = (X @ [2.0, -1.0, 0.5] + rng.logistic(size=200) > 0).astype(int)
    lam = 0.05
    ours = models.LogisticRegression(penalty="l2", strength=lam).fit(X, y, learning_rate=2.0, n_epochs=20000, tol=1e-10)
    theirs = sk.LogisticRegression(C=1 / (X.shape[0] * lam), tol=1e-12, max_iter=10000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-7)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-7)


def test_penalised_fit_refuses_minibatches(rng) -> None:
    X, y = regression_data(rng)
    with pytest.raises(ValueError, match="batch_size must be None"):
        models.LinearRegression(penalty="l1", strength=0.1).fit(X, y, batch_size=10)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"penalty": "l3"}, "unknown penalty 'l3'"),
        ({"strength": -1.0}, "strength must be >= 0"),
        ({"strength": float("nan")}, "strength"),
        ({"l1_ratio": 1.5}, r"l1_ratio must lie in \[0, 1\]"),
        ({"fit_intercept": "yes"}, "fit_intercept must be True or False"),
    ],
)
def test_bad_penalty_arguments(kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        models.LinearRegression(**kwargs)
    with pytest.raises(ValueError, match=match):
        models.LinearRegression().set_params(**kwargs)


# -- the estimator protocol ------------------------------------------------------------------------
def test_get_params_returns_the_arguments_as_passed() -> None:
    model = models.LinearRegression("huber", penalty="l1", strength=0.3, delta=2.0)
    assert model.get_params() == {"loss": "huber", "fit_intercept": True, "penalty": "l1", "strength": 0.3,
                                  "l1_ratio": 0.5, "delta": 2.0}
    assert models.SoftmaxRegression(3).get_params()["n_classes"] == 3
    assert models.LinearModel("poisson_deviance").get_params() == {
        "loss": "poisson_deviance", "link": None, "n_outputs": 1, "fit_intercept": True, "loss_params": None,
        "penalty": None, "strength": 0.0, "l1_ratio": 0.5}
    assert repr(model) == "LinearRegression(loss='huber', penalty='l1', strength=0.3, delta=2.0)"


def test_set_params_changes_the_model_and_checks() -> None:
    model = models.LinearRegression()
    assert model.set_params(loss="huber", delta=3.0, strength=0.1) is model
    assert model.head.loss.name == "huber" and model.head.loss_params == {"delta": 3.0}
    assert model.get_params()["strength"] == 0.1
    with pytest.raises(ValueError, match=r"invalid parameter\(s\) \['alpha'\] for SoftmaxRegression"):
        models.SoftmaxRegression(3).set_params(alpha=1.0)
    with pytest.raises(ValueError, match="invalid parameter 'alpha' for LinearModel"):
        models.LinearModel().set_params(alpha=1.0)
    with pytest.raises(ValueError, match=r"invalid parameter\(s\) \['quantile'\]"):
        models.LinearRegression("huber").set_params(quantile=0.3)
    with pytest.raises(ValueError, match="needs a regression loss"):
        models.LinearRegression().set_params(loss="hinge")


@pytest.mark.parametrize(
    "model",
    [
        models.LinearRegression("huber", penalty="l1", strength=0.1, delta=2.0),
        models.LogisticRegression(penalty="l2", strength=0.01),
        models.SoftmaxRegression(3, penalty="elastic_net", strength=0.01, l1_ratio=0.2, label_smoothing=0.1),
        models.LinearModel("squared_error", link="sigmoid", loss_params={}),
    ],
    ids=repr,
)
def test_sklearn_clone_gives_an_unfitted_copy_with_the_same_parameters(model) -> None:
    copy = clone(model)
    assert type(copy) is type(model) and copy is not model
    assert copy.get_params() == model.get_params()
    assert not hasattr(copy, "theta_")


def test_sklearn_sees_regressors_and_classifiers() -> None:
    assert is_regressor(models.LinearRegression()) and not is_classifier(models.LinearRegression())
    assert is_classifier(models.LogisticRegression()) and is_classifier(models.SoftmaxRegression(3))
    assert is_classifier(models.LinearModel("squared_error", link="sigmoid"))
    assert is_regressor(models.LinearModel("poisson_deviance"))


def test_coef_and_intercept_have_sklearn_shapes(rng) -> None:
    X = rng.normal(size=(60, 4))
    y_reg = X @ [1.0, 2.0, 0.0, -1.0] + rng.normal(size=60)
    y_bin = (y_reg > 0).astype(int)
    y_multi = np.digitize(y_reg, [-1.0, 1.0])
    pairs = [
        (models.LinearRegression(), sk.LinearRegression(), y_reg),
        (models.LogisticRegression(penalty="l2", strength=0.1), sk.LogisticRegression(), y_bin),
        (models.SoftmaxRegression(3, penalty="l2", strength=0.1), sk.LogisticRegression(), y_multi),
        (models.LinearRegression(fit_intercept=False), sk.LinearRegression(fit_intercept=False), y_reg),
    ]
    for ours, theirs, y in pairs:
        ours.fit(X, y, n_epochs=50, tol=None)
        theirs.fit(X, y)
        assert ours.coef_.shape == theirs.coef_.shape
        assert np.shape(ours.intercept_) == np.shape(theirs.intercept_)
    k = 3
    softmax = pairs[2][0]
    W, b = softmax.unpack(softmax.theta_, 4)
    np.testing.assert_array_equal(softmax.coef_, W.T)  # row c is class c's weights, as in sklearn
    np.testing.assert_array_equal(softmax.intercept_, b)
    assert softmax.coef_.shape == (k, 4)


def test_score_is_r2_for_regressors_and_accuracy_for_classifiers(rng) -> None:
    X = rng.normal(size=(100, 3))
    y = X @ [1.0, -1.0, 0.5] + rng.normal(size=100)
    w = rng.uniform(0.5, 2.0, size=100)
    reg = models.LinearRegression().fit(X, y, n_epochs=30, tol=None)
    assert reg.score(X, y) == pytest.approx(r2_score(y, reg.predict(X)), rel=1e-12)
    assert reg.score(X, y, sample_weight=w) == pytest.approx(r2_score(y, reg.predict(X), sample_weight=w), rel=1e-12)
    labels = (y > 0).astype(int)
    clf = models.LogisticRegression().fit(X, labels, n_epochs=30, tol=None)
    assert clf.score(X, labels) == accuracy_score(labels, clf.predict(X))
    assert clf.score(X, labels, sample_weight=w) == pytest.approx(
        accuracy_score(labels, clf.predict(X), sample_weight=w), rel=1e-12)
    assert isinstance(reg.score(X, y), float) and isinstance(clf.score(X, labels), float)
    with pytest.raises(ValueError, match="y must have shape"):
        reg.score(X, y[:-1])
    with pytest.raises(ValueError, match="not fitted"):
        models.LinearRegression().score(X, y)


def test_cross_val_score_equals_a_loop_by_hand(rng) -> None:
    X, y = regression_data(rng)
    model = models.LinearRegression(penalty="l1", strength=0.2)
    options = {"learning_rate": step_for(X) / 2, "n_epochs": 3000, "tol": 1e-9}
    folds = KFold(5, shuffle=True, random_state=0)
    scores = cross_val_score(model, X, y, cv=folds, params=options)
    by_hand = [models.LinearRegression(penalty="l1", strength=0.2).fit(X[tr], y[tr], **options).score(X[te], y[te])
               for tr, te in folds.split(X)]
    np.testing.assert_allclose(scores, by_hand, rtol=1e-12)
    assert not hasattr(model, "theta_")  # cross_val_score fits clones


def test_grid_search_picks_the_strength_with_the_best_mean_score(rng) -> None:
    X, y = regression_data(rng, n=60)
    grid = {"strength": [0.0, 0.1, 1.0, 10.0]}
    search = GridSearchCV(models.LinearRegression(penalty="l2"), grid, cv=4)
    search.fit(X, y, learning_rate=step_for(X) / 2, n_epochs=3000, tol=1e-9)
    means = search.cv_results_["mean_test_score"]
    assert search.best_params_ == {"strength": grid["strength"][int(np.argmax(means))]}
    assert isinstance(search.best_estimator_, models.LinearRegression)
    assert search.best_estimator_.get_params()["strength"] == search.best_params_["strength"]
    assert search.best_params_["strength"] != 10.0  # a strength that zeroes the signal loses
    # the refit best estimator equals a fit by hand
    by_hand = models.LinearRegression(penalty="l2", strength=search.best_params_["strength"]).fit(
        X, y, learning_rate=step_for(X) / 2, n_epochs=3000, tol=1e-9)
    np.testing.assert_allclose(search.best_estimator_.coef_, by_hand.coef_, rtol=1e-12)


def test_grid_search_over_a_classifier_and_a_loss_parameter(rng) -> None:
    X = rng.normal(size=(120, 2))
    y = (X @ [1.0, 1.0] + rng.logistic(size=120) > 0).astype(int)
    search = GridSearchCV(models.LogisticRegression(penalty="l2"), {"strength": [0.001, 0.1], "pos_weight": [1.0, 2.0]},
                          cv=3).fit(X, y, n_epochs=200, tol=None)
    assert set(search.best_params_) == {"strength", "pos_weight"}
    assert 0.5 < search.best_score_ <= 1.0


def test_lossbook_does_not_import_sklearn() -> None:
    code = ("import sys, lossbook, lossbook.models, lossbook.penalties, lossbook.optim; "
            "import numpy as np; m = lossbook.models.LinearRegression(penalty='l1', strength=0.1)"
            ".fit(np.eye(3), [1.0, 2.0, 3.0], n_epochs=5, tol=None); m.score(np.eye(3), [1.0, 2.0, 3.0]); "
            "m.get_params(); print('sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- closed-form ridge and paths ---------------------------------------------------------------------
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_closed_form_ridge_is_sklearn_ridge_and_the_fitted_model(rng, fit_intercept) -> None:
    X, y = regression_data(rng)
    lam = 0.3
    theta = models.ridge(X, y, lam, fit_intercept=fit_intercept)
    theirs = sk.Ridge(alpha=X.shape[0] * lam / 2, fit_intercept=fit_intercept, solver="svd").fit(X, y)
    np.testing.assert_allclose(theta[:6], theirs.coef_, rtol=1e-12)
    if fit_intercept:
        assert theta[6] == pytest.approx(theirs.intercept_, rel=1e-12)
    fitted = models.LinearRegression(penalty="l2", strength=lam, fit_intercept=fit_intercept).fit(
        X, y, learning_rate=step_for(X), n_epochs=20000, tol=1e-12)
    np.testing.assert_allclose(fitted.theta_, theta, atol=1e-10)
    np.testing.assert_allclose(models.ridge(X, y, 0.0), models.least_squares(X, y), rtol=1e-10)


def test_ridge_path_is_ridge_at_each_strength(rng) -> None:
    X, y = regression_data(rng)
    strengths = [10.0, 0.3, 1e-3, 0.0]
    path = models.ridge_path(X, y, strengths)
    assert path.shape == (4, 7)
    for lam, theta in zip(strengths, path, strict=True):
        theirs = sk.Ridge(alpha=X.shape[0] * lam / 2, solver="svd").fit(X, y)
        np.testing.assert_allclose(theta, np.append(theirs.coef_, theirs.intercept_), rtol=1e-10, atol=1e-12)
    # rank-deficient features at lambda = 0: the minimum-norm least-squares solution, as lstsq gives
    twin = np.column_stack([X, X[:, 0]])
    np.testing.assert_allclose(models.ridge_path(twin, y, [0.0], fit_intercept=False)[0],
                               np.linalg.lstsq(twin, y, rcond=None)[0], rtol=1e-9)


def test_closed_form_ridge_bad_input() -> None:
    with pytest.raises(ValueError, match="strength must be >= 0"):
        models.ridge(np.eye(3), [1.0, 2.0, 3.0], -1.0)
    with pytest.raises(ValueError, match=r"y must have shape \(3,\)"):
        models.ridge(np.eye(3), [1.0, 2.0], 1.0)


def test_regularisation_path_matches_sklearn_lasso_path(rng) -> None:
    X, y = regression_data(rng)
    largest = 2.0 * np.abs((X - X.mean(axis=0)).T @ (y - y.mean())).max() / X.shape[0]  # zeroes every weight
    strengths = np.geomspace(1.01 * largest, 0.01, 8)
    coefs, intercepts = models.regularisation_path(models.LinearRegression(penalty="l1"), X, y, strengths,
                                                   learning_rate=step_for(X), n_epochs=20000, tol=1e-11)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    _, theirs, _ = sk.lasso_path(Xc, yc, alphas=strengths / 2, tol=1e-14, max_iter=100000)
    np.testing.assert_allclose(coefs, theirs.T, atol=1e-8)
    np.testing.assert_allclose(intercepts, y.mean() - coefs @ X.mean(axis=0), atol=1e-8)
    assert np.all(coefs[0] == 0.0) and np.all(coefs[-1] != 0.0)  # all zero at the top, none at the bottom


def test_regularisation_path_bad_input(rng) -> None:
    X, y = regression_data(rng)
    with pytest.raises(ValueError, match="has no penalty"):
        models.regularisation_path(models.LinearRegression(), X, y, [1.0])
    with pytest.raises(ValueError, match="strengths must be >= 0"):
        models.regularisation_path(models.LinearRegression(penalty="l1"), X, y, [1.0, -1.0])
