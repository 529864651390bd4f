"""What FindingCriteria and CoverageCriteria share: field converters, rules, behaviour.

Each criteria class declares one attrs field per API member, once: the converter says the
filter kind (``strings``, ``numbers``, ...) and ``metadata={"api": ...}`` names the
API member. The converters are ``attrs.Converter`` objects that take their field
(``takes_field=True``), so an error raised while converting names the member
(``vulnerabilityId[2].value``). ``Criteria`` derives the member tables from
``attrs.fields`` once attrs has built the class. ``Rules`` holds what one
operation's filter shapes allow beyond the filter classes.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

import attrs

from inspector_kit._limits import (
    COVERAGE_MAP_KEY_LENGTH,
    COVERAGE_MAP_VALUE_LENGTH,
    COVERAGE_STRING_COMPARISONS,
    FILTER_LIST_MAX,
    LONG_RANGE,
    MAP_KEY_LENGTH,
    MAP_VALUE_LENGTH,
    STRING_COMPARISONS,
)
from inspector_kit.errors import CriteriaError, CriteriaUsageError

from ._checks import check_choice, check_text, field_converter, guard, type_name
from ._closed import CLOSED_VALUES, check_closed
from ._filters import (
    DateFilter,
    MapFilter,
    NumberFilter,
    PackageFilter,
    PortRangeFilter,
    StringFilter,
    part_repr,
)

if TYPE_CHECKING:
    from typing_extensions import Self

_F = TypeVar("_F")

# ----------------------------------------------------------------------------- field converters


def collect(
    value: object, kind: type[_F], what: str, plain: Callable[[str], _F] | None = None
) -> tuple[_F, ...]:
    """One filter, one plain value or an iterable of them, as a checked tuple of filters."""
    items: tuple[object, ...]
    if isinstance(value, kind) or (plain is not None and isinstance(value, str)):
        items = (value,)
    elif isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        hint = " (use from_api for API objects)" if isinstance(value, Mapping) else ""
        raise CriteriaError(
            f"expected {what}, or an iterable of them, got {type_name(value)}{hint}"
        )
    else:
        items = tuple(value)
    if len(items) > FILTER_LIST_MAX:
        raise CriteriaError(f"at most {FILTER_LIST_MAX} filters per criterion, got {len(items)}")
    out: list[_F] = []
    for index, item in enumerate(items):
        if isinstance(item, kind):
            out.append(item)
        elif plain is not None and isinstance(item, str):
            out.append(guard(f"[{index}]", plain, item))
        else:
            raise CriteriaError(f"expected {what}, got {type_name(item)}", path=f"[{index}]")
    return tuple(out)


def strings(value: str | StringFilter | Iterable[str | StringFilter]) -> tuple[StringFilter, ...]:
    """Converter of string criteria: plain strings and enum members mean EQUALS."""
    return collect(value, StringFilter, "a string or a StringFilter", StringFilter)


def numbers(value: NumberFilter | Iterable[NumberFilter]) -> tuple[NumberFilter, ...]:
    """Converter of number criteria."""
    return collect(value, NumberFilter, "a NumberFilter")


def dates(value: DateFilter | Iterable[DateFilter]) -> tuple[DateFilter, ...]:
    """Converter of date criteria."""
    return collect(value, DateFilter, "a DateFilter")


def maps(
    value: MapFilter | Mapping[str, str | None] | Iterable[MapFilter],
) -> tuple[MapFilter, ...]:
    """Converter of tag criteria: also takes a ``{key: value}`` mapping."""
    if isinstance(value, Mapping):
        pairs = list(value.items())
        if len(pairs) > FILTER_LIST_MAX:
            raise CriteriaError(
                f"at most {FILTER_LIST_MAX} filters per criterion, got {len(pairs)}"
            )
        return tuple(
            guard(f"[{index}]", lambda kv: MapFilter(*kv), pair) for index, pair in enumerate(pairs)
        )
    return collect(value, MapFilter, "a MapFilter")


def ports(value: PortRangeFilter | Iterable[PortRangeFilter]) -> tuple[PortRangeFilter, ...]:
    """Converter of port-range criteria."""
    return collect(value, PortRangeFilter, "a PortRangeFilter")


def packages(value: PackageFilter | Iterable[PackageFilter]) -> tuple[PackageFilter, ...]:
    """Converter of package criteria."""
    return collect(value, PackageFilter, "a PackageFilter")


if not TYPE_CHECKING:
    # mypy's attrs plugin takes a field's __init__ type from its converter only when that is
    # a named function (python/mypy#15736), so mypy sees the functions above; attrs runs
    # them as Converters that take their field and put its API member name on errors.
    strings = field_converter(strings)
    numbers = field_converter(numbers)
    dates = field_converter(dates)
    maps = field_converter(maps)
    ports = field_converter(ports)
    packages = field_converter(packages)

#: The filter kind of each criteria converter.
KIND_OF_CONVERTER: Mapping[object, str] = {
    strings: "string",
    numbers: "number",
    dates: "date",
    maps: "map",
    ports: "port",
    packages: "package",
}

# ----------------------------------------------------------------------------- rules


FROM_API: dict[str, Callable[[Any], Any]] = {
    "string": StringFilter.from_api,
    "number": NumberFilter.from_api,
    "date": DateFilter.from_api,
    "map": MapFilter.from_api,
    "port": PortRangeFilter.from_api,
    "package": PackageFilter.from_api,
}


@attrs.frozen
class Rules:
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
            check_choice(
                item.comparison, self.string_comparisons, f"{path}.comparison", self.string_shape
            )
            allowed = self.closed.get(api)
            if allowed is not None and item.check:
                check_closed(item, allowed, f"{path}.value", api)
        elif kind == "map":
            check_text(item.key, f"{path}.key", self.map_key_length)
            if item.value is not None:
                check_text(item.value, f"{path}.value", self.map_value_length)
        elif kind == "number" and self.whole_numbers:
            for bound, member in ((item.gte, "lowerInclusive"), (item.lte, "upperInclusive")):
                if bound is None:
                    continue
                if isinstance(bound, float) and not bound.is_integer():
                    raise CriteriaError(
                        f"{self.number_shape} takes whole numbers (long), got {bound!r}",
                        path=f"{path}.{member}",
                    )
                if not LONG_RANGE[0] <= bound <= LONG_RANGE[1]:
                    raise CriteriaError(
                        f"{self.number_shape} bound out of range for a long: {bound!r}",
                        path=f"{path}.{member}",
                    )

    def encode(self, kind: str, item: Any) -> dict[str, Any]:
        out: dict[str, Any] = item.to_api()
        if kind == "number" and self.whole_numbers:
            out = {member: int(bound) for member, bound in out.items()}
        return out


FINDING_RULES = Rules(
    shape="FilterCriteria",
    string_shape="StringFilter",
    string_comparisons=STRING_COMPARISONS,
    map_shape="MapFilter",
    map_key_length=MAP_KEY_LENGTH,
    map_value_length=MAP_VALUE_LENGTH,
    number_shape="NumberFilter",
    whole_numbers=False,
    closed=CLOSED_VALUES["FilterCriteria"],
)
COVERAGE_RULES = Rules(
    shape="CoverageFilterCriteria",
    string_shape="CoverageStringFilter",
    string_comparisons=COVERAGE_STRING_COMPARISONS,
    map_shape="CoverageMapFilter",
    map_key_length=COVERAGE_MAP_KEY_LENGTH,
    map_value_length=COVERAGE_MAP_VALUE_LENGTH,
    number_shape="CoverageNumberFilter",
    whole_numbers=True,
    closed=CLOSED_VALUES["CoverageFilterCriteria"],
)


class Criteria:
    """What FindingCriteria and CoverageCriteria share; each sets ``_RULES``.

    The member tables are derived from the attrs fields when attrs has built a subclass:
    each field's ``metadata["api"]`` names its API member, its converter gives the kind.
    """

    __slots__ = ()

    # attribute -> (API member, filter kind), in the declaration (the model's member) order
    _MEMBERS: ClassVar[Mapping[str, tuple[str, str]]]
    _BY_API: ClassVar[Mapping[str, tuple[str, str]]]  # API member -> (attribute, kind)
    _RULES: ClassVar[Rules]

    @classmethod
    def __attrs_init_subclass__(cls) -> None:
        fields = attrs.fields(cast("type[attrs.AttrsInstance]", cls))
        cls._MEMBERS = {
            field.name: (field.metadata["api"], KIND_OF_CONVERTER[field.converter])
            for field in fields
        }
        cls._BY_API = {api: (name, kind) for name, (api, kind) in cls._MEMBERS.items()}

    def __attrs_post_init__(self) -> None:
        rules = self._RULES
        for name, (api, kind) in self._MEMBERS.items():
            for index, item in enumerate(getattr(self, name)):
                rules.check(kind, item, f"{api}[{index}]", api)

    def to_api(self) -> dict[str, Any]:
        """The API criteria object: set criteria only, by API member name.

        Examples:
            >>> from inspector_kit.criteria import FindingCriteria
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
        """Read an API criteria object (the inverse of ``to_api``).

        An unknown member is an error naming it; a ``null`` member is taken as absent.
        ``check=False`` reads string filters (and the runtime reachability parts of package
        filters) as ``StringFilter(..., check=False)``: values outside a criterion's closed set (see
        [`CLOSED_VALUES`][inspector_kit.criteria.CLOSED_VALUES]) are then sent as they are.

        Examples:
            >>> from inspector_kit.criteria import FindingCriteria
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
            raise CriteriaError(f"expected a {shape} object, got {type_name(payload)}")
        fields: dict[str, Any] = {}
        for key, value in payload.items():
            entry = cls._BY_API.get(key)
            if entry is None:
                raise CriteriaError(cls._unknown(key), path=str(key))
            if value is None:
                continue
            name, kind = entry
            if not isinstance(value, (list, tuple)):
                raise CriteriaError(f"expected a list, got {type_name(value)}", path=key)
            parse = FROM_API[kind]
            if kind == "package" and not check:
                parse = functools.partial(PackageFilter.from_api, check=False)
            items = tuple(guard(f"{key}[{index}]", parse, item) for index, item in enumerate(value))
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

        Examples:
            >>> from inspector_kit.criteria import FindingCriteria
            >>> base = FindingCriteria(finding_status="ACTIVE", severity="HIGH")
            >>> base.where(severity=["CRITICAL", "HIGH"], finding_status=())
            FindingCriteria(severity=['CRITICAL', 'HIGH'])
        """
        unknown = sorted(set(changes) - set(self._MEMBERS))
        if unknown:
            close = difflib.get_close_matches(unknown[0], list(self._MEMBERS), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise CriteriaUsageError(f"{type(self).__name__} has no criterion {unknown[0]!r}{hint}")
        return self._build({**self._fields(), **changes})

    def combine(self, other: Self) -> Self:
        """Both criteria's filters, criterion by criterion (duplicates dropped, order kept).

        Raises [`CriteriaError`][inspector_kit.errors.CriteriaError] if a criterion ends up with
        more than 10 filters. ``a & b`` is the same.

        Examples:
            >>> from inspector_kit.criteria import FindingCriteria
            >>> a = FindingCriteria(severity="CRITICAL", finding_status="ACTIVE")
            >>> a & FindingCriteria(severity=["HIGH", "CRITICAL"])
            FindingCriteria(severity=['CRITICAL', 'HIGH'], finding_status='ACTIVE')
        """
        if type(other) is not type(self):
            raise CriteriaUsageError(
                f"cannot combine {type(self).__name__} with {type(other).__name__}"
            )
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

        Examples:
            >>> from inspector_kit.criteria import FindingCriteria, PortRangeFilter
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
            shown = [part_repr(item) for item in items]
            parts.append(
                f"{name}={shown[0]}" if len(shown) == 1 else f"{name}=[{', '.join(shown)}]"
            )
        return f"{type(self).__name__}({', '.join(parts)})"
