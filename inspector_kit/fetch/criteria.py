"""Typed filter criteria for ``ListFindings`` and ``ListCoverage``, checked before any request.

:class:`FindingCriteria` builds the ``filterCriteria`` argument of ``ListFindings`` (also
taken by ``CreateFilter``, ``UpdateFilter`` and ``CreateFindingsReport``): the botocore
``FilterCriteria`` shape. :class:`CoverageCriteria` builds the one of ``ListCoverage`` and
``ListCoverageStatistics``: ``CoverageFilterCriteria``. Each has one field per API member, in
snake_case (``awsAccountId`` is ``aws_account_id``), holding a tuple of filters. A field takes a
single filter, a plain value (a ``str`` or one of our enum members, meaning EQUALS), or any
iterable of those:

    >>> from inspector_kit.fetch.criteria import FindingCriteria, NumberFilter, StringFilter
    >>> from inspector_kit.models import Severity
    >>> crit = FindingCriteria(
    ...     severity=[Severity.CRITICAL, "HIGH"],
    ...     vulnerability_id="CVE-2024-3094",
    ...     inspector_score=NumberFilter(gte=7),
    ... )
    >>> crit
    FindingCriteria(severity=['CRITICAL', 'HIGH'], inspector_score=NumberFilter(gte=7),
                    vulnerability_id='CVE-2024-3094')
    >>> crit.to_api()["severity"]
    [{'comparison': 'EQUALS', 'value': 'CRITICAL'}, {'comparison': 'EQUALS', 'value': 'HIGH'}]
    >>> FindingCriteria.from_api(crit.to_api()) == crit
    True
    >>> sorted(crit.where(severity="CRITICAL", inspector_score=()).fields_set())
    ['severity', 'vulnerabilityId']

``to_api()`` gives exactly what botocore takes (timestamps stay ``datetime`` objects; botocore
serializes them), so ``client.list_findings(filterCriteria=crit.to_api())`` works with a plain
boto3 client too.

Where the checks happen:

* A filter checks its own shape when it is built, so ``NumberFilter(gte=9, lte=7)`` fails on
  that line. Its error ``path`` is relative to the filter (``lowerInclusive``, ``value``).
* A criteria object checks everything that depends on the field: the number of filters per
  criterion (1-10 in the model; an empty tuple means "not set"), plain values it turns into
  filters, and the limits that differ between the two operations. Its error paths are full
  API paths with list indexes: ``severity``, ``vulnerabilityId[2].value``,
  ``resourceTags[0].key``. :meth:`FindingCriteria.from_api` reports the same paths.
* A string criterion whose values are a closed set in the service model (``severity``,
  ``findingStatus``, ``findingType``, ``resourceType``, ``fixAvailable``,
  ``exploitAvailable``, ``networkProtocol``, ``lambdaFunctionRuntime``,
  ``codeRepositoryProviderType``; for coverage ``scanType``, ``scanMode``, ``resourceType``,
  ``scanStatusCode``, ``scanStatusReason``, ``lambdaFunctionRuntime``) is checked against
  that set: ``severity="critical"`` or ``resource_type="EC2"`` would silently match nothing
  (a CI gate that goes green), so they raise a :class:`CriteriaError` naming the valid values
  and the likely one (``'CRITICAL'``, ``'AWS_EC2_INSTANCE'``). EQUALS and NOT_EQUALS need a
  valid value (a NOT_EQUALS with an impossible value excludes nothing, which is as surely a
  mistake); PREFIX needs a prefix of one. The sets are this version's enums, pinned to the
  botocore model by the tests. When AWS adds a value before this library knows it, pass
  ``StringFilter("NEW_VALUE", check=False)`` (see :data:`CLOSED_VALUES`).

The limits are hard-coded below from the botocore ``inspector2`` model rather than read from
it at run time: the classes stay pure (no botocore session or data loader behind a
constructor), each limit sits next to the check that uses it, and the fields, which must be
written out for mypy anyway, cannot disagree with limits loaded from another botocore
version. ``tests/test_criteria.py`` asserts every constant, member table and filter shape
against the installed model, so a model change fails the test suite instead of drifting.

How ``ListCoverage`` filters differ from ``ListFindings`` ones (same classes, checked by
:class:`CoverageCriteria`):

* ``CoverageStringFilter`` has no PREFIX comparison: only EQUALS and NOT_EQUALS.
* ``CoverageMapFilter``'s key and value are ``NonEmptyString`` (at least 1 character, no
  maximum); ``MapFilter``'s key is 1-128 characters and its value 0-256.
* ``CoverageNumberFilter``'s bounds are ``long``: whole numbers only (``3.0`` is sent as ``3``);
  ``NumberFilter``'s are ``double``.
* ``CoverageDateFilter`` is ``DateFilter`` under another name.

Combining criteria (``a & b``) concatenates the filters of each criterion. Different criteria
are ANDed by Inspector; several filters of one criterion are alternatives in the console
(several severities match any of them), which the API reference does not state
(**UNCONFIRMED**), so combining two criteria that both set ``severity`` widens that criterion.
"""

from __future__ import annotations

import difflib
import functools
import math
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

import attrs

from inspector_kit.errors import CriteriaError
from inspector_kit.models import (
    CodeRepositoryProviderType,
    CoverageResourceType,
    ExploitAvailable,
    FindingStatus,
    FindingType,
    FixAvailable,
    NetworkProtocol,
    ResourceType,
    Runtime,
    ScanMode,
    ScanStatusCode,
    ScanStatusReason,
    ScanType,
    Severity,
)

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = [
    "CLOSED_VALUES",
    "CoverageCriteria",
    "DateFilter",
    "FindingCriteria",
    "MapFilter",
    "NumberFilter",
    "PackageFilter",
    "PortRangeFilter",
    "StringFilter",
]

# ----------------------------------------------------------------------------- model limits
# From botocore's inspector2 service-2.json; tests/test_criteria.py pins each one to the model.

_MAX_FILTERS = 10  # every *FilterList: min 1, max 10
_STRING_COMPARISONS = ("EQUALS", "PREFIX", "NOT_EQUALS")  # StringComparison
_COVERAGE_STRING_COMPARISONS = ("EQUALS", "NOT_EQUALS")  # CoverageStringComparison
_STRING_VALUE_LENGTH = (1, 1024)  # StringInput and CoverageStringInput
_MAP_COMPARISONS = ("EQUALS",)  # MapComparison and CoverageMapComparison
_MAP_KEY_LENGTH = (1, 128)  # MapKey
_MAP_VALUE_LENGTH = (0, 256)  # MapValue
_COVERAGE_MAP_KEY_LENGTH = (1, None)  # NonEmptyString
_COVERAGE_MAP_VALUE_LENGTH = (1, None)  # NonEmptyString
_PORT_RANGE = (0, 65535)  # Port
_LONG_RANGE = (-(2**63), 2**63 - 1)  # Long: no limit in the model; the wire type's range

_UTC = timezone.utc
_T = TypeVar("_T")
_F = TypeVar("_F")
_A = TypeVar("_A", bound=attrs.AttrsInstance)


# ----------------------------------------------------------------------------- helpers


def _type_name(value: object) -> str:
    return "None" if value is None else type(value).__name__


def _join(prefix: str, path: str) -> str:
    if not path:
        return prefix
    if not prefix or path.startswith("["):
        return prefix + path
    return f"{prefix}.{path}"


def _within(exc: CriteriaError, prefix: str) -> CriteriaError:
    """The same error, seen from one level up (``prefix`` is a member name or ``[index]``)."""
    return CriteriaError(exc.reason, path=_join(prefix, exc.path))


def _guard(prefix: str, function: Callable[[Any], _T], value: Any) -> _T:
    try:
        return function(value)
    except CriteriaError as exc:
        raise _within(exc, prefix) from None


