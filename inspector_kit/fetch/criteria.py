"""Deprecated: the criteria moved to the pure package ``inspector_kit.criteria``.

Importing them from here still works and warns (``DeprecationWarning``); import them from
``inspector_kit.criteria`` (or, as before, from ``inspector_kit.fetch`` or
``inspector_kit``), which does not load boto3.

Examples:
    >>> import warnings
    >>> import inspector_kit.criteria
    >>> from inspector_kit.fetch import criteria
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     criteria.FindingCriteria is inspector_kit.criteria.FindingCriteria
    True
    >>> print(caught[0].message)
    inspector_kit.fetch.criteria is deprecated: import FindingCriteria from inspector_kit.criteria
"""

from __future__ import annotations

import warnings
from typing import Any

import inspector_kit.criteria as _criteria

# The names this module had, served by __getattr__ below: each one warns when it is looked
# up, by attribute, by "from ... import" or by a star import.
__all__ = [  # noqa: F822
    "CLOSED_VALUES",
    "CoverageCriteria",
    "DateFilter",
    "FindingCriteria",
    "MapFilter",
    "NumberFilter",
    "PackageFilter",
    "PortRangeFilter",
    "StringFilter",
    "check_closed",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        warnings.warn(
            f"inspector_kit.fetch.criteria is deprecated: import {name} from "
            "inspector_kit.criteria",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(_criteria, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
