"""Optional dependencies, imported only when a function needs them."""

from __future__ import annotations

import importlib
from typing import Any

from inspector_kit.errors import InspectorKitError

__all__ = ["MissingExtraError", "require"]


class MissingExtraError(InspectorKitError, ImportError):
    """An optional dependency is not installed; the message says which extra to install.

    Attributes:
        module: The module that could not be imported (``pandas``).
        extra: The inspector-kit extra that provides it (``pandas``, ``arrow``, ``excel``).

    Example:
        >>> err = MissingExtraError("pandas", "pandas")
        >>> print(err)
        to_pandas needs pandas: pip install 'inspector-kit[pandas]'
        >>> isinstance(err, ImportError)
        True
    """

    def __init__(self, module: str, extra: str, *, feature: str | None = None) -> None:
        self.module = module
        self.extra = extra
        self.feature = feature or f"to_{extra}"
        super().__init__(
            f"{self.feature} needs {module}: pip install 'inspector-kit[{extra}]'", name=module
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.module, self.extra, self.feature))


def _rebuild(module: str, extra: str, feature: str) -> MissingExtraError:
    return MissingExtraError(module, extra, feature=feature)


def require(module: str, extra: str, *, feature: str | None = None) -> Any:
    """Import ``module`` (typed ``Any``: pandas, pyarrow and openpyxl ship no stubs).

    Raises:
        MissingExtraError: ``module`` is not installed (or is blocked).
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(module, extra, feature=feature) from exc
