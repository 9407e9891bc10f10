"""Plotting tests draw off-screen and close every figure they open."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from lossbook.plotting import use_book_style


@pytest.fixture(autouse=True)
def book_style():
    use_book_style()
    yield
    plt.close("all")
