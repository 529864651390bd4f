"""Deprecation aliases for module paths that moved (a leaf: imports nothing from the package).

A module that became private keeps a small module at its old path whose ``__getattr__``
comes from ``moved_module``: every name still resolves, with a ``DeprecationWarning``
naming the package to import it from instead.
"""

from __future__ import annotations

import functools
import importlib
import warnings
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["keyword_only", "moved_module"]

_F = TypeVar("_F", bound="Callable[..., Any]")


def moved_module(
    old: str, new: str, surface: str, *, renamed: Mapping[str, str] | None = None
) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``old``, now ``new``, whose public names ``surface`` exports.

    ``renamed`` maps names the old module had to their new names (a renamed class), which
    the warning then names.

    Examples:
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
    renames = dict(renamed or {})

    def __getattr__(name: str) -> Any:
        if name.startswith("__") and name != "__all__":  # __path__, __file__...: not ours
            raise AttributeError(f"module {old!r} has no attribute {name!r}")
        module = importlib.import_module(new)
        target = renames.get(name, name)
        try:
            value = getattr(module, target)
        except AttributeError:
            raise AttributeError(f"module {old!r} has no attribute {name!r}") from None
        public = target in getattr(importlib.import_module(surface), "__all__", ())
        warnings.warn(
            f"{old} is deprecated: import {target} from {surface if public else new}",
            DeprecationWarning,
            stacklevel=2,
        )
        return value

    return __getattr__


def keyword_only(*names: str, positional: int) -> Callable[[_F], _F]:
    """Decorator: ``names`` became keyword-only; passing them by position still works, warned.

    ``positional`` is how many leading arguments stay positional. The decorated function
    is declared with the new keyword-only signature (so type checkers flag positional
    calls); at run time a call that still passes ``names`` by position gets a
    ``DeprecationWarning`` and works as before.

    Examples:
        >>> import warnings
        >>> @keyword_only("version", positional=1)
        ... def parse(text: str, *, version: str | None = None) -> str:
        ...     return f"{text} v{version}"
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     parse("x", "3.1")
        'x v3.1'
        >>> print(caught[0].message)
        parse(): pass version by keyword (version=...); passing it by position is deprecated
    """

    def decorate(func: _F) -> _F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if len(args) > positional:
                extra = args[positional:]
                if len(extra) > len(names):  # let Python say what is wrong
                    return func(*args, **kwargs)
                moved = names[: len(extra)]
                clash = [name for name in moved if name in kwargs]
                if clash:
                    raise TypeError(
                        f"{func.__qualname__}() got multiple values for argument {clash[0]!r}"
                    )
                shown = ", ".join(f"{name}=..." for name in moved)
                warnings.warn(
                    f"{func.__qualname__}(): pass {', '.join(moved)} by keyword ({shown}); "
                    "passing it by position is deprecated",
                    DeprecationWarning,
                    stacklevel=2,
                )
                kwargs.update(zip(moved, extra, strict=True))
                args = args[:positional]
            return func(*args, **kwargs)

        return cast("_F", wrapper)

    return decorate
