"""Every conversion of a record value to text, as ``inspector_kit.formats`` sees it.

The conversions live in the leaf module ``inspector_kit._values`` (the records protocol,
which the models use, renders with them); this module re-exports them under the names
other modules import from here, and adds ``_api_default``, the JSON default of the
API shape (timestamps as the API writes them), which needs
[`inspector_kit.models`][inspector_kit.models].
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from inspector_kit._values import (
    _json_default,
    _markdown_text,
    _neutralise,
    _printable,
    _printable_lines,
    _text,
    html_cell_text,
    html_escape,
)
from inspector_kit.errors import RecordsError
from inspector_kit.models._time import format_timestamp

__all__ = [
    "_api_default",
    "_json_default",
    "_markdown_text",
    "_neutralise",
    "_printable",
    "_printable_lines",
    "_text",
    "html_cell_text",
    "html_escape",
]


def _api_default(value: Any) -> Any:
    """A JSON default for the API shape: a datetime as the API writes timestamps.

    Examples:
        >>> from datetime import datetime, timezone
        >>> _api_default(datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
        '2024-01-02T03:04:05Z'
    """
    if isinstance(value, datetime):
        return format_timestamp(value)
    raise RecordsError(f"{type(value).__name__} is not JSON serialisable")