def _plain(value: str) -> str:
    """Converter: an enum member becomes its plain value (``Severity.HIGH`` -> ``"HIGH"``)."""
    if isinstance(value, Enum):
        return cast("str", value.value)
    return value


def _plain_or_none(value: str | None) -> str | None:
    """Converter: like :func:`_plain`, keeping ``None``."""
    return None if value is None else _plain(value)


def _check_text(value: object, path: str, length: tuple[int, int | None]) -> None:
    if not isinstance(value, str):
        raise CriteriaError(f"expected a string, got {_type_name(value)}", path=path)
    low, high = length
    if len(value) < low or (high is not None and len(value) > high):
        allowed = f"{low}..{high}" if high is not None else f"at least {low}"
        raise CriteriaError(f"length must be {allowed}, got {len(value)}", path=path)


def _check_choice(value: object, allowed: tuple[str, ...], path: str, shape: str) -> None:
    if not isinstance(value, str):
        raise CriteriaError(f"expected a string, got {_type_name(value)}", path=path)
    if value not in allowed:
        raise CriteriaError(
            f"{shape} comparison must be one of {', '.join(allowed)}, got {value!r}", path=path
        )


def _check_number(value: object, path: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CriteriaError(f"expected a number, got {_type_name(value)}", path=path)
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an int beyond any double
        raise CriteriaError("out of range for a double", path=path) from None
    if not finite:
        raise CriteriaError(f"must be a finite number, got {value!r}", path=path)


def _check_port(value: object, path: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CriteriaError(f"expected an int, got {_type_name(value)}", path=path)
    low, high = _PORT_RANGE
    if not low <= value <= high:
        raise CriteriaError(f"port must be {low}..{high}, got {value}", path=path)


def _check_instant(value: object, path: str) -> None:
    if not isinstance(value, datetime):
        raise CriteriaError(
            f"expected a timezone-aware datetime, got {_type_name(value)}", path=path
        )
    if value.utcoffset() is None:
        raise CriteriaError(
            f"naive datetime {value.isoformat()}: pass tzinfo (e.g. tzinfo=timezone.utc)",
            path=path,
        )


def _aware_utc(value: datetime | None) -> datetime | None:
    """Converter: aware datetimes to UTC; anything else is left for the checks to report."""
    if isinstance(value, datetime) and value.utcoffset() is not None:
        try:
            return value.astimezone(_UTC)
        except OverflowError:  # within a day of datetime.min/max: keep its own zone
            return value
    return value


def _instant_from_api(value: object) -> object:
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


def _members(
    payload: object, shape: str, known: tuple[str, ...], required: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The non-null members of an API object, after checking its member names."""
    if not isinstance(payload, Mapping):
        raise CriteriaError(f"expected a {shape} object, got {_type_name(payload)}")
    for key in payload:
        if key not in known:
            raise CriteriaError(
                f"unknown {shape} member {key!r} (known: {', '.join(known)})", path=str(key)
            )
    for key in required:
        if payload.get(key) is None:
            raise CriteriaError(f"missing required {shape} member", path=key)
    return {key: value for key, value in payload.items() if value is not None}


def _kw_repr(obj: object, names: tuple[str, ...]) -> str:
    shown = [
        f"{name}={_part_repr(getattr(obj, name))}"
        for name in names
        if getattr(obj, name) is not None
    ]
    return f"{type(obj).__name__}({', '.join(shown)})"


def _part_repr(value: object) -> str:
    """An EQUALS string filter shows as its plain value, which the constructors accept."""
    if isinstance(value, StringFilter) and value.comparison == "EQUALS" and value.check:
        return repr(value.value)
    return repr(value)


def _name_errors(members: Mapping[str, str]) -> Callable[[type[_A]], type[_A]]:
    """Make a converter's errors name the field they came from, by its API member name.

    attrs converters only see the value, so a :class:`CriteriaError` raised while converting
    ``vulnerability_id=[..., "x" * 2000]`` knows ``[2].value`` but not the field. This wraps
    the attrs ``__init__`` (whose signature mypy's attrs plugin still reads) to run each
    field's converter first and prefix the field's API name to the error path; attrs then
    converts again, which is cheap and idempotent.
    """

    def decorate(cls: type[_A]) -> type[_A]:
        converters = {
            field.alias: (members[field.name], cast("Callable[[Any], Any]", field.converter))
            for field in attrs.fields(cls)
            if field.converter is not None
        }
        attrs_init = cls.__init__

        @functools.wraps(attrs_init)
        def __init__(self: Any, **kwargs: Any) -> None:
            converted = {}
            for name, value in kwargs.items():
                entry = converters.get(name)
                if entry is None:
                    converted[name] = value  # attrs reports unknown names
                else:
                    api, convert = entry
                    converted[name] = _guard(api, convert, value)
            attrs_init(self, **converted)

        cls.__init__ = __init__  # type: ignore[method-assign]
        return cls

    return decorate


# ----------------------------------------------------------------------------- filters


@attrs.frozen(repr=False)
class StringFilter:
    """API ``StringFilter``: compare a string member with ``value``.

    ``comparison`` is EQUALS (the default), PREFIX or NOT_EQUALS; ``ListCoverage`` takes no
    PREFIX (see :class:`CoverageCriteria`). ``value`` is 1-1024 characters; enum members are
    stored as their plain value. A plain ``str`` given to a criteria field means EQUALS.

    Attributes:
        value: API ``value``.
        comparison: API ``comparison``.

    Example:
        >>> from inspector_kit.models import Severity
        >>> StringFilter(Severity.HIGH), StringFilter.prefix("arn:aws:lambda:")
        (StringFilter('HIGH'), StringFilter.prefix('arn:aws:lambda:'))
        >>> StringFilter.not_equals("CLOSED").to_api()
        {'comparison': 'NOT_EQUALS', 'value': 'CLOSED'}
    """

    value: str = attrs.field(converter=_plain)
    comparison: str = attrs.field(default="EQUALS", converter=_plain)
    check: bool = attrs.field(default=True, kw_only=True, eq=False)
    """False skips the check against a criterion's closed set of values (a value AWS added
    after this version of the library); not an API member."""

    def __attrs_post_init__(self) -> None:
        _check_text(self.value, "value", _STRING_VALUE_LENGTH)
        _check_choice(self.comparison, _STRING_COMPARISONS, "comparison", "StringFilter")
        if not isinstance(self.check, bool):
            raise CriteriaError(f"expected a bool, got {_type_name(self.check)}", path="check")

    @classmethod
    def equals(cls, value: str) -> Self:
        """Match members equal to ``value``.

        Example:
            >>> StringFilter.equals("ACTIVE") == StringFilter("ACTIVE")
            True
        """
        return cls(value, "EQUALS")

    @classmethod
    def prefix(cls, value: str) -> Self:
        """Match members that start with ``value`` (``ListFindings`` only).

        Example:
            >>> StringFilter.prefix("CVE-2024-").comparison
            'PREFIX'
        """
        return cls(value, "PREFIX")

    @classmethod
    def not_equals(cls, value: str) -> Self:
        """Match members not equal to ``value``.

        Example:
            >>> StringFilter.not_equals("CLOSED").comparison
            'NOT_EQUALS'
        """
        return cls(value, "NOT_EQUALS")

    def to_api(self) -> dict[str, Any]:
        """The API ``StringFilter`` object.

        Example:
            >>> StringFilter("HIGH").to_api()
            {'comparison': 'EQUALS', 'value': 'HIGH'}
        """
        return {"comparison": self.comparison, "value": self.value}

    @classmethod
    def from_api(cls, payload: Mapping[str, Any]) -> Self:
        """Read an API ``StringFilter`` object.

        Example:
            >>> StringFilter.from_api({"comparison": "PREFIX", "value": "CVE-"})
            StringFilter.prefix('CVE-')
        """
        found = _members(payload, "StringFilter", ("comparison", "value"), ("comparison", "value"))
        return cls(found["value"], found["comparison"])

    def __repr__(self) -> str:
        unchecked = "" if self.check else ", check=False"
        if self.comparison == "EQUALS":
            return f"StringFilter({self.value!r}{unchecked})"
        return f"StringFilter.{self.comparison.lower()}({self.value!r}{unchecked})"


@attrs.frozen(kw_only=True, repr=False)
class NumberFilter:
    """API ``NumberFilter``: an inclusive range; at least one bound is required.

    ``gte`` is the API's ``lowerInclusive`` and ``lte`` its ``upperInclusive``. Bounds are
    ``double`` for ``ListFindings`` and whole numbers (``long``) for ``ListCoverage``.

    Attributes:
        gte: API ``lowerInclusive``.
        lte: API ``upperInclusive``.

    Example:
        >>> NumberFilter(gte=7).to_api()
        {'lowerInclusive': 7}
        >>> NumberFilter(gte=0.1, lte=3.9)
        NumberFilter(gte=0.1, lte=3.9)
    """

    gte: float | None = None
    lte: float | None = None

    def __attrs_post_init__(self) -> None:
        if self.gte is None and self.lte is None:
            raise CriteriaError(
                "NumberFilter needs gte (lowerInclusive), lte (upperInclusive) or both"
            )
        if self.gte is not None:
            _check_number(self.gte, "lowerInclusive")
        if self.lte is not None:
            _check_number(self.lte, "upperInclusive")
        if self.gte is not None and self.lte is not None and self.gte > self.lte:
            raise CriteriaError(f"lowerInclusive {self.gte} is above upperInclusive {self.lte}")

    def to_api(self) -> dict[str, Any]:
        """The API ``NumberFilter`` object, with the bounds that are set.

        Example:
            >>> NumberFilter(gte=1, lte=2).to_api()
            {'lowerInclusive': 1, 'upperInclusive': 2}
        """
        out: dict[str, Any] = {}
        if self.gte is not None:
            out["lowerInclusive"] = self.gte
        if self.lte is not None:
            out["upperInclusive"] = self.lte
        return out

    @classmethod
    def from_api(cls, payload: Mapping[str, Any]) -> Self:
        """Read an API ``NumberFilter`` (or ``CoverageNumberFilter``) object.

        Example:
            >>> NumberFilter.from_api({"upperInclusive": 0.5})
            NumberFilter(lte=0.5)
        """
        found = _members(payload, "NumberFilter", ("upperInclusive", "lowerInclusive"))
        return cls(gte=found.get("lowerInclusive"), lte=found.get("upperInclusive"))

    def __repr__(self) -> str:
        return _kw_repr(self, ("gte", "lte"))


@attrs.frozen(kw_only=True, repr=False)
class DateFilter:
    """API ``DateFilter`` (and ``CoverageDateFilter``): an inclusive time range.

    Bounds must be timezone-aware ``datetime`` objects (a naive one is an error: its zone
    would be a guess); they are stored in UTC. At least one bound is required.

    Attributes:
        start: API ``startInclusive``.
        end: API ``endInclusive``.

    Example:
        >>> from datetime import datetime, timezone
        >>> DateFilter(start=datetime(2024, 1, 1, tzinfo=timezone.utc)).to_api()
        {'startInclusive': datetime.datetime(2024, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)}
        >>> try:
        ...     DateFilter(end=datetime(2024, 1, 1))
        ... except ValueError as exc:
        ...     print(exc)
        endInclusive: naive datetime 2024-01-01T00:00:00: pass tzinfo (e.g. tzinfo=timezone.utc)
    """

    start: datetime | None = attrs.field(default=None, converter=_aware_utc)
    end: datetime | None = attrs.field(default=None, converter=_aware_utc)

    def __attrs_post_init__(self) -> None:
        if self.start is None and self.end is None:
            raise CriteriaError(
                "DateFilter needs start (startInclusive), end (endInclusive) or both"
            )
        if self.start is not None:
            _check_instant(self.start, "startInclusive")
        if self.end is not None:
            _check_instant(self.end, "endInclusive")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise CriteriaError(
                f"startInclusive {self.start.isoformat()} is after "
                f"endInclusive {self.end.isoformat()}"
            )

    def to_api(self) -> dict[str, Any]:
        """The API ``DateFilter`` object; bounds stay ``datetime`` (botocore serializes them).

        Example:
            >>> from datetime import datetime, timezone
            >>> list(DateFilter(end=datetime(2024, 1, 1, tzinfo=timezone.utc)).to_api())
            ['endInclusive']
        """
        out: dict[str, Any] = {}
        if self.start is not None:
            out["startInclusive"] = self.start
        if self.end is not None:
            out["endInclusive"] = self.end
        return out

    @classmethod
    def from_api(cls, payload: Mapping[str, Any]) -> Self:
        """Read an API ``DateFilter`` object.

        Bounds may be aware ``datetime`` objects (as boto3 returns them), ISO 8601 text with
        a UTC offset, or epoch seconds: the forms botocore accepts in a request.

        Example:
            >>> DateFilter.from_api({"startInclusive": "2024-06-01T00:00:00Z"}).start
            datetime.datetime(2024, 6, 1, 0, 0, tzinfo=datetime.timezone.utc)
        """
        found = _members(payload, "DateFilter", ("startInclusive", "endInclusive"))
        start = _guard("startInclusive", _instant_from_api, found.get("startInclusive"))
        end = _guard("endInclusive", _instant_from_api, found.get("endInclusive"))
        return cls(start=cast("Any", start), end=cast("Any", end))

    def __repr__(self) -> str:
        return _kw_repr(self, ("start", "end"))


@attrs.frozen(repr=False)
class MapFilter:
    """API ``MapFilter`` (and ``CoverageMapFilter``): match a tag by key, and value if given.

    The only comparison is EQUALS. The key must not be empty; the length limits differ per
    operation and are checked by the criteria: ``ListFindings`` takes keys of 1-128 and values
    of 0-256 characters, ``ListCoverage`` any non-empty key and value. A criteria field also
    takes a ``{key: value}`` mapping.

    Attributes:
        key: API ``key``.
        value: API ``value``; ``None`` matches any value.
        comparison: API ``comparison``.

    Example:
        >>> MapFilter("Environment", "prod").to_api()
        {'comparison': 'EQUALS', 'key': 'Environment', 'value': 'prod'}
        >>> MapFilter("Team")
        MapFilter('Team')
    """

    key: str = attrs.field(converter=_plain)
    value: str | None = attrs.field(default=None, converter=_plain_or_none)
    comparison: str = attrs.field(default="EQUALS", converter=_plain)

    def __attrs_post_init__(self) -> None:
        _check_text(self.key, "key", (1, None))
        if self.value is not None:
            _check_text(self.value, "value", (0, None))
        _check_choice(self.comparison, _MAP_COMPARISONS, "comparison", "MapFilter")

    def to_api(self) -> dict[str, Any]:
        """The API ``MapFilter`` object.

        Example:
            >>> MapFilter("Team").to_api()
            {'comparison': 'EQUALS', 'key': 'Team'}
        """
        out: dict[str, Any] = {"comparison": self.comparison, "key": self.key}
        if self.value is not None:
            out["value"] = self.value
        return out

    @classmethod
    def from_api(cls, payload: Mapping[str, Any]) -> Self:
        """Read an API ``MapFilter`` object.

        Example:
            >>> MapFilter.from_api({"comparison": "EQUALS", "key": "Env", "value": "dev"})
            MapFilter('Env', 'dev')
        """
        found = _members(
            payload, "MapFilter", ("comparison", "key", "value"), ("comparison", "key")
        )
        return cls(found["key"], found.get("value"), found["comparison"])

    def __repr__(self) -> str:
        args = [repr(self.key)]
        if self.value is not None:
            args.append(repr(self.value))
        return f"MapFilter({', '.join(args)})"


@attrs.frozen(kw_only=True, repr=False)
class PortRangeFilter:
    """API ``PortRangeFilter``: an inclusive range of ports 0-65535; at least one bound.

    Attributes:
        begin: API ``beginInclusive``.
        end: API ``endInclusive``.

    Example:
        >>> PortRangeFilter(begin=22, end=22).to_api()
        {'beginInclusive': 22, 'endInclusive': 22}
    """

    begin: int | None = None
    end: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.begin is None and self.end is None:
            raise CriteriaError(
                "PortRangeFilter needs begin (beginInclusive), end (endInclusive) or both"
            )
        if self.begin is not None:
            _check_port(self.begin, "beginInclusive")
        if self.end is not None:
            _check_port(self.end, "endInclusive")
        if self.begin is not None and self.end is not None and self.begin > self.end:
            raise CriteriaError(f"beginInclusive {self.begin} is above endInclusive {self.end}")

    def to_api(self) -> dict[str, Any]:
        """The API ``PortRangeFilter`` object, with the bounds that are set.

        Example:
            >>> PortRangeFilter(begin=1024).to_api()
            {'beginInclusive': 1024}
        """
        out: dict[str, Any] = {}
        if self.begin is not None:
            out["beginInclusive"] = self.begin
        if self.end is not None:
            out["endInclusive"] = self.end
        return out

    @classmethod
    def from_api(cls, payload: Mapping[str, Any]) -> Self:
        """Read an API ``PortRangeFilter`` object.

        Example:
            >>> PortRangeFilter.from_api({"endInclusive": 1023})
            PortRangeFilter(end=1023)
        """
        found = _members(payload, "PortRangeFilter", ("beginInclusive", "endInclusive"))
        return cls(begin=found.get("beginInclusive"), end=found.get("endInclusive"))

    def __repr__(self) -> str:
        return _kw_repr(self, ("begin", "end"))


def _string_part(value: str | StringFilter | None) -> StringFilter | None:
    """Converter: a package part given as a plain string means EQUALS."""
    if value is None or isinstance(value, StringFilter):
        return value
    if isinstance(value, str):
        return StringFilter(value)
    raise CriteriaError(f"expected a string or a StringFilter, got {_type_name(value)}")


def _number_part(value: NumberFilter | None) -> NumberFilter | None:
    """Converter: checks the type of a package ``epoch``."""
    if value is None or isinstance(value, NumberFilter):
        return value
    raise CriteriaError(f"expected a NumberFilter, got {_type_name(value)}")


_PACKAGE_MEMBERS = {
    "name": "name",
    "version": "version",
    "epoch": "epoch",
    "release": "release",
    "architecture": "architecture",
    "source_layer_hash": "sourceLayerHash",
    "source_lambda_layer_arn": "sourceLambdaLayerArn",
    "file_path": "filePath",
}


@_name_errors(_PACKAGE_MEMBERS)
@attrs.frozen(kw_only=True, repr=False)
class PackageFilter:
    """API ``PackageFilter``: match vulnerable packages; at least one part must be set.

    String parts take a ``str`` (meaning EQUALS) or a :class:`StringFilter`; ``epoch`` takes
    a :class:`NumberFilter`.

    Attributes:
        name: API ``name``.
        version: API ``version``.
        epoch: API ``epoch``.
        release: API ``release``.
        architecture: API ``architecture``.
        source_layer_hash: API ``sourceLayerHash``.
        source_lambda_layer_arn: API ``sourceLambdaLayerArn``.
        file_path: API ``filePath``.

    Example:
        >>> PackageFilter(name="openssl", version=StringFilter.prefix("3.0"))
        PackageFilter(name='openssl', version=StringFilter.prefix('3.0'))
        >>> PackageFilter(name="xz").to_api()
        {'name': {'comparison': 'EQUALS', 'value': 'xz'}}
    """

    name: StringFilter | None = attrs.field(default=None, converter=_string_part)
    version: StringFilter | None = attrs.field(default=None, converter=_string_part)
    epoch: NumberFilter | None = attrs.field(default=None, converter=_number_part)
    release: StringFilter | None = attrs.field(default=None, converter=_string_part)
    architecture: StringFilter | None = attrs.field(default=None, converter=_string_part)
    source_layer_hash: StringFilter | None = attrs.field(default=None, converter=_string_part)
    source_lambda_layer_arn: StringFilter | None = attrs.field(default=None, converter=_string_part)
    file_path: StringFilter | None = attrs.field(default=None, converter=_string_part)

    def __attrs_post_init__(self) -> None:
        if all(getattr(self, name) is None for name in _PACKAGE_MEMBERS):
            raise CriteriaError(
                "PackageFilter needs at least one of " + ", ".join(_PACKAGE_MEMBERS)
            )

    def to_api(self) -> dict[str, Any]:
        """The API ``PackageFilter`` object, with the parts that are set.

        Example:
            >>> PackageFilter(epoch=NumberFilter(gte=1)).to_api()
            {'epoch': {'lowerInclusive': 1}}
        """
        out: dict[str, Any] = {}
        for name, api in _PACKAGE_MEMBERS.items():
            part: StringFilter | NumberFilter | None = getattr(self, name)
            if part is not None:
                out[api] = part.to_api()
        return out

    @classmethod
    def from_api(cls, payload: Mapping[str, Any]) -> Self:
        """Read an API ``PackageFilter`` object.

        Example:
            >>> PackageFilter.from_api({"filePath": {"comparison": "PREFIX", "value": "/opt/"}})
            PackageFilter(file_path=StringFilter.prefix('/opt/'))
        """
        found = _members(payload, "PackageFilter", tuple(_PACKAGE_MEMBERS.values()))
        parts: dict[str, Any] = {}
        for name, api in _PACKAGE_MEMBERS.items():
            if api in found:
                parse = NumberFilter.from_api if name == "epoch" else StringFilter.from_api
                parts[name] = _guard(api, parse, found[api])
        return cls(**parts)

    def __repr__(self) -> str:
        return _kw_repr(self, tuple(_PACKAGE_MEMBERS))


# ----------------------------------------------------------------------------- criteria fields


def _collect(
    value: object, kind: type[_F], what: str, plain: Callable[[str], _F] | None = None
) -> tuple[_F, ...]:
    """One filter, one plain value or an iterable of them, as a checked tuple of filters."""
    items: tuple[object, ...]
    if isinstance(value, kind) or (plain is not None and isinstance(value, str)):
        items = (value,)
    elif isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        hint = " (use from_api for API objects)" if isinstance(value, Mapping) else ""
        raise CriteriaError(
            f"expected {what}, or an iterable of them, got {_type_name(value)}{hint}"
        )
    else:
        items = tuple(value)
    if len(items) > _MAX_FILTERS:
        raise CriteriaError(f"at most {_MAX_FILTERS} filters per criterion, got {len(items)}")
    out: list[_F] = []
    for index, item in enumerate(items):
        if isinstance(item, kind):
            out.append(item)
        elif plain is not None and isinstance(item, str):
            out.append(_guard(f"[{index}]", plain, item))
        else:
            raise CriteriaError(f"expected {what}, got {_type_name(item)}", path=f"[{index}]")
    return tuple(out)


def _strings(value: str | StringFilter | Iterable[str | StringFilter]) -> tuple[StringFilter, ...]:
    """Converter of string criteria: plain strings and enum members mean EQUALS."""
    return _collect(value, StringFilter, "a string or a StringFilter", StringFilter)


def _numbers(value: NumberFilter | Iterable[NumberFilter]) -> tuple[NumberFilter, ...]:
    """Converter of number criteria."""
    return _collect(value, NumberFilter, "a NumberFilter")


def _dates(value: DateFilter | Iterable[DateFilter]) -> tuple[DateFilter, ...]:
    """Converter of date criteria."""
    return _collect(value, DateFilter, "a DateFilter")


def _maps(
    value: MapFilter | Mapping[str, str | None] | Iterable[MapFilter],
) -> tuple[MapFilter, ...]:
    """Converter of tag criteria: also takes a ``{key: value}`` mapping."""
    if isinstance(value, Mapping):
        pairs = list(value.items())
        if len(pairs) > _MAX_FILTERS:
            raise CriteriaError(f"at most {_MAX_FILTERS} filters per criterion, got {len(pairs)}")
        return tuple(
            _guard(f"[{index}]", lambda kv: MapFilter(*kv), pair)
            for index, pair in enumerate(pairs)
        )
    return _collect(value, MapFilter, "a MapFilter")


def _ports(value: PortRangeFilter | Iterable[PortRangeFilter]) -> tuple[PortRangeFilter, ...]:
    """Converter of port-range criteria."""
    return _collect(value, PortRangeFilter, "a PortRangeFilter")


def _packages(value: PackageFilter | Iterable[PackageFilter]) -> tuple[PackageFilter, ...]:
    """Converter of package criteria."""
    return _collect(value, PackageFilter, "a PackageFilter")


_FROM_API: dict[str, Callable[[Any], Any]] = {
    "string": StringFilter.from_api,
    "number": NumberFilter.from_api,
    "date": DateFilter.from_api,
    "map": MapFilter.from_api,
    "port": PortRangeFilter.from_api,
    "package": PackageFilter.from_api,
}


def _values(enum: type[Enum]) -> tuple[str, ...]:
    return tuple(str(member.value) for member in enum)


CLOSED_VALUES: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "FilterCriteria": {
        # criterion -> the values of the finding member it compares (an enum in the model)
        "findingType": _values(FindingType),  # Finding.type
        "severity": _values(Severity),  # Finding.severity
        "findingStatus": _values(FindingStatus),  # Finding.status
        "resourceType": _values(ResourceType),  # Resource.type
        "networkProtocol": _values(NetworkProtocol),  # NetworkReachabilityDetails.protocol
        "fixAvailable": _values(FixAvailable),  # Finding.fixAvailable
        "exploitAvailable": _values(ExploitAvailable),  # Finding.exploitAvailable
        "lambdaFunctionRuntime": _values(Runtime),  # AwsLambdaFunctionDetails.runtime
        "codeRepositoryProviderType": _values(CodeRepositoryProviderType),
    },
    "CoverageFilterCriteria": {
        "scanStatusCode": _values(ScanStatusCode),  # ScanStatus.statusCode
        "scanStatusReason": _values(ScanStatusReason),  # ScanStatus.reason
        "resourceType": _values(CoverageResourceType),  # CoveredResource.resourceType
        "scanType": _values(ScanType),  # CoveredResource.scanType
        "scanMode": _values(ScanMode),  # CoveredResource.scanMode
        "lambdaFunctionRuntime": _values(Runtime),  # LambdaFunctionMetadata.runtime
    },
}
"""Criteria whose values are a closed set in the service model, and the set, per shape.

A string filter on one of these must be able to match: EQUALS and NOT_EQUALS take one of
the values, PREFIX a prefix of one (``StringFilter(..., check=False)`` skips the check).

Example:
    >>> CLOSED_VALUES["FilterCriteria"]["severity"]
    ('INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL', 'UNTRIAGED')
"""


def _likely(value: str, allowed: tuple[str, ...]) -> str | None:
    """The valid value the user most likely meant: same letters, a part, or close."""
    folded = value.casefold()
    for candidate in allowed:
        if candidate.casefold() == folded:
            return candidate
    containing = [c for c in allowed if folded and folded in c.casefold()]
    if len(containing) == 1:
        return containing[0]
    close = difflib.get_close_matches(value.upper(), allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def check_closed(item: StringFilter, allowed: tuple[str, ...], path: str, api: str) -> None:
    """Raise :class:`CriteriaError` at ``path`` if ``item`` on ``api`` can never match.

    EQUALS and NOT_EQUALS need a value of ``allowed``, PREFIX a prefix of one.

    Example:
        >>> check_closed(StringFilter.prefix("CRIT"), ("HIGH", "CRITICAL"), "sev", "severity")
    """
    value = item.value
    if item.comparison == "PREFIX":
        if any(candidate.startswith(value) for candidate in allowed):
            return
        problem = f"no {api} value starts with {value!r}: this filter can never match"
        fixed = next((c for c in allowed if c.casefold().startswith(value.casefold())), None)
        guess = value.upper() if fixed is not None else None
    else:
        if value in allowed:
            return
        effect = (
            "can never match" if item.comparison == "EQUALS" else "excludes nothing (always true)"
        )
        problem = f"{value!r} is not a {api} value: this filter {effect}"
        guess = _likely(value, allowed)
    hint = f" Did you mean {guess!r}?" if guess is not None else ""
    raise CriteriaError(
        f"{problem}.{hint} Valid values: {', '.join(allowed)}; "
        "StringFilter(..., check=False) sends one this version does not know.",
        path=path,
    )


@attrs.frozen
class _Rules:
    """What one operation's filter shapes allow beyond the shared filter classes."""

    shape: str
    string_shape: str
    string_comparisons: tuple[str, ...]
    map_shape: str
    map_key_length: tuple[int, int | None]
    map_value_length: tuple[int, int | None]
    number_shape: str
    whole_numbers: bool
    closed: Mapping[str, tuple[str, ...]]

    def check(self, kind: str, item: Any, path: str, api: str) -> None:
        if kind == "string":
            _check_choice(
                item.comparison, self.string_comparisons, f"{path}.comparison", self.string_shape
            )
            allowed = self.closed.get(api)
            if allowed is not None and item.check:
                check_closed(item, allowed, f"{path}.value", api)
        elif kind == "map":
            _check_text(item.key, f"{path}.key", self.map_key_length)
            if item.value is not None:
                _check_text(item.value, f"{path}.value", self.map_value_length)
        elif kind == "number" and self.whole_numbers:
            for bound, member in ((item.gte, "lowerInclusive"), (item.lte, "upperInclusive")):
                if bound is None:
                    continue
                if isinstance(bound, float) and not bound.is_integer():
                    raise CriteriaError(
                        f"{self.number_shape} takes whole numbers (long), got {bound!r}",
                        path=f"{path}.{member}",
                    )
                if not _LONG_RANGE[0] <= bound <= _LONG_RANGE[1]:
                    raise CriteriaError(
                        f"{self.number_shape} bound out of range for a long: {bound!r}",
                        path=f"{path}.{member}",
                    )

    def encode(self, kind: str, item: Any) -> dict[str, Any]:
        out: dict[str, Any] = item.to_api()
        if kind == "number" and self.whole_numbers:
            out = {member: int(bound) for member, bound in out.items()}
        return out


_FINDING_RULES = _Rules(
    shape="FilterCriteria",
    string_shape="StringFilter",
    string_comparisons=_STRING_COMPARISONS,
    map_shape="MapFilter",
    map_key_length=_MAP_KEY_LENGTH,
    map_value_length=_MAP_VALUE_LENGTH,
    number_shape="NumberFilter",
    whole_numbers=False,
    closed=CLOSED_VALUES["FilterCriteria"],
)
_COVERAGE_RULES = _Rules(
    shape="CoverageFilterCriteria",
    string_shape="CoverageStringFilter",
    string_comparisons=_COVERAGE_STRING_COMPARISONS,
    map_shape="CoverageMapFilter",
    map_key_length=_COVERAGE_MAP_KEY_LENGTH,
    map_value_length=_COVERAGE_MAP_VALUE_LENGTH,
    number_shape="CoverageNumberFilter",
    whole_numbers=True,
    closed=CLOSED_VALUES["CoverageFilterCriteria"],
)


class _Criteria:
    """What FindingCriteria and CoverageCriteria share; each defines its member table."""

    __slots__ = ()

    # attribute -> (API member, filter kind), in the model's member order
    _MEMBERS: ClassVar[Mapping[str, tuple[str, str]]]
    _BY_API: ClassVar[Mapping[str, tuple[str, str]]]  # API member -> (attribute, kind)
    _RULES: ClassVar[_Rules]

    def __attrs_post_init__(self) -> None:
        rules = self._RULES
        for name, (api, kind) in self._MEMBERS.items():
            for index, item in enumerate(getattr(self, name)):
                rules.check(kind, item, f"{api}[{index}]", api)

    def to_api(self) -> dict[str, Any]:
        """The API criteria object: set criteria only, by API member name.

        Example:
            >>> FindingCriteria(finding_status="ACTIVE").to_api()
            {'findingStatus': [{'comparison': 'EQUALS', 'value': 'ACTIVE'}]}
        """
        out: dict[str, Any] = {}
        for name, (api, kind) in self._MEMBERS.items():
            items = getattr(self, name)
            if items:
                out[api] = [self._RULES.encode(kind, item) for item in items]
        return out

    @classmethod
    def from_api(cls, payload: Mapping[str, Any], *, check: bool = True) -> Self:
        """Read an API criteria object (the inverse of :meth:`to_api`).

        An unknown member is an error naming it; a ``null`` member is taken as absent.
        ``check=False`` reads string filters as ``StringFilter(..., check=False)``: values
        outside a criterion's closed set (see :data:`CLOSED_VALUES`) are then sent as they
        are.

        Example:
            >>> FindingCriteria.from_api({"severity": [{"comparison": "EQUALS", "value": "HIGH"}]})
            FindingCriteria(severity='HIGH')
            >>> try:
            ...     FindingCriteria.from_api({"sevrity": []})
            ... except ValueError as exc:
            ...     print(exc)
            sevrity: unknown FilterCriteria member 'sevrity' (did you mean 'severity'?)
        """
        shape = cls._RULES.shape
        if not isinstance(payload, Mapping):
            raise CriteriaError(f"expected a {shape} object, got {_type_name(payload)}")
        fields: dict[str, Any] = {}
        for key, value in payload.items():
            entry = cls._BY_API.get(key)
            if entry is None:
                raise CriteriaError(cls._unknown(key), path=str(key))
            if value is None:
                continue
            name, kind = entry
            if not isinstance(value, (list, tuple)):
                raise CriteriaError(f"expected a list, got {_type_name(value)}", path=key)
            parse = _FROM_API[kind]
            items = tuple(
                _guard(f"{key}[{index}]", parse, item) for index, item in enumerate(value)
            )
            if kind == "string" and not check:
                items = tuple(attrs.evolve(item, check=False) for item in items)
            fields[name] = items
        return cls._build(fields)

    @classmethod
    def _unknown(cls, key: object) -> str:
        shape = cls._RULES.shape
        if (
            isinstance(key, str) and key in cls._MEMBERS
        ):  # a Python field name where the API name belongs
            return f"{key!r} is a field name; the {shape} member is {cls._MEMBERS[key][0]!r}"
        close = difflib.get_close_matches(str(key), list(cls._BY_API), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"unknown {shape} member {key!r}{hint}"

    @classmethod
    def _build(cls, fields: Mapping[str, Any]) -> Self:
        factory: Callable[..., Self] = cls
        return factory(**fields)

    def _fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._MEMBERS}

    def where(self, **changes: Any) -> Self:
        """A copy with the named criteria replaced (each takes what the constructor takes).

        Example:
            >>> base = FindingCriteria(finding_status="ACTIVE", severity="HIGH")
            >>> base.where(severity=["CRITICAL", "HIGH"], finding_status=())
            FindingCriteria(severity=['CRITICAL', 'HIGH'])
        """
        unknown = sorted(set(changes) - set(self._MEMBERS))
        if unknown:
            close = difflib.get_close_matches(unknown[0], list(self._MEMBERS), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise TypeError(f"{type(self).__name__} has no criterion {unknown[0]!r}{hint}")
        return self._build({**self._fields(), **changes})

    def combine(self, other: Self) -> Self:
        """Both criteria's filters, criterion by criterion (duplicates dropped, order kept).

        Raises :class:`~inspector_kit.errors.CriteriaError` if a criterion ends up with more
        than 10 filters. ``a & b`` is the same.

        Example:
            >>> a = FindingCriteria(severity="CRITICAL", finding_status="ACTIVE")
            >>> a & FindingCriteria(severity=["HIGH", "CRITICAL"])
            FindingCriteria(severity=['CRITICAL', 'HIGH'], finding_status='ACTIVE')
        """
        if type(other) is not type(self):
            raise TypeError(f"cannot combine {type(self).__name__} with {type(other).__name__}")
        merged = {
            name: tuple(dict.fromkeys(getattr(self, name) + getattr(other, name)))
            for name in self._MEMBERS
        }
        return self._build(merged)

    def __and__(self, other: Self) -> Self:
        if type(other) is not type(self):
            return NotImplemented
        return self.combine(other)

    def __bool__(self) -> bool:
        return any(getattr(self, name) for name in self._MEMBERS)

    def fields_set(self) -> frozenset[str]:
        """The API member names of the criteria in use.

        Example:
            >>> crit = FindingCriteria(severity="HIGH", port_range=PortRangeFilter(begin=22))
            >>> sorted(crit.fields_set())
            ['portRange', 'severity']
        """
        return frozenset(api for name, (api, _) in self._MEMBERS.items() if getattr(self, name))

    def __repr__(self) -> str:
        parts = []
        for name in self._MEMBERS:
            items = getattr(self, name)
            if not items:
                continue
            shown = [_part_repr(item) for item in items]
            parts.append(
                f"{name}={shown[0]}" if len(shown) == 1 else f"{name}=[{', '.join(shown)}]"
            )
        return f"{type(self).__name__}({', '.join(parts)})"


# ----------------------------------------------------------------------------- FindingCriteria

# attribute -> (FilterCriteria member, filter kind), in the model's member order.
_FINDING_MEMBERS: dict[str, tuple[str, str]] = {
    "finding_arn": ("findingArn", "string"),
    "aws_account_id": ("awsAccountId", "string"),
    "finding_type": ("findingType", "string"),
    "severity": ("severity", "string"),
    "first_observed_at": ("firstObservedAt", "date"),
    "last_observed_at": ("lastObservedAt", "date"),
    "updated_at": ("updatedAt", "date"),
    "finding_status": ("findingStatus", "string"),
    "title": ("title", "string"),
    "inspector_score": ("inspectorScore", "number"),
    "resource_type": ("resourceType", "string"),
    "resource_id": ("resourceId", "string"),
    "resource_tags": ("resourceTags", "map"),
    "ec2_instance_image_id": ("ec2InstanceImageId", "string"),
    "ec2_instance_vpc_id": ("ec2InstanceVpcId", "string"),
    "ec2_instance_subnet_id": ("ec2InstanceSubnetId", "string"),
    "ecr_image_pushed_at": ("ecrImagePushedAt", "date"),
    "ecr_image_architecture": ("ecrImageArchitecture", "string"),
    "ecr_image_registry": ("ecrImageRegistry", "string"),
    "ecr_image_repository_name": ("ecrImageRepositoryName", "string"),
    "ecr_image_tags": ("ecrImageTags", "string"),
    "ecr_image_hash": ("ecrImageHash", "string"),
    "ecr_image_last_in_use_at": ("ecrImageLastInUseAt", "date"),
    "ecr_image_in_use_count": ("ecrImageInUseCount", "number"),
    "port_range": ("portRange", "port"),
    "network_protocol": ("networkProtocol", "string"),
    "component_id": ("componentId", "string"),
    "component_type": ("componentType", "string"),
    "vulnerability_id": ("vulnerabilityId", "string"),
    "vulnerability_source": ("vulnerabilitySource", "string"),
    "vendor_severity": ("vendorSeverity", "string"),
    "vulnerable_packages": ("vulnerablePackages", "package"),
    "related_vulnerabilities": ("relatedVulnerabilities", "string"),
    "fix_available": ("fixAvailable", "string"),
    "lambda_function_name": ("lambdaFunctionName", "string"),
    "lambda_function_layers": ("lambdaFunctionLayers", "string"),
    "lambda_function_runtime": ("lambdaFunctionRuntime", "string"),
    "lambda_function_last_modified_at": ("lambdaFunctionLastModifiedAt", "date"),
    "lambda_function_execution_role_arn": ("lambdaFunctionExecutionRoleArn", "string"),
    "exploit_available": ("exploitAvailable", "string"),
    "code_vulnerability_detector_name": ("codeVulnerabilityDetectorName", "string"),
    "code_vulnerability_detector_tags": ("codeVulnerabilityDetectorTags", "string"),
    "code_vulnerability_file_path": ("codeVulnerabilityFilePath", "string"),
    "epss_score": ("epssScore", "number"),
    "code_repository_project_name": ("codeRepositoryProjectName", "string"),
    "code_repository_provider_type": ("codeRepositoryProviderType", "string"),
    "machine_image_id": ("machineImageId", "string"),
    "machine_image_name": ("machineImageName", "string"),
    "machine_image_owner_account_id": ("machineImageOwnerAccountId", "string"),
    "machine_image_platform": ("machineImagePlatform", "string"),
    "cloud_provider": ("cloudProvider", "string"),
    "cloud_provider_region": ("cloudProviderRegion", "string"),
    "cloud_provider_account_id": ("cloudProviderAccountId", "string"),
    "cloud_provider_org_id": ("cloudProviderOrgId", "string"),
    "cloud_vm_image_reference": ("cloudVmImageReference", "string"),
    "cloud_vm_network_id": ("cloudVmNetworkId", "string"),
    "cloud_vm_subnet_ids": ("cloudVmSubnetIds", "string"),
    "cloud_image_repository_name": ("cloudImageRepositoryName", "string"),
    "cloud_image_registry": ("cloudImageRegistry", "string"),
    "cloud_image_digest": ("cloudImageDigest", "string"),
    "cloud_image_tags": ("cloudImageTags", "string"),
    "cloud_image_pushed_at": ("cloudImagePushedAt", "date"),
    "cloud_image_architecture": ("cloudImageArchitecture", "string"),
    "cloud_image_last_in_use_at": ("cloudImageLastInUseAt", "date"),
    "cloud_image_in_use_count": ("cloudImageInUseCount", "number"),
    "cloud_serverless_function_name": ("cloudServerlessFunctionName", "string"),
    "cloud_serverless_function_runtime": ("cloudServerlessFunctionRuntime", "string"),
    "cloud_serverless_function_last_modified_at": (
        "cloudServerlessFunctionLastModifiedAt",
        "date",
    ),
    "cloud_serverless_function_execution_role": ("cloudServerlessFunctionExecutionRole", "string"),
}


@_name_errors({name: api for name, (api, _) in _FINDING_MEMBERS.items()})
@attrs.frozen(kw_only=True, repr=False)
class FindingCriteria(_Criteria):
    """API ``FilterCriteria``: which findings ``ListFindings`` returns.

    One field per ``FilterCriteria`` member, named in snake_case (``awsAccountId`` is
    ``aws_account_id``), each a tuple of filters (empty: not set). Every field takes one
    filter, or an iterable of up to 10:

    * number criteria (``inspector_score``, ``epss_score``, ``ecr_image_in_use_count``,
      ``cloud_image_in_use_count``): :class:`NumberFilter`;
    * date criteria (every ``..._at`` field): :class:`DateFilter`;
    * ``resource_tags``: :class:`MapFilter`, or a ``{key: value}`` mapping;
    * ``port_range``: :class:`PortRangeFilter`; ``vulnerable_packages``: :class:`PackageFilter`;
    * every other field is a string criterion: a ``str``, an enum member (both mean EQUALS)
      or a :class:`StringFilter`.

    ``to_api()`` gives the ``filterCriteria`` argument; ``from_api()`` reads one back;
    ``where()`` replaces criteria; ``a & b`` combines; ``bool(criteria)`` is False when no
    criterion is set. A limit of the service model broken anywhere raises
    :class:`~inspector_kit.errors.CriteriaError` naming the API path.

    Example:
        >>> from inspector_kit.models import FindingStatus
        >>> crit = FindingCriteria(finding_status=FindingStatus.ACTIVE, severity=["HIGH", "LOW"])
        >>> crit.to_api()["findingStatus"]
        [{'comparison': 'EQUALS', 'value': 'ACTIVE'}]
        >>> bool(FindingCriteria()), bool(crit)
        (False, True)
        >>> try:
        ...     FindingCriteria(vulnerability_id=["CVE-1", "CVE-2", "x" * 1025])
        ... except ValueError as exc:
        ...     print(exc)
        vulnerabilityId[2].value: length must be 1..1024, got 1025
    """

    _MEMBERS: ClassVar[Mapping[str, tuple[str, str]]] = _FINDING_MEMBERS
    _BY_API: ClassVar[Mapping[str, tuple[str, str]]] = {
        api: (name, kind) for name, (api, kind) in _FINDING_MEMBERS.items()
    }
    _RULES: ClassVar[_Rules] = _FINDING_RULES

    finding_arn: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    aws_account_id: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    finding_type: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    severity: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    first_observed_at: tuple[DateFilter, ...] = attrs.field(default=(), converter=_dates)
    last_observed_at: tuple[DateFilter, ...] = attrs.field(default=(), converter=_dates)
    updated_at: tuple[DateFilter, ...] = attrs.field(default=(), converter=_dates)
    finding_status: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    title: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    inspector_score: tuple[NumberFilter, ...] = attrs.field(default=(), converter=_numbers)
    resource_type: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    resource_id: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    resource_tags: tuple[MapFilter, ...] = attrs.field(default=(), converter=_maps)
    ec2_instance_image_id: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    ec2_instance_vpc_id: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    ec2_instance_subnet_id: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    ecr_image_pushed_at: tuple[DateFilter, ...] = attrs.field(default=(), converter=_dates)
    ecr_image_architecture: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    ecr_image_registry: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    ecr_image_repository_name: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=_strings
    )
    ecr_image_tags: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    ecr_image_hash: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    ecr_image_last_in_use_at: tuple[DateFilter, ...] = attrs.field(default=(), converter=_dates)
    ecr_image_in_use_count: tuple[NumberFilter, ...] = attrs.field(default=(), converter=_numbers)
    port_range: tuple[PortRangeFilter, ...] = attrs.field(default=(), converter=_ports)
    network_protocol: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    component_id: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    component_type: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    vulnerability_id: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    vulnerability_source: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    vendor_severity: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    vulnerable_packages: tuple[PackageFilter, ...] = attrs.field(default=(), converter=_packages)
    related_vulnerabilities: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    fix_available: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    lambda_function_name: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    lambda_function_layers: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    lambda_function_runtime: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    lambda_function_last_modified_at: tuple[DateFilter, ...] = attrs.field(
        default=(), converter=_dates
    )
    lambda_function_execution_role_arn: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=_strings
    )
    exploit_available: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    code_vulnerability_detector_name: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=_strings
    )
    code_vulnerability_detector_tags: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=_strings
    )
    code_vulnerability_file_path: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=_strings
    )
    epss_score: tuple[NumberFilter, ...] = attrs.field(default=(), converter=_numbers)
    code_repository_project_name: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=_strings
    )
    code_repository_provider_type: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=_strings
    )
    machine_image_id: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    machine_image_name: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    machine_image_owner_account_id: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=_strings
    )
    machine_image_platform: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    cloud_provider: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    cloud_provider_region: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    cloud_provider_account_id: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=_strings
    )
    cloud_provider_org_id: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    cloud_vm_image_reference: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    cloud_vm_network_id: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    cloud_vm_subnet_ids: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    cloud_image_repository_name: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=_strings
    )
    cloud_image_registry: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    cloud_image_digest: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    cloud_image_tags: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    cloud_image_pushed_at: tuple[DateFilter, ...] = attrs.field(default=(), converter=_dates)
    cloud_image_architecture: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    cloud_image_last_in_use_at: tuple[DateFilter, ...] = attrs.field(default=(), converter=_dates)
    cloud_image_in_use_count: tuple[NumberFilter, ...] = attrs.field(default=(), converter=_numbers)
    cloud_serverless_function_name: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=_strings
    )
    cloud_serverless_function_runtime: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=_strings
    )
    cloud_serverless_function_last_modified_at: tuple[DateFilter, ...] = attrs.field(
        default=(), converter=_dates
    )
    cloud_serverless_function_execution_role: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=_strings
    )


