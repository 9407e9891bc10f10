"""One-hidden-layer network: backpropagated gradients for every activation and loss, training, dead
units, the deep stack's layer gradients, and errors."""

from __future__ import annotations

import numpy as np
import pytest

from lossbook import activations as act
from lossbook import losses
from lossbook.gradcheck import check_grad
from lossbook.heads import OutputHead
from lossbook.models import LinearModel
from lossbook.networks import (
    NetworkParameters,
    OneHiddenLayerNetwork,
    deep_stack_cost_and_grads,
    default_gain,
    layer_gradient_norms,
)
from tests.helpers import ALL_LOSSES, param_sets

ACTIVATIONS = list(act.REGISTRY)
#: Activation parameters to test with besides the defaults.
ACTIVATION_PARAMS = {"leaky_relu": {"alpha": 0.2}, "prelu": {"alpha": -0.3}, "elu": {"alpha": 0.5}, "swish": {"beta": 2.0}}


def network_and_data(loss: losses.Loss, activation: str, rng: np.random.Generator, n: int = 14, **kwargs):
    X = rng.normal(size=(n, 3))
    if loss.task == "regression":
        y = rng.uniform(0.0, 3.0, n)
        return OneHiddenLayerNetwork(4, activation=activation, loss=loss, **kwargs), X, y
    if loss.task == "binary":
        y = (X[:, 0] + 0.5 * rng.normal(size=n) > 0).astype(int)
        return OneHiddenLayerNetwork(4, activation=activation, loss=loss, **kwargs), X, y
    y = np.argmax(X + 0.5 * rng.normal(size=X.shape), axis=1)
    return OneHiddenLayerNetwork(4, activation=activation, loss=loss, n_outputs=3, **kwargs), X, y


def away_from_kinks(net: OneHiddenLayerNetwork, theta: np.ndarray, X: np.ndarray) -> bool:
    """True when no pre-activation sits within 1e-3 of a kink, where finite differences break."""
    A = net.preactivations(theta, X)
    return all(np.all(np.abs(A - k) > 1e-3) for k in net.activation.kinks)


def random_theta(net, X, rng):
    while True:
        theta = net.init_params(X.shape[1], seed=int(rng.integers(2**31))) + rng.normal(0.0, 0.3, net.n_params(X.shape[1]))
        if away_from_kinks(net, theta, X):
            return theta


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("loss", ALL_LOSSES, ids=lambda l: l.name)
def test_parameter_gradient_matches_finite_differences(loss, activation, rng) -> None:
    for params in param_sets(loss)[:2]:
        net, X, y = network_and_data(loss, activation, rng, loss_params=params)
        theta = random_theta(net, X, rng)
        w = rng.uniform(0.5, 2.0, X.shape[0])
        for sw in (None, w):
            result = check_grad(
                lambda t: net.cost(t, X, y, sample_weight=sw),
                lambda t: net.gradient(t, X, y, sample_weight=sw),
                theta, rtol=1e-5, atol=1e-8,
            )
            assert result, f"{net} {params}: {result}"


@pytest.mark.parametrize("activation", list(ACTIVATION_PARAMS))
@pytest.mark.parametrize("loss", ["squared_error", "binary_cross_entropy_with_logits", "softmax_cross_entropy"])
def test_gradient_with_activation_parameters(loss, activation, rng) -> None:
    net, X, y = network_and_data(losses.REGISTRY[loss], activation, rng, activation_params=ACTIVATION_PARAMS[activation])
    theta = random_theta(net, X, rng)
    assert check_grad(lambda t: net.cost(t, X, y), lambda t: net.gradient(t, X, y), theta, rtol=1e-5, atol=1e-8)


def test_prelu_slopes_are_learned_one_per_unit(rng) -> None:
    net, X, y = network_and_data(losses.squared_error, "prelu", rng)
    assert net.learned == ("alpha",)
    assert net.n_params(3) == 3 * 4 + 4 + 4 + 4 + 1
    theta = net.init_params(3)
    np.testing.assert_array_equal(net.unpack(theta, 3).activation_params["alpha"], np.full(4, 0.25))
    # The slope entries of the gradient are dJ/d alpha_j, checked on their own.
    theta = random_theta(net, X, rng)
    slots = slice(3 * 4 + 4, 3 * 4 + 8)
    grad = net.gradient(theta, X, y)[slots]

    def cost_of_slopes(alpha):
        t = theta.copy()
        t[slots] = alpha
        return net.cost(t, X, y)

    assert check_grad(cost_of_slopes, lambda a: grad, theta[slots].copy(), rtol=1e-6, atol=1e-9)
    assert np.any(grad != 0.0)
    # With learning switched off, the slope is one shared, fixed parameter.
    fixed = OneHiddenLayerNetwork(4, activation="prelu", activation_params={"alpha": 0.1}, learn_activation_params=False)
    assert fixed.learned == () and fixed.n_params(3) == 3 * 4 + 4 + 4 + 1
    p = fixed.unpack(fixed.init_params(3), 3)
    A = X @ p.hidden_weights + p.hidden_bias
    np.testing.assert_array_equal(fixed.hidden(fixed.init_params(3), X), np.where(A > 0, A, 0.1 * A))


