"""The filter values: one class per API filter shape, each checking its own shape.

A filter checks what it can on its own when it is built (``NumberFilter(gte=9, lte=7)``
fails on that line), with error paths relative to the filter (``lowerInclusive``,
``value``). What depends on the operation (PREFIX for ``ListCoverage``, map key lengths,
whole numbers) is checked by the criteria that hold the filter (see ``_base.Rules``).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

import attrs

from inspector_kit._limits import (
    MAP_COMPARISONS,
    MAP_VALUE_LENGTH,
    RUNTIME_REACHABILITY_COMPARISONS,
    STRING_COMPARISONS,
    STRING_VALUE_LENGTH,
)
from inspector_kit.errors import CriteriaError

from ._checks import (
    api_members,
    aware_utc,
    check_choice,
    check_instant,
    check_number,
    check_port,
    check_text,
    field_converter,
    guard,
    instant_from_api,
    plain,
    plain_or_none,
    type_name,
)
from ._closed import CLOSED_VALUES, check_closed, likely_value

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from typing_extensions import Self

__all__ = [
    "DateFilter",
    "MapFilter",
    "NumberFilter",
    "PackageFilter",
    "PortRangeFilter",
    "StringFilter",
]


def _kw_repr(obj: object, names: tuple[str, ...]) -> str:
    shown = [
        f"{name}={part_repr(getattr(obj, name))}"
        for name in names
        if getattr(obj, name) is not None
    ]
    return f"{type(obj).__name__}({', '.join(shown)})"


def part_repr(value: object) -> str:
    """An EQUALS string filter shows as its plain value, which the constructors accept."""
    if isinstance(value, StringFilter) and value.comparison == "EQUALS" and value.check:
        return repr(value.value)
    return repr(value)


@attrs.frozen(repr=False)
class StringFilter:
    """API ``StringFilter``: compare a string member with ``value``.

    ``comparison`` is EQUALS (the default), PREFIX or NOT_EQUALS; ``ListCoverage`` takes no
    PREFIX (see [`CoverageCriteria`][inspector_kit.criteria.CoverageCriteria]). ``value`` is 1-1024
    characters; enum members are stored as their plain value. A plain ``str`` given to a criteria
    field means EQUALS.

    Attributes:
        value: API ``value``.
        comparison: API ``comparison``.

    Examples:
        >>> from inspector_kit.models import Severity
        >>> StringFilter(Severity.HIGH), StringFilter.prefix("arn:aws:lambda:")
        (StringFilter('HIGH'), StringFilter.prefix('arn:aws:lambda:'))
        >>> StringFilter.not_equals("CLOSED").to_api()
        {'comparison': 'NOT_EQUALS', 'value': 'CLOSED'}
    """

    value: str = attrs.field(converter=plain)
    comparison: str = attrs.field(default="EQUALS", converter=plain)
    check: bool = attrs.field(default=True, kw_only=True, eq=False)
    """False skips the check against a criterion's closed set of values (a value AWS added
    after this version of the library); not an API member."""

    def __attrs_post_init__(self) -> None:
        check_text(self.value, "value", STRING_VALUE_LENGTH)
        check_choice(self.comparison, STRING_COMPARISONS, "comparison", "StringFilter")
        if not isinstance(self.check, bool):
            raise CriteriaError(f"expected a bool, got {type_name(self.check)}", path="check")

    @classmethod
    def equals(cls, value: str) -> Self:
        """Match members equal to ``value``.

        Examples:
            >>> StringFilter.equals("ACTIVE") == StringFilter("ACTIVE")
            True
        """
        return cls(value, "EQUALS")

    @classmethod
    def prefix(cls, value: str) -> Self:
        """Match members that start with ``value`` (``ListFindings`` only).

        Examples:
            >>> StringFilter.prefix("CVE-2024-").comparison
            'PREFIX'
        """
        return cls(value, "PREFIX")

    @classmethod
    def not_equals(cls, value: str) -> Self:
        """Match members not equal to ``value``.

        Examples:
            >>> StringFilter.not_equals("CLOSED").comparison
            'NOT_EQUALS'
        """
        return cls(value, "NOT_EQUALS")

    def to_api(self) -> dict[str, Any]:
        """The API ``StringFilter`` object.

        Examples:
            >>> StringFilter("HIGH").to_api()
            {'comparison': 'EQUALS', 'value': 'HIGH'}
        """
        return {"comparison": self.comparison, "value": self.value}

    @classmethod
    def from_api(cls, payload: Mapping[str, Any]) -> Self:
        """Read an API ``StringFilter`` object.

        Examples:
            >>> StringFilter.from_api({"comparison": "PREFIX", "value": "CVE-"})
            StringFilter.prefix('CVE-')
        """
        found = api_members(
            payload, "StringFilter", ("comparison", "value"), ("comparison", "value")
        )
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

    Examples:
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
            check_number(self.gte, "lowerInclusive")
        if self.lte is not None:
            check_number(self.lte, "upperInclusive")
        if self.gte is not None and self.lte is not None and self.gte > self.lte:
            raise CriteriaError(f"lowerInclusive {self.gte} is above upperInclusive {self.lte}")

    def to_api(self) -> dict[str, Any]:
        """The API ``NumberFilter`` object, with the bounds that are set.

        Examples:
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

        Examples:
            >>> NumberFilter.from_api({"upperInclusive": 0.5})
            NumberFilter(lte=0.5)
        """
        found = api_members(payload, "NumberFilter", ("upperInclusive", "lowerInclusive"))
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

    Examples:
        >>> from datetime import datetime, timezone
        >>> DateFilter(start=datetime(2024, 1, 1, tzinfo=timezone.utc)).to_api()
        {'startInclusive': datetime.datetime(2024, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)}
        >>> try:
        ...     DateFilter(end=datetime(2024, 1, 1))
        ... except ValueError as exc:
        ...     print(exc)
        endInclusive: naive datetime 2024-01-01T00:00:00: pass tzinfo (e.g. tzinfo=timezone.utc)
    """

    start: datetime | None = attrs.field(default=None, converter=aware_utc)
    end: datetime | None = attrs.field(default=None, converter=aware_utc)

    def __attrs_post_init__(self) -> None:
        if self.start is None and self.end is None:
            raise CriteriaError(
                "DateFilter needs start (startInclusive), end (endInclusive) or both"
            )
        if self.start is not None:
            check_instant(self.start, "startInclusive")
        if self.end is not None:
            check_instant(self.end, "endInclusive")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise CriteriaError(
                f"startInclusive {self.start.isoformat()} is after "
                f"endInclusive {self.end.isoformat()}"
            )

    def to_api(self) -> dict[str, Any]:
        """The API ``DateFilter`` object; bounds stay ``datetime`` (botocore serializes them).

        Examples:
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

        Examples:
            >>> DateFilter.from_api({"startInclusive": "2024-06-01T00:00:00Z"}).start
            datetime.datetime(2024, 6, 1, 0, 0, tzinfo=datetime.timezone.utc)
        """
        found = api_members(payload, "DateFilter", ("startInclusive", "endInclusive"))
        start = guard("startInclusive", instant_from_api, found.get("startInclusive"))
        end = guard("endInclusive", instant_from_api, found.get("endInclusive"))
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

    Examples:
        >>> MapFilter("Environment", "prod").to_api()
        {'comparison': 'EQUALS', 'key': 'Environment', 'value': 'prod'}
        >>> MapFilter("Team")
        MapFilter('Team')
    """

    key: str = attrs.field(converter=plain)
    value: str | None = attrs.field(default=None, converter=plain_or_none)
    comparison: str = attrs.field(default="EQUALS", converter=plain)

    def __attrs_post_init__(self) -> None:
        check_text(self.key, "key", (1, None))
        if self.value is not None:
            check_text(self.value, "value", (0, None))
        check_choice(self.comparison, MAP_COMPARISONS, "comparison", "MapFilter")

    def to_api(self) -> dict[str, Any]:
        """The API ``MapFilter`` object.

        Examples:
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

        Examples:
            >>> MapFilter.from_api({"comparison": "EQUALS", "key": "Env", "value": "dev"})
            MapFilter('Env', 'dev')
        """
        found = api_members(
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

    Examples:
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
            check_port(self.begin, "beginInclusive")
        if self.end is not None:
            check_port(self.end, "endInclusive")
        if self.begin is not None and self.end is not None and self.begin > self.end:
            raise CriteriaError(f"beginInclusive {self.begin} is above endInclusive {self.end}")

    def to_api(self) -> dict[str, Any]:
        """The API ``PortRangeFilter`` object, with the bounds that are set.

        Examples:
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

        Examples:
            >>> PortRangeFilter.from_api({"endInclusive": 1023})
            PortRangeFilter(end=1023)
        """
        found = api_members(payload, "PortRangeFilter", ("beginInclusive", "endInclusive"))
        return cls(begin=found.get("beginInclusive"), end=found.get("endInclusive"))

    def __repr__(self) -> str:
        return _kw_repr(self, ("begin", "end"))


def _string_part(value: str | StringFilter | None) -> StringFilter | None:
    """Converter: a package part given as a plain string means EQUALS."""
    if value is None or isinstance(value, StringFilter):
        return value
    if isinstance(value, str):
        return StringFilter(value)
    raise CriteriaError(f"expected a string or a StringFilter, got {type_name(value)}")


def _number_part(value: NumberFilter | None) -> NumberFilter | None:
    """Converter: checks the type of a package ``epoch``."""
    if value is None or isinstance(value, NumberFilter):
        return value
    raise CriteriaError(f"expected a NumberFilter, got {type_name(value)}")


def _map_part(value: MapFilter | None) -> MapFilter | None:
    """Converter: checks the type of a package ``purlQualifier``."""
    if value is None or isinstance(value, MapFilter):
        return value
    raise CriteriaError(f"expected a MapFilter, got {type_name(value)}")


if not TYPE_CHECKING:
    # mypy reads the __init__ types from the functions above (see _base.strings); attrs
    # runs them as Converters that put the part's API member name on error paths.
    _string_part = field_converter(_string_part)
    _number_part = field_converter(_number_part)
    _map_part = field_converter(_map_part)


@attrs.frozen(kw_only=True, repr=False)
class PackageFilter:
    """API ``PackageFilter``: match vulnerable packages; at least one part must be set.

    String parts take a ``str`` (meaning EQUALS) or a
    [`StringFilter`][inspector_kit.criteria.StringFilter]; ``epoch`` takes a
    [`NumberFilter`][inspector_kit.criteria.NumberFilter].

    ``runtime_reachability`` and ``runtime_reachability_reason`` (API
    ``RuntimeReachabilityFilter`` and ``RuntimeReachabilityReasonFilter``) compare with
    EQUALS or NOT_EQUALS only, and their value must be a
    [`RuntimeReachability`][inspector_kit.models.RuntimeReachability] (a
    [`RuntimeReachabilityReason`][inspector_kit.models.RuntimeReachabilityReason]) value;
    ``StringFilter(..., check=False)`` sends one this version does not know.
    ``purl_qualifier`` (API ``PurlQualifierFilter``) takes a
    [`MapFilter`][inspector_kit.criteria.MapFilter] whose key is a PURL qualifier key Inspector
    knows (``arch``, ``distro``, ``epoch``, ... ``PurlQualifierKey``) and whose value, if
    given, is 0-256 characters.

    Attributes:
        name: API ``name``.
        version: API ``version``.
        epoch: API ``epoch``.
        release: API ``release``.
        architecture: API ``architecture``.
        source_layer_hash: API ``sourceLayerHash``.
        source_lambda_layer_arn: API ``sourceLambdaLayerArn``.
        file_path: API ``filePath``.
        runtime_reachability: API ``runtimeReachability``.
        runtime_reachability_reason: API ``runtimeReachabilityReason``.
        purl_qualifier: API ``purlQualifier``.

    Examples:
        >>> PackageFilter(name="openssl", version=StringFilter.prefix("3.0"))
        PackageFilter(name='openssl', version=StringFilter.prefix('3.0'))
        >>> PackageFilter(name="xz").to_api()
        {'name': {'comparison': 'EQUALS', 'value': 'xz'}}
        >>> PackageFilter(runtime_reachability="REACHABLE",
        ...               purl_qualifier=MapFilter("distro", "amazon-2023")).to_api()
        {'runtimeReachability': {'comparison': 'EQUALS', 'value': 'REACHABLE'},
         'purlQualifier': {'comparison': 'EQUALS', 'key': 'distro', 'value': 'amazon-2023'}}
    """

    name: StringFilter | None = attrs.field(
        default=None, converter=_string_part, metadata={"api": "name"}
    )
    version: StringFilter | None = attrs.field(
        default=None, converter=_string_part, metadata={"api": "version"}
    )
    epoch: NumberFilter | None = attrs.field(
        default=None, converter=_number_part, metadata={"api": "epoch"}
    )
    release: StringFilter | None = attrs.field(
        default=None, converter=_string_part, metadata={"api": "release"}
    )
    architecture: StringFilter | None = attrs.field(
        default=None, converter=_string_part, metadata={"api": "architecture"}
    )
    source_layer_hash: StringFilter | None = attrs.field(
        default=None, converter=_string_part, metadata={"api": "sourceLayerHash"}
    )
    source_lambda_layer_arn: StringFilter | None = attrs.field(
        default=None, converter=_string_part, metadata={"api": "sourceLambdaLayerArn"}
    )
    file_path: StringFilter | None = attrs.field(
        default=None, converter=_string_part, metadata={"api": "filePath"}
    )
    runtime_reachability: StringFilter | None = attrs.field(
        default=None, converter=_string_part, metadata={"api": "runtimeReachability"}
    )
    runtime_reachability_reason: StringFilter | None = attrs.field(
        default=None, converter=_string_part, metadata={"api": "runtimeReachabilityReason"}
    )
    purl_qualifier: MapFilter | None = attrs.field(
        default=None, converter=_map_part, metadata={"api": "purlQualifier"}
    )

    def __attrs_post_init__(self) -> None:
        if all(getattr(self, name) is None for name in _PACKAGE_MEMBERS):
            raise CriteriaError(
                "PackageFilter needs at least one of " + ", ".join(_PACKAGE_MEMBERS)
            )
        closed = CLOSED_VALUES["PackageFilter"]
        for api, part in (
            ("runtimeReachability", self.runtime_reachability),
            ("runtimeReachabilityReason", self.runtime_reachability_reason),
        ):
            if part is None:
                continue
            shape = api[0].upper() + api[1:] + "Filter"
            check_choice(
                part.comparison, RUNTIME_REACHABILITY_COMPARISONS, f"{api}.comparison", shape
            )
            if part.check:
                check_closed(part, closed[api], f"{api}.value", api)
        if self.purl_qualifier is not None:
            _check_purl_qualifier(self.purl_qualifier, closed["purlQualifier"])

    def to_api(self) -> dict[str, Any]:
        """The API ``PackageFilter`` object, with the parts that are set.

        Examples:
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
    def from_api(cls, payload: Mapping[str, Any], *, check: bool = True) -> Self:
        """Read an API ``PackageFilter`` object.

        ``check=False`` reads the runtime reachability parts as
        ``StringFilter(..., check=False)``: values this version does not know are kept.

        Examples:
            >>> PackageFilter.from_api({"filePath": {"comparison": "PREFIX", "value": "/opt/"}})
            PackageFilter(file_path=StringFilter.prefix('/opt/'))
            >>> PackageFilter.from_api({"runtimeReachability":
            ...     {"comparison": "NOT_EQUALS", "value": "NOT_REACHABLE"}})
            PackageFilter(runtime_reachability=StringFilter.not_equals('NOT_REACHABLE'))
        """
        found = api_members(payload, "PackageFilter", tuple(_PACKAGE_MEMBERS.values()))
        parts: dict[str, Any] = {}
        for name, api in _PACKAGE_MEMBERS.items():
            if api in found:
                parse = _PART_FROM_API.get(api, StringFilter.from_api)
                part = guard(api, parse, found[api])
                if isinstance(part, StringFilter) and not check:
                    part = attrs.evolve(part, check=False)
                parts[name] = part
        return cls(**parts)

    def __repr__(self) -> str:
        return _kw_repr(self, tuple(_PACKAGE_MEMBERS))


