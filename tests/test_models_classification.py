"""LogisticRegression predicts class labels whatever its loss, including a regression loss."""

from __future__ import annotations

import numpy as np
import pytest

from lossbook.models import LogisticRegression


@pytest.fixture
def data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    X = rng.normal(size=(80, 2))
    return X, (X @ np.array([2.0, -1.0]) + 0.5 * rng.normal(size=80) > 0).astype(int)


@pytest.mark.parametrize(
    "loss", ["binary_cross_entropy_with_logits", "binary_cross_entropy", "hinge", "squared_hinge", "squared_error"]
)
def test_predict_returns_labels_from_the_sign_of_the_score(data, loss) -> None:
    X, y = data
    model = LogisticRegression(loss).fit(X, y, learning_rate=0.5, n_epochs=300)
    labels = model.predict(X)
    assert labels.dtype == np.intp and labels.shape == y.shape
    assert set(np.unique(labels)) <= {0, 1}
    np.testing.assert_array_equal(labels, (model.decision_function(X) > 0).astype(np.intp))
    assert np.mean(labels == y) > 0.8


def test_squared_error_on_the_sigmoid_is_a_classifier(data) -> None:
    X, y = data
    model = LogisticRegression("squared_error").fit(X, y, learning_rate=2.0, n_epochs=500)
    assert model.head.link.name == "sigmoid"
    proba = model.predict_proba(X)[:, 1]
    np.testing.assert_array_equal(model.predict(X), (proba > 0.5).astype(np.intp))
