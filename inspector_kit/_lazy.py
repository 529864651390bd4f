"""Lazy package surfaces (PEP 562): a name's module is imported when the name is first read.

A package ``__init__`` that re-exports names from many modules makes every import of the
package pay for all of them; a Lambda handler that reads one EventBridge finding would load
the aggregation, coverage, pricing and scoring code too (issue 19, item 7). With
[`lazy_surface`][inspector_kit._lazy.lazy_surface] the ``__init__`` lists where each name
lives, imports nothing, and gets a module ``__getattr__`` that imports the right module on
first use (then caches the object in the package namespace, so later reads cost a dict
lookup) and a ``__dir__`` that lists every name as before. Type checkers and the API docs
read the same names from ``if TYPE_CHECKING:`` imports, which ``tests/test_footprint.py``
compares with the map.

This module is a leaf: it imports nothing from the package.

Examples:
    >>> namespace = {"__name__": "json"}
    >>> getattr_, dir_ = lazy_surface(namespace, {".decoder": ["JSONDecoder"]}, {"scanner"})
    >>> getattr_("JSONDecoder").__name__
    'JSONDecoder'
    >>> "JSONDecoder" in namespace  # cached: the next read does not come back here
    True
    >>> getattr_("scanner").__name__
    'json.scanner'
    >>> dir_()
    ['JSONDecoder', '__name__', 'scanner']
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

__all__ = ["lazy_surface"]


def _import(name: str) -> Any:
    # The import statement's machinery, not importlib.import_module: ``python -X importtime``
    # (which benchmarks/footprint.py reads) only sees imports made through it.
    __import__(name)
    return sys.modules[name]


def lazy_surface(
    namespace: dict[str, Any],
    exports: Mapping[str, Iterable[str]],
    submodules: Iterable[str] = (),
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A package's ``__getattr__`` and ``__dir__`` that import its names on first use.

    Args:
        namespace: The package's ``globals()``; a name read is stored there.
        exports: Module, relative to the package (``".loaders"``, ``"._finding"``) -> the
            public names the package takes from it.
        submodules: Modules of the package that read as attributes of it without an
            import of their own (as they did when the package imported them eagerly).

    Returns:
        ``(__getattr__, __dir__)``, to assign in the package's ``__init__``.

    Examples:
        >>> getattr_, _ = lazy_surface({"__name__": "json"}, {})
        >>> getattr_("nothing")
        Traceback (most recent call last):
        ...
        AttributeError: module 'json' has no attribute 'nothing'
    """
    package: str = namespace["__name__"]
    table = {name: module for module, names in exports.items() for name in names}
    modules = frozenset(submodules)

    def __getattr__(name: str) -> Any:
        where = table.get(name)
        if where is not None:
            value = getattr(_import(package + where), name)
            namespace[name] = value
            return value
        if name in modules:
            return _import(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted({*namespace, *table, *modules})

    return __getattr__, __dir__