# ----------------------------------------------------------------------------- CoverageCriteria

# attribute -> (CoverageFilterCriteria member, filter kind), in the model's member order.
_COVERAGE_MEMBERS: dict[str, tuple[str, str]] = {
    "scan_status_code": ("scanStatusCode", "string"),
    "scan_status_reason": ("scanStatusReason", "string"),
    "account_id": ("accountId", "string"),
    "resource_id": ("resourceId", "string"),
    "resource_type": ("resourceType", "string"),
    "scan_type": ("scanType", "string"),
    "ecr_repository_name": ("ecrRepositoryName", "string"),
    "ecr_image_tags": ("ecrImageTags", "string"),
    "ec2_instance_tags": ("ec2InstanceTags", "map"),
    "lambda_function_name": ("lambdaFunctionName", "string"),
    "lambda_function_tags": ("lambdaFunctionTags", "map"),
    "lambda_function_runtime": ("lambdaFunctionRuntime", "string"),
    "machine_image_tags": ("machineImageTags", "map"),
    "last_scanned_at": ("lastScannedAt", "date"),
    "scan_mode": ("scanMode", "string"),
    "image_pulled_at": ("imagePulledAt", "date"),
    "ecr_image_last_in_use_at": ("ecrImageLastInUseAt", "date"),
    "ecr_image_in_use_count": ("ecrImageInUseCount", "number"),
    "code_repository_project_name": ("codeRepositoryProjectName", "string"),
    "code_repository_provider_type": ("codeRepositoryProviderType", "string"),
    "code_repository_provider_type_visibility": (
        "codeRepositoryProviderTypeVisibility",
        "string",
    ),
    "last_scanned_commit_id": ("lastScannedCommitId", "string"),
    "cloud_provider": ("cloudProvider", "string"),
    "cloud_provider_account_id": ("cloudProviderAccountId", "string"),
    "cloud_provider_region": ("cloudProviderRegion", "string"),
    "cloud_vm_instance_tags": ("cloudVmInstanceTags", "map"),
    "cloud_container_image_tags": ("cloudContainerImageTags", "string"),
    "cloud_container_repository_name": ("cloudContainerRepositoryName", "string"),
    "cloud_container_registry_name": ("cloudContainerRegistryName", "string"),
    "cloud_serverless_function_name": ("cloudServerlessFunctionName", "string"),
    "cloud_serverless_function_runtime": ("cloudServerlessFunctionRuntime", "string"),
    "cloud_serverless_function_tags": ("cloudServerlessFunctionTags", "map"),
    "cloud_provider_org_id": ("cloudProviderOrgId", "string"),
}


