"""Deprecated module: import from ``inspector_kit.fetch`` (its names now live in ``_results``).

Examples:
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     from inspector_kit.fetch import results
"""

from __future__ import annotations

from . import _results
from ._moved import moved

__getattr__ = moved(__name__, _results)