def test_prelu_network_trains_its_slopes(rng) -> None:
    X = rng.uniform(-2, 2, (80, 2))
    y = np.abs(X[:, 0]) + 0.05 * rng.normal(size=80)   # a V: negative slopes help
    net = OneHiddenLayerNetwork(6, activation="prelu", seed=1).fit(X, y, learning_rate=0.05, n_epochs=400)
    start = net.unpack(net.init_params(2), 2).activation_params["alpha"]
    end = net.unpack(net.theta_, 2).activation_params["alpha"]
    assert not np.array_equal(start, end)
    assert net.result_.cost < 0.2 * net.cost(net.init_params(2), X, y)


def test_pack_is_the_inverse_of_unpack(rng) -> None:
    for activation, k, loss in (("relu", 1, "squared_error"), ("prelu", 3, "softmax_cross_entropy")):
        net = OneHiddenLayerNetwork(5, activation=activation, loss=loss, n_outputs=k)
        theta = rng.normal(size=net.n_params(4))
        p = net.unpack(theta, 4)
        assert p.hidden_weights.shape == (4, 5) and p.hidden_bias.shape == (5,)
        assert p.output_weights.shape == ((5, k) if k > 1 else (5,))
        np.testing.assert_array_equal(net.pack(p), theta)
        p.hidden_bias[0] = 123.0   # views: writing through them changes theta
        assert theta[4 * 5] == 123.0


def test_init_is_seeded_and_scaled() -> None:
    net = OneHiddenLayerNetwork(2000, activation="relu", seed=7)
    a, b = net.init_params(10), net.init_params(10)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, net.init_params(10, seed=8))
    p = net.unpack(a, 10)
    assert np.std(p.hidden_weights) == pytest.approx(np.sqrt(2.0 / 10), rel=0.03)
    assert np.std(p.output_weights) == pytest.approx(np.sqrt(1.0 / 2000), rel=0.05)
    assert np.all(p.hidden_bias == 0.0) and float(p.output_bias) == 0.0
    assert default_gain("relu") == pytest.approx(np.sqrt(2.0)) and default_gain(act.tanh) == 1.0
    tanh_net = OneHiddenLayerNetwork(2000, activation="tanh", weight_scale=0.5, seed=7)
    assert np.std(tanh_net.unpack(tanh_net.init_params(10), 10).hidden_weights) == pytest.approx(0.5 / np.sqrt(10), rel=0.03)


def test_linear_activation_gives_a_linear_model(rng) -> None:
    X = rng.normal(size=(30, 3))
    net = OneHiddenLayerNetwork(7, activation="linear")
    theta = rng.normal(size=net.n_params(3))
    p = net.unpack(theta, 3)
    Z = net.hidden(theta, X) @ p.output_weights + p.output_bias
    W, b = p.hidden_weights @ p.output_weights, p.hidden_bias @ p.output_weights + p.output_bias
    np.testing.assert_allclose(Z, X @ W + b, rtol=1e-12)


def test_binary_step_hidden_layer_gets_no_gradient(rng) -> None:
    X, y = rng.normal(size=(40, 2)), rng.normal(size=40)
    net = OneHiddenLayerNetwork(6, activation="binary_step", seed=3)
    theta0 = net.init_params(2)
    g = net.unpack(net.gradient(theta0, X, y), 2)
    assert np.all(g.hidden_weights == 0.0) and np.all(g.hidden_bias == 0.0)
    net.fit(X, y, learning_rate=0.05, n_epochs=50)
    start, end = net.unpack(theta0, 2), net.unpack(net.theta_, 2)
    np.testing.assert_array_equal(start.hidden_weights, end.hidden_weights)
    assert not np.array_equal(start.output_weights, end.output_weights)