@_name_errors({name: api for name, (api, _) in _COVERAGE_MEMBERS.items()})
@attrs.frozen(kw_only=True, repr=False)
class CoverageCriteria(_Criteria):
    """API ``CoverageFilterCriteria``: which resources ``ListCoverage`` returns.

    Built like :class:`FindingCriteria`, with the same filter classes, checked against the
    coverage shapes: string criteria take EQUALS or NOT_EQUALS (no PREFIX), tag criteria
    (``ec2_instance_tags``, ``lambda_function_tags``, ``machine_image_tags``,
    ``cloud_vm_instance_tags``, ``cloud_serverless_function_tags``) take non-empty keys and
    values of any length, ``ecr_image_in_use_count`` takes whole numbers, and
    ``last_scanned_at``, ``image_pulled_at`` and ``ecr_image_last_in_use_at`` take
    :class:`DateFilter`. Every other field is a string criterion.

    Example:
        >>> crit = CoverageCriteria(resource_type="AWS_EC2_INSTANCE", scan_status_code="INACTIVE")
        >>> crit.to_api()["scanStatusCode"]
        [{'comparison': 'EQUALS', 'value': 'INACTIVE'}]
        >>> try:
        ...     CoverageCriteria(resource_id=StringFilter.prefix("i-"))
        ... except ValueError as exc:
        ...     print(exc)
        resourceId[0].comparison: CoverageStringFilter comparison must be one of
        EQUALS, NOT_EQUALS, got 'PREFIX'
    """

    _MEMBERS: ClassVar[Mapping[str, tuple[str, str]]] = _COVERAGE_MEMBERS
    _BY_API: ClassVar[Mapping[str, tuple[str, str]]] = {
        api: (name, kind) for name, (api, kind) in _COVERAGE_MEMBERS.items()
    }
    _RULES: ClassVar[_Rules] = _COVERAGE_RULES

    scan_status_code: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    scan_status_reason: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    account_id: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    resource_id: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    resource_type: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    scan_type: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    ecr_repository_name: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    ecr_image_tags: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    ec2_instance_tags: tuple[MapFilter, ...] = attrs.field(default=(), converter=_maps)
    lambda_function_name: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    lambda_function_tags: tuple[MapFilter, ...] = attrs.field(default=(), converter=_maps)
    lambda_function_runtime: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    machine_image_tags: tuple[MapFilter, ...] = attrs.field(default=(), converter=_maps)
    last_scanned_at: tuple[DateFilter, ...] = attrs.field(default=(), converter=_dates)
    scan_mode: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    image_pulled_at: tuple[DateFilter, ...] = attrs.field(default=(), converter=_dates)
    ecr_image_last_in_use_at: tuple[DateFilter, ...] = attrs.field(default=(), converter=_dates)
    ecr_image_in_use_count: tuple[NumberFilter, ...] = attrs.field(default=(), converter=_numbers)
    code_repository_project_name: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=_strings
    )
    code_repository_provider_type: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=_strings
    )
    code_repository_provider_type_visibility: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=_strings
    )
    last_scanned_commit_id: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    cloud_provider: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    cloud_provider_account_id: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=_strings
    )
    cloud_provider_region: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
    cloud_vm_instance_tags: tuple[MapFilter, ...] = attrs.field(default=(), converter=_maps)
    cloud_container_image_tags: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=_strings
    )
    cloud_container_repository_name: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=_strings
    )
    cloud_container_registry_name: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=_strings
    )
    cloud_serverless_function_name: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=_strings
    )
    cloud_serverless_function_runtime: tuple[StringFilter, ...] = attrs.field(
        default=(), converter=_strings
    )
    cloud_serverless_function_tags: tuple[MapFilter, ...] = attrs.field(default=(), converter=_maps)
    cloud_provider_org_id: tuple[StringFilter, ...] = attrs.field(default=(), converter=_strings)
