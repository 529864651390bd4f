"""Deprecation aliases for module paths that moved (a leaf: imports nothing from the package).

A module that became private keeps a small module at its old path whose ``__getattr__``
comes from :func:`moved_module`: every name still resolves, with a ``DeprecationWarning``
naming the package to import it from instead.
"""

from __future__ import annotations

import importlib
import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["moved_module"]


def moved_module(old: str, new: str, surface: str) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``old``, now ``new``, whose public names ``surface`` exports.

    Example:
        >>> import warnings
        >>> getattr_ = moved_module("inspector_kit.models.enums", "inspector_kit.models._enums",
        ...                         "inspector_kit.models")
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     getattr_("Severity").HIGH.value
        'HIGH'
        >>> print(caught[0].message)
        inspector_kit.models.enums is deprecated: import Severity from inspector_kit.models
    """

    def __getattr__(name: str) -> Any:
        if name.startswith("__") and name != "__all__":  # __path__, __file__...: not ours
            raise AttributeError(f"module {old!r} has no attribute {name!r}")
        module = importlib.import_module(new)
        try:
            value = getattr(module, name)
        except AttributeError:
            raise AttributeError(f"module {old!r} has no attribute {name!r}") from None
        public = name in getattr(importlib.import_module(surface), "__all__", ())
        warnings.warn(
            f"{old} is deprecated: import {name} from {surface if public else new}",
            DeprecationWarning,
            stacklevel=2,
        )
        return value

    return __getattr__
