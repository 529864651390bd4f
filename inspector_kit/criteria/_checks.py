"""Value checks and error paths shared by the filters and the criteria.

Every check raises [`CriteriaError`][inspector_kit.errors.CriteriaError] with a ``path`` relative to
the object being checked; ``guard`` prefixes a member name or list index as the error
travels up, so the caller sees the full API path (``vulnerabilityId[2].value``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from enum import Enum
from typing import Any, TypeVar, cast

import attrs

from inspector_kit._limits import PORT_RANGE
from inspector_kit.errors import CriteriaError, TimestampError
from inspector_kit.models._time import as_utc

_UTC = timezone.utc
_T = TypeVar("_T")


def type_name(value: object) -> str:
    """The type of ``value`` as error messages name it."""
    return "None" if value is None else type(value).__name__


def join(prefix: str, path: str) -> str:
    """``path`` seen from one level up: ``join("severity", "[0].value")``."""
    if not path:
        return prefix
    if not prefix or path.startswith("["):
        return prefix + path
    return f"{prefix}.{path}"


def guard(prefix: str, function: Callable[..., _T], *args: Any) -> _T:
    """Call ``function``; a ``CriteriaError`` it raises gets ``prefix`` on its path."""
    try:
        return function(*args)
    except CriteriaError as exc:
        raise CriteriaError(exc.reason, path=join(prefix, exc.path)) from None


def field_converter(convert: Callable[[Any], _T]) -> attrs.Converter[Any, _T]:
    """``convert`` as an attrs converter whose errors name its field's API member.

    The converter takes its field (``takes_field=True``); the field's ``metadata["api"]``
    is the API member name. A [`CriteriaError`][inspector_kit.errors.CriteriaError] raised while
    converting ``vulnerability_id=[..., "x" * 2000]`` says ``[2].value`` and leaves the constructor
    as ``vulnerabilityId[2].value``.
    """

    def run(value: Any, field: attrs.Attribute[Any]) -> _T:
        return guard(field.metadata["api"], convert, value)

    return attrs.Converter(run, takes_field=True)


def plain(value: str) -> str:
    """Converter: an enum member becomes its plain value (``Severity.HIGH`` -> ``"HIGH"``)."""
    if isinstance(value, Enum):
        return cast("str", value.value)
    return value


def plain_or_none(value: str | None) -> str | None:
    """Converter: like ``plain``, keeping ``None``."""
    return None if value is None else plain(value)


def check_text(value: object, path: str, length: tuple[int, int | None]) -> None:
    """A string whose length is within ``length`` (min, max or ``None`` for no maximum)."""
    if not isinstance(value, str):
        raise CriteriaError(f"expected a string, got {type_name(value)}", path=path)
    low, high = length
    if len(value) < low or (high is not None and len(value) > high):
        allowed = f"{low}..{high}" if high is not None else f"at least {low}"
        raise CriteriaError(f"length must be {allowed}, got {len(value)}", path=path)


def check_choice(value: object, allowed: tuple[str, ...], path: str, shape: str) -> None:
    """A comparison that ``shape`` takes."""
    if not isinstance(value, str):
        raise CriteriaError(f"expected a string, got {type_name(value)}", path=path)
    if value not in allowed:
        raise CriteriaError(
            f"{shape} comparison must be one of {', '.join(allowed)}, got {value!r}", path=path
        )


def check_number(value: object, path: str) -> None:
    """A finite number that fits a double (``bool`` is not a number here)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CriteriaError(f"expected a number, got {type_name(value)}", path=path)
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an int beyond any double
        raise CriteriaError("out of range for a double", path=path) from None
    if not finite:
        raise CriteriaError(f"must be a finite number, got {value!r}", path=path)


def check_port(value: object, path: str) -> None:
    """An ``int`` within the model's ``Port`` range."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise CriteriaError(f"expected an int, got {type_name(value)}", path=path)
    low, high = PORT_RANGE
    if not low <= value <= high:
        raise CriteriaError(f"port must be {low}..{high}, got {value}", path=path)


def check_instant(value: object, path: str) -> None:
    """A timezone-aware ``datetime`` (a naive one's zone would be a guess)."""
    if not isinstance(value, datetime):
        raise CriteriaError(
            f"expected a timezone-aware datetime, got {type_name(value)}", path=path
        )
    try:
        as_utc(value, what="", naive="reject")
    except TimestampError as exc:
        raise CriteriaError(exc.reason, path=path) from None


def aware_utc(value: datetime | None) -> datetime | None:
    """Converter: aware datetimes to UTC; anything else is left for the checks to report."""
    if isinstance(value, datetime) and value.utcoffset() is not None:
        try:
            return value.astimezone(_UTC)
        except OverflowError:  # within a day of datetime.min/max: keep its own zone
            return value
    return value


def instant_from_api(value: object) -> object:
    """A timestamp as botocore accepts one: datetime, ISO 8601 text, or epoch seconds."""
    if isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            return datetime.fromisoformat(text)  # naive text is rejected by DateFilter
        except ValueError:
            raise CriteriaError(f"not an ISO 8601 timestamp: {value!r}") from None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, _UTC)
        except (OverflowError, OSError, ValueError):
            raise CriteriaError(f"epoch seconds out of range: {value!r}") from None
    return value


def api_members(
    payload: object, shape: str, known: tuple[str, ...], required: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The non-null members of an API object, after checking its member names."""
    if not isinstance(payload, Mapping):
        raise CriteriaError(f"expected a {shape} object, got {type_name(payload)}")
    for key in payload:
        if key not in known:
            raise CriteriaError(
                f"unknown {shape} member {key!r} (known: {', '.join(known)})", path=str(key)
            )
    for key in required:
        if payload.get(key) is None:
            raise CriteriaError(f"missing required {shape} member", path=key)
    return {key: value for key, value in payload.items() if value is not None}
