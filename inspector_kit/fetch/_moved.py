"""Deprecation aliases for the fetch modules that became private (issue 15)."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from types import ModuleType

__all__ = ["moved"]


def moved(
    old: str, new: ModuleType, *, renamed: Mapping[str, str] | None = None
) -> Callable[[str], Any]:
    """A module ``__getattr__`` for module ``old``, whose names now live in ``new``.

    Every name read through the old module warns (``DeprecationWarning``) and returns the
    object from its new home, which the warning names (the public ``inspector_kit.fetch``
    when the name is exported there). ``renamed`` maps old names to new ones.

    Examples:
        >>> import warnings
        >>> from inspector_kit.fetch import _stream
        >>> get = moved("inspector_kit.fetch.stream", _stream, renamed={"ItemError": "ItemIssue"})
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     cls = get("ItemError")
        >>> cls is _stream.ItemIssue
        True
        >>> print(caught[0].message)
        inspector_kit.fetch.stream.ItemError is deprecated: use inspector_kit.fetch.ItemIssue
    """
    renames = dict(renamed or {})

    def __getattr__(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(f"module {old!r} has no attribute {name!r}")
        target = renames.get(name, name)
        try:
            value = getattr(new, target)
        except AttributeError:
            raise AttributeError(f"module {old!r} has no attribute {name!r}") from None
        import inspector_kit.fetch as surface

        home = "inspector_kit.fetch" if target in surface.__all__ else new.__name__
        warnings.warn(
            f"{old}.{name} is deprecated: use {home}.{target}", DeprecationWarning, stacklevel=2
        )
        return value

    return __getattr__
