"""Pytest fixtures for the loopback Inspector.

Enable them in your top-level ``conftest.py``::

    pytest_plugins = ["inspector_kit.testing.fixtures"]

then ask for ``loopback_inspector`` in a test::

    def test_counts_findings(loopback_inspector):
        client = loopback_inspector.client("eu-west-1")
        assert client.list_findings(maxResults=5)["findings"]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from ._loopback import LoopbackInspector

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["loopback_inspector"]


@pytest.fixture
def loopback_inspector() -> Iterator[LoopbackInspector]:
    """A started ``LoopbackInspector`` serving the sample estate.

    Function scope: each test gets a fresh server, with no faults and an empty request log;
    it is stopped when the test ends.
    """
    with LoopbackInspector() as server:
        yield server
