"""Fixtures shared by every test module."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

# Hypothesis profiles. "ci" (the default, and what `make test` and CI run) is deterministic: the
# same examples every run, on every machine, no example database. "explore" searches afresh each
# run with many more examples, to hunt for new failures on demand:
#   HYPOTHESIS_PROFILE=explore .venv/bin/python -m pytest tests/test_properties.py
# A failure it finds prints the example; add it with @example so the "ci" profile keeps it.
settings.register_profile(
    "ci",
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "explore",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(20261122)
