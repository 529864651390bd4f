"""Deprecated module: import from ``inspector_kit.fetch`` (its names now live in ``_exports``).

Examples:
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     from inspector_kit.fetch import exports
"""

from __future__ import annotations

from . import _exports
from ._moved import moved

__getattr__ = moved(__name__, _exports, renamed={"ExportRecordError": "ExportRecordIssue"})
