"""Deprecated module: import from ``inspector_kit.fetch`` (its names now live in ``_stream``).

Examples:
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     from inspector_kit.fetch import stream
"""

from __future__ import annotations

from . import _stream
from ._moved import moved

__getattr__ = moved(__name__, _stream, renamed={"ItemError": "ItemIssue"})