def test_dead_relu_units_get_no_gradient_and_stay_dead(rng) -> None:
    X = rng.uniform(-1, 1, (50, 2))
    y = np.sin(3 * X[:, 0])
    net = OneHiddenLayerNetwork(8, activation="relu", seed=0)
    theta = net.init_params(2)
    net.unpack(theta, 2).hidden_bias[:3] = -5.0   # outside the data: inactive everywhere
    dead = net.inactive_units(theta, X)
    assert dead[:3].all()
    g = net.unpack(net.gradient(theta, X, y), 2)
    assert np.all(g.hidden_weights[:, dead] == 0.0) and np.all(g.hidden_bias[dead] == 0.0)
    assert np.all(g.output_weights[dead] == 0.0)
    net.fit(X, y, theta0=theta, learning_rate=0.1, n_epochs=100, batch_size=5)
    end, start = net.unpack(net.theta_, 2), net.unpack(theta, 2)
    np.testing.assert_array_equal(end.hidden_weights[:, dead], start.hidden_weights[:, dead])
    np.testing.assert_array_equal(end.hidden_bias[dead], start.hidden_bias[dead])
    assert net.inactive_units(net.theta_, X)[dead].all()
    # Leaky units in the same place still receive a gradient.
    leaky = OneHiddenLayerNetwork(8, activation="leaky_relu", seed=0)
    g = leaky.unpack(leaky.gradient(theta, X, y), 2)
    assert np.all(g.hidden_bias[dead] != 0.0)


@pytest.mark.parametrize(
    "loss, k, make_y",
    [
        ("squared_error", 1, lambda X: np.sin(2 * X[:, 0]) + X[:, 1] ** 2),
        ("binary_cross_entropy_with_logits", 1, lambda X: (X[:, 0] * X[:, 1] > 0).astype(int)),
        ("softmax_cross_entropy", 3, lambda X: (X[:, 0] > 0).astype(int) + (X[:, 1] > 0.5).astype(int)),
    ],
)
def test_training_fits_non_linear_targets(loss, k, make_y, rng) -> None:
    X = rng.uniform(-1.5, 1.5, (120, 2))
    y = make_y(X)
    net = OneHiddenLayerNetwork(16, activation="tanh", loss=loss, n_outputs=k, seed=2)
    net.fit(X, y, learning_rate=0.5 if loss != "squared_error" else 0.1, n_epochs=1500)
    assert not net.result_.diverged
    linear = LinearModel(loss, n_outputs=k)
    linear_cost = linear.fit(X, y, learning_rate=0.2, n_epochs=1500).result_.cost
    assert net.result_.cost < 0.6 * linear_cost   # the hidden layer buys what a linear model cannot
    pred = net.predict(X)
    assert pred.shape == (120,)
    if loss != "squared_error":
        assert np.mean(pred == y) > 0.85
        proba = net.predict_proba(X)
        assert proba.shape == (120, max(k, 2))
        np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_xor_is_learned(rng) -> None:
    """XOR: no linear model separates it, one hidden layer does (the data of chapter 7)."""
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0, 1, 1, 0])
    net = OneHiddenLayerNetwork(4, activation="tanh", loss="binary_cross_entropy_with_logits", seed=4)
    net.fit(X, y, learning_rate=1.0, n_epochs=3000)
    np.testing.assert_array_equal(net.predict(X), y)


def test_squared_error_on_a_sigmoid_is_still_a_classifier(rng) -> None:
    X = rng.normal(size=(60, 2))
    y = (X[:, 0] > 0).astype(int)
    net = OneHiddenLayerNetwork(4, activation="tanh", loss="squared_error", link="sigmoid", seed=1)
    net.fit(X, y, learning_rate=1.0, n_epochs=300)
    assert set(np.unique(net.predict(X))) <= {0, 1} and np.mean(net.predict(X) == y) > 0.9
    np.testing.assert_allclose(net.predict_proba(X)[:, 1], net.predict_output(X))


def test_sample_weight_is_a_count(rng) -> None:
    X, y = rng.normal(size=(6, 2)), rng.normal(size=6)
    net = OneHiddenLayerNetwork(3, activation="softplus")
    theta = net.init_params(2)
    w = np.array([2.0, 1, 1, 1, 1, 1])
    Xd, yd = np.vstack([X, X[:1]]), np.append(y, y[0])
    assert net.cost(theta, X, y, sample_weight=w) == pytest.approx(net.cost(theta, Xd, yd), rel=1e-14)
    np.testing.assert_allclose(net.gradient(theta, X, y, sample_weight=w), net.gradient(theta, Xd, yd), rtol=1e-12)


