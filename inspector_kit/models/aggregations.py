"""Deprecated module path: import from [`inspector_kit.models`][inspector_kit.models].

The implementation is private now; every name still resolves here, with a
``DeprecationWarning``.
"""

from inspector_kit._deprecated import moved_module

__getattr__ = moved_module(
    "inspector_kit.models.aggregations",
    "inspector_kit.models._aggregations",
    "inspector_kit.models",
)
