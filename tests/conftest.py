"""Shared fixtures: tests never reach AWS, and hypothesis is sized for a 2-core CI box."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Profiles (HYPOTHESIS_PROFILE=...): "default" is the fast one `make test` runs; "standard"
# is Hypothesis' own 100 examples; "thorough" asks for 2,000 (run it before a release).
_STANDARD_EXAMPLES = 100
settings.register_profile(
    "standard",
    deadline=None,  # CI machines are noisy; speed is measured in benchmarks/, not here
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    max_examples=_STANDARD_EXAMPLES,
)
settings.register_profile("default", parent=settings.get_profile("standard"), max_examples=25)
settings.register_profile("thorough", parent=settings.get_profile("standard"), max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def examples(standard: int) -> int:
    """A test's example count, given for the "standard" profile, scaled to the one loaded.

    The fast default runs a quarter of it (at least 10); "thorough" runs 20 times as many.
    """
    return max(10, standard * settings().max_examples // _STANDARD_EXAMPLES)


FIXTURES = Path(__file__).parent / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-aws", action="store_true", help="run tests marked 'aws' against a real account"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-aws"):
        return
    skip = pytest.mark.skip(reason="talks to AWS; opt in with --run-aws")
    for item in items:
        if "aws" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
