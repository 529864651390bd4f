"""Optional dependencies, imported only when a function needs them."""

from __future__ import annotations

import importlib
from typing import Any

from inspector_kit.errors import MissingExtraError
from inspector_kit.errors import (  # unpickles errors pickled before the class moved
    _rebuild_missing_extra_error as _rebuild,  # noqa: F401
)

__all__ = ["MissingExtraError", "require"]


def require(module: str, extra: str, *, feature: str | None = None) -> Any:
    """Import ``module`` (typed ``Any``: pandas, pyarrow and openpyxl ship no stubs).

    Raises:
        MissingExtraError: ``module`` is not installed (or is blocked).
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(module, extra, feature=feature) from exc
