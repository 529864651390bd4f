"""Deprecated module path: import from [`inspector_kit.scoring`][inspector_kit.scoring].

The implementation is private now; every name still resolves here, with a
``DeprecationWarning``.
"""

from inspector_kit._deprecated import moved_module

__getattr__ = moved_module(
    "inspector_kit.scoring.exposure", "inspector_kit.scoring._exposure", "inspector_kit.scoring"
)
