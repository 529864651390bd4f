"""Deprecated module: import from ``inspector_kit.fetch`` (its names now live in ``_results``).

Examples:
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     from inspector_kit.fetch import results
"""

from __future__ import annotations

from inspector_kit._deprecated import moved_module

__getattr__ = moved_module(
    "inspector_kit.fetch.results", "inspector_kit.fetch._results", "inspector_kit.fetch"
)