def _check_purl_qualifier(part: MapFilter, keys: tuple[str, ...]) -> None:
    """A ``PurlQualifierFilter``: a known qualifier key, a value of 0-256 characters."""
    if part.key not in keys:
        guess = likely_value(part.key, keys)
        hint = f" Did you mean {guess!r}?" if guess is not None else ""
        raise CriteriaError(
            f"{part.key!r} is not a PURL qualifier key Inspector filters on: this filter can "
            f"never match.{hint} Valid keys: {', '.join(keys)}",
            path="purlQualifier.key",
        )
    if part.value is not None:
        check_text(part.value, "purlQualifier.value", MAP_VALUE_LENGTH)


def _reachability_from_api(shape: str) -> Callable[[Mapping[str, Any]], StringFilter]:
    def parse(payload: Mapping[str, Any]) -> StringFilter:
        found = api_members(payload, shape, ("comparison", "value"), ("comparison", "value"))
        return StringFilter(found["value"], found["comparison"])

    return parse


def _purl_qualifier_from_api(payload: Mapping[str, Any]) -> MapFilter:
    known = ("comparison", "key", "value")
    found = api_members(payload, "PurlQualifierFilter", known, ("comparison", "key"))
    return MapFilter(found["key"], found.get("value"), found["comparison"])


# API member -> the reader of that part, where it is not a StringFilter.
_PART_FROM_API: Mapping[str, Callable[[Any], Any]] = {
    "epoch": NumberFilter.from_api,
    "runtimeReachability": _reachability_from_api("RuntimeReachabilityFilter"),
    "runtimeReachabilityReason": _reachability_from_api("RuntimeReachabilityReasonFilter"),
    "purlQualifier": _purl_qualifier_from_api,
}

# attribute -> API member, in the model's member order (from the fields' metadata).
_PACKAGE_MEMBERS: Mapping[str, str] = {
    field.name: field.metadata["api"] for field in attrs.fields(PackageFilter)
}