@pytest.mark.filterwarnings("error")
def test_divergence_is_reported_without_numpy_warnings(rng) -> None:
    X, y = rng.normal(size=(40, 2)), rng.normal(size=40)
    net = OneHiddenLayerNetwork(10, activation="relu", seed=0)
    net.fit(X, y, learning_rate=50.0, n_epochs=50, batch_size=4, warn=False)
    assert net.result_.diverged


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "swish", "elu"])
def test_deep_stack_gradients_match_finite_differences(activation, rng) -> None:
    f = act.REGISTRY[activation]
    head = OutputHead("squared_error")
    X, y = rng.normal(size=(10, 4)), rng.normal(size=10)
    weights = [rng.normal(0, 0.7, (4, 5)), rng.normal(0, 0.7, (5, 5)), rng.normal(0, 0.7, (5, 5))]
    output_weights = rng.normal(0, 0.5, 5)
    _, grads = deep_stack_cost_and_grads(f, {}, weights, output_weights, head, X, y)
    for layer in range(3):
        def cost(W, layer=layer):
            ws = list(weights)
            ws[layer] = W
            return deep_stack_cost_and_grads(f, {}, ws, output_weights, head, X, y)[0]

        assert check_grad(cost, lambda W, layer=layer: grads[layer], weights[layer].copy(), rtol=1e-5, atol=1e-9)


def test_layer_gradient_norms_show_the_sigmoid_vanishing(rng) -> None:
    X, y = rng.normal(size=(100, 30)), rng.normal(size=100)
    sig = layer_gradient_norms("sigmoid", X, y, n_layers=12, width=30, seed=1)
    relu = layer_gradient_norms("relu", X, y, n_layers=12, width=30, seed=1)
    assert sig.shape == relu.shape == (12,)
    assert sig[0] / sig[-1] < 1e-5 < 0.05 < relu[0] / relu[-1]
    np.testing.assert_array_equal(sig, layer_gradient_norms("sigmoid", X, y, n_layers=12, width=30, seed=1))
    binary = layer_gradient_norms("tanh", X, (y > 0).astype(int), n_layers=3, width=8, loss="binary_cross_entropy_with_logits")
    assert binary.shape == (3,) and np.all(binary > 0)


def test_bad_configuration_and_input(rng) -> None:
    with pytest.raises(ValueError, match="unknown activation 'relu6'"):
        OneHiddenLayerNetwork(3, activation="relu6")
    with pytest.raises(ValueError, match="n_hidden must be a positive integer"):
        OneHiddenLayerNetwork(0)
    with pytest.raises(TypeError, match="unexpected parameter"):
        OneHiddenLayerNetwork(3, activation="relu", activation_params={"alpha": 0.1})
    with pytest.raises(ValueError, match="alpha"):
        OneHiddenLayerNetwork(3, activation="leaky_relu", activation_params={"alpha": -1.0})
    with pytest.raises(ValueError, match="unknown loss"):
        OneHiddenLayerNetwork(3, loss="l2")
    with pytest.raises(ValueError, match="n_outputs >= 2"):
        OneHiddenLayerNetwork(3, loss="softmax_cross_entropy")
    with pytest.raises(ValueError, match="weight_scale must be > 0"):
        OneHiddenLayerNetwork(3, weight_scale=0.0)
    net = OneHiddenLayerNetwork(3)
    with pytest.raises(ValueError, match=r"theta must have shape \(13,\)"):
        net.cost(np.zeros(5), rng.normal(size=(4, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="not fitted"):
        net.predict([[1.0, 2.0]])
    with pytest.raises(ValueError, match=r"labels in \{0, 1\}"):
        OneHiddenLayerNetwork(3, loss="binary_cross_entropy_with_logits").fit(rng.normal(size=(4, 2)), [0, 1, 2, 0])
    fitted = OneHiddenLayerNetwork(3, seed=0).fit(rng.normal(size=(6, 2)), rng.normal(size=6), n_epochs=5)
    with pytest.raises(ValueError, match=r"X has 3 feature\(s\), the network was fitted with 2"):
        fitted.predict(rng.normal(size=(2, 3)))
    with pytest.raises(ValueError, match="not probabilities"):
        fitted.predict_proba(rng.normal(size=(2, 2)))
    with pytest.raises(ValueError, match="n_layers must be a positive integer"):
        layer_gradient_norms("relu", rng.normal(size=(5, 2)), np.zeros(5), n_layers=0, width=3)
    with pytest.raises(ValueError, match=r"multi-class|n_outputs"):
        layer_gradient_norms("relu", rng.normal(size=(5, 2)), np.zeros(5), n_layers=2, width=3, loss="softmax_cross_entropy")
    assert "prelu" in repr(OneHiddenLayerNetwork(2, activation="prelu", activation_params={"alpha": 0.1}))
    assert isinstance(net.unpack(np.zeros(13), 2), NetworkParameters)
