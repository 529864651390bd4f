"""The machinery behind every model's ``from_api()`` and ``to_api()``.

Each model is a frozen attrs class whose fields carry, in their metadata, the API member
name and a *codec*: an object that turns the API value into the model value (``decode``)
and back (``encode``). One generic routine walks those fields, so every model decodes
the same way and every error carries its field path.

Design notes:

* ``decode`` is idempotent (``decode(decode(x)) == decode(x)``), so the same codec is the
  attrs converter for direct construction (``Resource(type="AWS_EC2_INSTANCE", id=...)``)
  and the parser for API payloads.
* ``from_api`` validates each member once and then builds the instance without running
  the converters again; decoding is on the hot path of every fetch.
* Members the model does not know are frozen (dicts to
  [`FrozenMap`][inspector_kit.models.FrozenMap], lists to tuples) into the model's ``extra`` field
  and written back by ``to_api()``: nothing is dropped, and models stay hashable.
* A ``null`` for an optional member is read as "absent"; a ``null`` or missing required
  member is an error.
* A model may also carry attributes that are not API members (the ``region`` a fetcher
  read a response from): plain attrs fields with a default and no ``api`` metadata.
  ``from_api`` gives them their default, ``to_api`` leaves them out, the compact repr
  shows them when they differ from the default, and ``attrs.evolve`` keeps them.
"""

from __future__ import annotations

import builtins
import logging
import math
import sys
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from enum import Enum
from types import CodeType, FunctionType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

import attrs

from inspector_kit.errors import (
    FindingParseError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
)

from ._time import _fast_iso, parse_timestamp

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = [
    "BOOLEAN",
    "DOUBLE",
    "INTEGER",
    "STRING",
    "STRING_LIST",
    "STRING_MAP",
    "TIMESTAMP",
    "ApiModel",
    "Codec",
    "EnumCodec",
    "FrozenMap",
    "InterningListCodec",
    "ListCodec",
    "ModelCodec",
    "api_model",
    "freeze",
    "member",
    "thaw",
]

logger = logging.getLogger("inspector_kit.models")

T = TypeVar("T")
E = TypeVar("E", bound=Enum)
M = TypeVar("M", bound="ApiModel")


class _Missing:
    """Marks a member that is absent from a payload (shown in error messages)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"


MISSING = _Missing()


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


# --------------------------------------------------------------------------- frozen JSON


class FrozenMap(Mapping[str, Any]):
    """An immutable, hashable mapping (resource tags, members the model does not know).

    Behaves like a read-only ``dict``: lookups, iteration in insertion order, ``==`` with
    any mapping. ``dict(m)`` gives a plain dict.

    Examples:
        >>> tags = FrozenMap({"env": "prod", "team": "payments"})
        >>> tags["env"], len(tags), tags == {"team": "payments", "env": "prod"}
        ('prod', 2, True)
        >>> hash(tags) == hash(FrozenMap({"team": "payments", "env": "prod"}))
        True
    """

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self._data: dict[str, Any] = dict(data) if data else {}
        self._hash: int | None = None

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def get(self, key: str, default: Any = None) -> Any:
        """``self[key]`` if present, else ``default`` (at dict speed)."""
        return self._data.get(key, default)

    @classmethod
    def _wrap(cls, data: dict[str, Any]) -> FrozenMap:
        """A FrozenMap over ``data`` itself (no copy): the caller gives it up."""
        obj = object.__new__(cls)
        obj._data = data
        obj._hash = None
        return obj

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


EMPTY = FrozenMap()


#: How deep members unknown to the model may nest. AWS payloads nest about 10 deep; a
#: fixed limit keeps freezing, thawing and hashing far from Python's recursion limit.
MAX_EXTRA_DEPTH = 100


def freeze(value: Any, _depth: int = 0) -> Any:
    """Make a JSON-like value immutable and hashable: dicts to FrozenMap, lists to tuples.

    Raises:
        ValueError: the value nests deeper than ``MAX_EXTRA_DEPTH`` levels.

    Examples:
        >>> freeze({"a": [1, {"b": 2}]})
        FrozenMap({'a': (1, FrozenMap({'b': 2}))})
    """
    if isinstance(value, FrozenMap):
        return value
    if isinstance(value, (Mapping, list, tuple)) and _depth >= MAX_EXTRA_DEPTH:
        raise InvalidArgumentError(f"nested deeper than {MAX_EXTRA_DEPTH} levels")
    if isinstance(value, Mapping):
        return FrozenMap({k: freeze(v, _depth + 1) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v, _depth + 1) for v in value)
    return value


def thaw(value: Any) -> Any:
    """Undo ``freeze``: FrozenMap to dict, tuples to lists.

    Examples:
        >>> thaw(freeze({"a": [1, {"b": 2}]}))
        {'a': [1, {'b': 2}]}
    """
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value


# --------------------------------------------------------------------------- codecs


class Codec(Generic[T]):
    """Turns one API member's value into its model value and back.

    ``decode`` raises [`FindingParseError`][inspector_kit.errors.FindingParseError] (without a path;
    the caller adds it).
    """

    __slots__ = ("shape_type",)

    def __init__(self, shape_type: str) -> None:
        #: The botocore shape type this codec reads ("string", "structure", ...).
        self.shape_type = shape_type

    def decode(self, value: Any) -> T:
        """Turn an API value (or an already decoded one) into the model value."""
        raise NotImplementedError

    def encode(self, value: T) -> Any:
        """Turn the model value back into its API form."""
        return value


class _StringCodec(Codec[str]):
    __slots__ = ()

    def decode(self, value: Any) -> str:
        if isinstance(value, str):
            return value
        raise FindingParseError(f"expected a string, got {_type_name(value)}", value)


class _IntegerCodec(Codec[int]):
    __slots__ = ()

    def decode(self, value: Any) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise FindingParseError(f"expected an integer, got {_type_name(value)}", value)


class _DoubleCodec(Codec[float]):
    __slots__ = ()

    def decode(self, value: Any) -> float:
        if isinstance(value, float):
            if math.isfinite(value):
                return value
            raise FindingParseError("expected a finite number", value)
        if isinstance(value, int) and not isinstance(value, bool):
            try:
                return float(value)
            except OverflowError:
                raise FindingParseError("number out of range", value) from None
        raise FindingParseError(f"expected a number, got {_type_name(value)}", value)


class _BooleanCodec(Codec[bool]):
    __slots__ = ()

    def decode(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        raise FindingParseError(f"expected a boolean, got {_type_name(value)}", value)


class _TimestampCodec(Codec[datetime]):
    __slots__ = ()

    def decode(self, value: Any) -> datetime:
        try:
            return parse_timestamp(value)
        except ValueError as exc:
            raise FindingParseError(str(exc), value) from None


class EnumCodec(Codec["E | str"]):
    """An *open* enum: known values become members, unknown strings stay plain strings.

    AWS adds enum values without notice (new Lambda runtimes, ``packageManager`` values
    such as ``GENERIC`` in real exports; docs/facts.md#api), so an unknown value is logged at
    debug level and kept, never an error.
    """

    __slots__ = ("_lookup", "enum")

    def __init__(self, enum: type[E]) -> None:
        super().__init__("string")
        self.enum: type[Enum] = enum
        self._lookup: dict[str, Enum] = {m.value: m for m in enum}

    def decode(self, value: Any) -> Any:
        if isinstance(value, self.enum):
            return value
        if isinstance(value, str):
            member = self._lookup.get(value)
            if member is not None:
                return member
            logger.debug("unknown %s value %r kept as a string", self.enum.__name__, value)
            return str(value)
        raise FindingParseError(
            f"expected a {self.enum.__name__} string, got {_type_name(value)}", value
        )

    def encode(self, value: Any) -> Any:
        return value.value if isinstance(value, Enum) else value


class ListCodec(Codec[tuple[T, ...]]):
    """A list member: decoded to a tuple (models stay hashable), encoded to a list.

    ``min_items`` is enforced only where the library relies on it (a finding's
    ``resources``); other list minimums in the model are AWS's business, and real exports
    do carry empty lists the model calls invalid.
    """

    __slots__ = ("item", "min_items")

    def __init__(self, item: Codec[T], *, min_items: int = 0) -> None:
        super().__init__("list")
        self.item = item
        self.min_items = min_items

    def decode(self, value: Any) -> tuple[T, ...]:
        if not isinstance(value, (list, tuple)):
            raise FindingParseError(f"expected a list, got {_type_name(value)}", value)
        if len(value) < self.min_items:
            raise FindingParseError(f"expected at least {self.min_items} item(s)", value)
        decode = self.item.decode
        out: list[T] = []
        for index, item in enumerate(value):
            try:
                out.append(decode(item))
            except FindingParseError as exc:
                exc._prepend(f"[{index}]")
                raise
        return tuple(out)

    def encode(self, value: tuple[T, ...]) -> Any:
        encode = self.item.encode
        return [encode(item) for item in value]


class InterningListCodec(ListCodec[T]):
    """A list of small, flat structures that repeat across payloads, decoded once.

    Equal payloads decode to the *same* tuple (CVSS scores: 200,000 findings carry a few
    hundred distinct ones). That saves memory and lets bulk code (rescoring) cache by
    identity. Only lists of flat objects whose values are strings, numbers or booleans
    are shared; the value's type is part of the key, so ``1`` and ``True`` never meet.
    The table is bounded (cleared when full).
    """

    __slots__ = ("_table", "max_entries")

    def __init__(self, item: Codec[T], *, max_entries: int = 8192) -> None:
        super().__init__(item)
        self._table: dict[tuple[Any, ...], tuple[T, ...]] = {}
        self.max_entries = max_entries

    def decode(self, value: Any) -> tuple[T, ...]:
        key = _flat_key(value)
        if key is None:
            return super().decode(value)
        hit = self._table.get(key)
        if hit is not None:
            return hit
        out = super().decode(value)
        if len(self._table) >= self.max_entries:
            self._table.clear()
        self._table[key] = out
        return out


_FLAT = frozenset((str, float, int, bool))
_flat_types = _FLAT.issuperset


def _flat_key(value: Any) -> tuple[Any, ...] | None:
    """A hashable key equal for equal lists of flat objects (``None`` for anything else).

    Per object: its keys in order, its values' types (``1`` and ``True`` never meet) and
    its values; built with C-level calls only (no Python loop over members).
    """
    if type(value) is not list:
        return None
    parts = []
    for item in value:
        if type(item) is not dict:
            return None
        values = tuple(item.values())
        types = tuple(map(type, values))
        if not _flat_types(types):
            return None
        parts.append((tuple(item), types, values))
    return tuple(parts)


class _StringMapCodec(Codec[FrozenMap]):
    __slots__ = ()

    def decode(self, value: Any) -> FrozenMap:
        if type(value) is not dict:  # a dict first: the ABC check below is slow
            if isinstance(value, FrozenMap):
                return value
            if not isinstance(value, Mapping):
                raise FindingParseError(f"expected an object, got {_type_name(value)}", value)
        for key, item in value.items():
            if not isinstance(key, str):
                raise FindingParseError(f"expected string keys, got {_type_name(key)}", key)
            if not isinstance(item, str):
                exc = FindingParseError(f"expected a string, got {_type_name(item)}", item)
                exc._prepend(key)
                raise exc
        if not value:
            return EMPTY
        try:  # tag keys and values repeat across resources: keep one copy of each
            data = {_intern(key): _intern(item) for key, item in value.items()}
        except TypeError:  # str subclasses cannot be interned
            data = dict(value)
        return FrozenMap._wrap(data)

    def encode(self, value: FrozenMap) -> Any:
        return dict(value)


class ModelCodec(Codec[M]):
    """A nested structure, decoded with the model class's ``from_api``."""

    __slots__ = ("model",)

    def __init__(self, model: type[M]) -> None:
        super().__init__("structure")
        self.model = model

    def decode(self, value: Any) -> M:
        if isinstance(value, self.model):
            return value
        return _decode_struct(self.model, value)

    def encode(self, value: M) -> Any:
        return value.to_api()


STRING: Codec[str] = _StringCodec("string")
INTEGER: Codec[int] = _IntegerCodec("integer")
DOUBLE: Codec[float] = _DoubleCodec("double")
BOOLEAN: Codec[bool] = _BooleanCodec("boolean")
TIMESTAMP: Codec[datetime] = _TimestampCodec("timestamp")
STRING_LIST: Codec[tuple[str, ...]] = ListCodec(STRING)
STRING_MAP: Codec[FrozenMap] = _StringMapCodec("map")


# --------------------------------------------------------------------------- fields


@attrs.frozen
class FieldSpec:
    """How one model attribute maps to one API member."""

    attr: str
    api: str
    codec: Codec[Any]
    required: bool
    #: Whether ``from_api`` interns the member's strings (see ``member``).
    intern: bool = True


def member(api: str, codec: Codec[T], *, required: bool = False, intern: bool = True) -> T:
    """Declare a model attribute that reads API member ``api`` through ``codec``.

    Optional members default to ``None`` (absent); required ones have no default.
    The codec's ``decode`` doubles as the attrs converter, so direct construction accepts
    API-form values too (strings for enums and timestamps, lists for tuples).
    ``intern=False`` marks a string member unique to each record (a finding's ARN):
    ``from_api`` then keeps its own copy instead of sharing one with equal values.
    """
    metadata = {"api": api, "codec": codec, "required": required, "intern": intern}

    def convert(value: Any) -> Any:
        if value is None:
            return None
        return codec.decode(value)

    if required:
        return cast("T", attrs.field(metadata=metadata, converter=codec.decode))
    return cast("T", attrs.field(default=None, metadata=metadata, converter=convert))


def _freeze_map(value: Mapping[str, Any] | None) -> FrozenMap:
    if not value:
        return EMPTY
    frozen = freeze(value)
    if not isinstance(frozen, FrozenMap):  # pragma: no cover - freeze(Mapping) is a FrozenMap
        raise InvalidArgumentTypeError("extra must be a mapping")
    return frozen


@attrs.frozen(kw_only=True)
class ApiModel:
    """Base of every model: ``from_api()``, ``to_api()`` and the ``extra`` members.

    Subclasses are declared with ``api_model`` and ``member``.

    Examples:
        >>> from inspector_kit.models import PortRange
        >>> p = PortRange.from_api({"begin": 22, "end": 22, "newMember": "kept"})
        >>> p.__api_shape__, p.end, dict(p.extra), p.to_api()["newMember"]
        ('PortRange', 22, {'newMember': 'kept'}, 'kept')
    """

    #: The botocore shape this model reads (e.g. ``"AwsEc2InstanceDetails"``).
    __api_shape__: ClassVar[str] = ""
    __api_fields__: ClassVar[tuple[FieldSpec, ...]] = ()
    __api_names__: ClassVar[frozenset[str]] = frozenset()
    #: Attributes that are not API members, as ``(name, default, factory)``; ``factory``
    #: is ``None`` for a plain default, else a callable taking the half-built instance.
    __api_plan__: ClassVar[
        tuple[tuple[str, bool, Callable[[Any], Any] | None, Callable[[Any, Any], None]], ...]
    ] = ()
    __api_extra_setter__: ClassVar[Callable[[Any, Any], None]]
    __api_defaults__: ClassVar[tuple[tuple[str, Any, Callable[[Any], Any] | None], ...]] = ()
    #: Members a record cannot be kept without (see
    #: [`from_api_lenient`][inspector_kit.models.ApiModel.from_api_lenient]): when one is missing,
    #: or nothing of it can be kept, the whole record is skipped.
    __api_essential__: ClassVar[frozenset[str]] = frozenset()
    #: True when [`from_api_lenient`][inspector_kit.models.ApiModel.from_api_lenient] may not keep
    #: nested structures half-decoded: a nested member decodes fully or is left out (for models
    #: whose nested values the library computes with, such as a finding's CVSS entries and
    #: packages).
    __api_shallow__: ClassVar[bool] = False

    extra: FrozenMap = attrs.field(default=EMPTY, converter=_freeze_map, metadata={"extra": True})
    """API members this version of the model does not know yet, kept verbatim (frozen)
    so that ``to_api()`` gives them back."""

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Self:
        """Build the model from an API payload (a boto3 response item or parsed JSON).

        Raises:
            FindingParseError: the payload does not fit the shape; the error names the
                field path and the offending value.
        """
        return _decode_struct(cls, data)

    @classmethod
    def from_api_lenient(
        cls, data: Mapping[str, Any]
    ) -> tuple[Self, tuple[FindingParseError, ...]]:
        """Build the model from a payload that may not fit the shape, keeping what it can.

        Real servers drift from the service model (``BatchGetAccountStatus`` leaves out
        ``State.errorCode``, which the model calls required). Where
        [`from_api`][inspector_kit.models.ApiModel.from_api] raises, this keeps the record and
        returns every problem next to it:

        * a required member that is missing or null is ``None`` (so, on a record returned
          with problems, a member typed as always present may be ``None``);
        * a member whose value does not decode is ``None`` and its raw value is kept in
          ``extra`` under its API name, so [`to_api`][inspector_kit.models.ApiModel.to_api] still
          gives the payload back;
        * nested structures are kept the same way, and list items that cannot be kept at
          all are left out of the list (the raw list stays in ``extra``).

        A payload that is not an object, or whose *essential* members (those the record
        means nothing without, e.g. a finding's ARN, severity and resources) are missing
        or cannot be kept, raises [`FindingParseError`][inspector_kit.errors.FindingParseError] as
        [`from_api`][inspector_kit.models.ApiModel.from_api] does.

        Returns:
            The model and the problems (empty when the payload fits), each a
            [`FindingParseError`][inspector_kit.errors.FindingParseError] with its field path.

        Examples:
            >>> from inspector_kit.models import AccountState
            >>> raw = {"accountId": "111122223333",
            ...        "state": {"status": "ENABLED"},
            ...        "resourceState": {"ec2": {"status": "ENABLED"},
            ...                          "ecr": {"status": "DISABLED"}}}
            >>> state, problems = AccountState.from_api_lenient(raw)
            >>> state.state.status.value, state.state.error_code
            ('ENABLED', None)
            >>> [p.path for p in problems][:2]
            ['state.errorCode', 'state.errorMessage']
            >>> state.to_api() == raw
            True
        """
        try:
            return _decode_struct(cls, data), ()
        except FindingParseError:
            pass
        problems: list[FindingParseError] = []
        return _lenient_struct(cls, data, problems, deep=True), tuple(problems)

    def to_api(self) -> dict[str, Any]:
        """The API shape back, including members the model does not know.

        Timestamps are aware UTC ``datetime`` objects (as boto3 returns them); optional
        members that are absent are omitted.
        """
        out: dict[str, Any] = {}
        for spec in self.__api_fields__:
            value = getattr(self, spec.attr)
            if value is not None:
                out[spec.api] = spec.codec.encode(value)
        for key, value in self.extra.items():
            out[key] = thaw(value)
        return out


def _setter(cls: type[Any], name: str) -> Callable[[Any, Any], None]:
    """The fastest way to set attribute ``name`` on a new, frozen instance of ``cls``.

    attrs classes are slotted: calling the slot descriptor's ``__set__`` skips the
    attribute lookup and the frozen check that ``object.__setattr__`` goes through.
    """
    descriptor: Any = getattr(cls, name, None)
    if type(descriptor).__name__ == "member_descriptor":
        bound: Callable[[Any, Any], None] = descriptor.__set__
        return bound

    def fallback(obj: Any, value: Any) -> None:
        object.__setattr__(obj, name, value)

    return fallback


def api_model(shape: str) -> Callable[[type[M]], type[M]]:
    """Class decorator (outside ``@attrs.frozen(kw_only=True)``): bind a model to ``shape``.

    It records the field specs that ``from_api``/``to_api`` walk. The attrs decorator stays
    explicit on each class so that mypy's attrs plugin types the constructor.
    """

    def wrap(cls: type[M]) -> type[M]:
        fields = tuple(
            FieldSpec(
                f.name,
                f.metadata["api"],
                f.metadata["codec"],
                f.metadata["required"],
                f.metadata.get("intern", True),
            )
            for f in attrs.fields(cls)
            if "api" in f.metadata
        )
        cls.__api_shape__ = shape
        cls.__api_fields__ = fields
        cls.__api_names__ = frozenset(spec.api for spec in fields)
        cls.__api_defaults__ = tuple(
            _non_api_default(cls, f)
            for f in attrs.fields(cls)
            if "api" not in f.metadata and "extra" not in f.metadata
        )
        cls.__api_plan__ = tuple(
            (
                spec.api,
                spec.required,
                # None marks a plain string member, checked inline (a third of all members)
                None if type(spec.codec) is _StringCodec else spec.codec.decode,
                _setter(cls, spec.attr),
            )
            for spec in fields
        )
        cls.__api_extra_setter__ = _setter(cls, "extra")
        setattr(cls, "__repr__", _compact_repr)  # noqa: B010 - mypy rejects the assignment
        return cls

    return wrap


#: ``attrs.Factory`` is a class at run time; its stubs type it as a function (so that
#: ``x: list[int] = Factory(list)`` type-checks), hence the cast for ``isinstance``.
_FACTORY = cast("type[Any]", attrs.Factory)


def _non_api_default(
    cls: type[Any], field: attrs.Attribute[Any]
) -> tuple[str, Any, Callable[[Any], Any] | None]:
    """How ``from_api`` fills a field that is not an API member: its default."""
    default: Any = field.default
    if default is attrs.NOTHING:
        raise InvalidArgumentTypeError(
            f"{cls.__name__}.{field.name} is not an API member, so it needs a default "
            "(from_api cannot fill it)"
        )
    if isinstance(default, _FACTORY):
        make: Callable[..., Any] = default.factory
        if default.takes_self:
            return field.name, None, make
        return field.name, None, lambda _obj: make()
    return field.name, default, None


def _compact_repr(self: ApiModel) -> str:
    """Show only the members that are set: a Finding has 20+, most of them absent."""
    parts = [
        f"{spec.attr}={value!r}"
        for spec in self.__api_fields__
        if (value := getattr(self, spec.attr)) is not None
    ]
    for name, default, factory in self.__api_defaults__:  # non-API fields: when not default
        value = getattr(self, name)
        if value != (default if factory is None else factory(self)):
            parts.append(f"{name}={value!r}")
    if self.extra:
        parts.append(f"extra={dict(self.extra)!r}")
    return f"{type(self).__name__}({', '.join(parts)})"


_SAFETY_NET = (TypeError, ValueError, KeyError, AttributeError, OverflowError, RecursionError)


def _lenient_struct(cls: type[M], data: Any, problems: list[FindingParseError], *, deep: bool) -> M:
    """Decode ``data`` as ``ApiModel.from_api_lenient`` documents, adding to ``problems``.

    Raises FindingParseError when the record cannot be kept at all (not an object, or an
    essential member missing or bad). Off the hot path: only called after ``from_api``
    failed on this payload.
    """
    if not isinstance(data, Mapping):
        raise FindingParseError(f"expected an object, got {_type_name(data)}", data)
    obj = object.__new__(cls)
    essential = cls.__api_essential__
    deep = deep and not cls.__api_shallow__
    kept_raw: dict[str, Any] = {}
    for spec, (api, required, _decode, setter) in zip(
        cls.__api_fields__, cls.__api_plan__, strict=True
    ):
        raw = data.get(api, MISSING)
        if raw is MISSING or raw is None:
            if required:
                what = "missing" if raw is MISSING else "null"
                error = FindingParseError(f"required member is {what}", raw, api)
                if api in essential:
                    raise error
                problems.append(error)
            setter(obj, None)
            continue
        try:
            setter(obj, spec.codec.decode(raw))
            continue
        except FindingParseError as exc:
            exc._prepend(api)
            failure = exc
        except _SAFETY_NET as exc:
            failure = FindingParseError(f"{type(exc).__name__}: {exc}", raw, api)
        value, nested, lossless = _salvage(spec.codec, raw, deep=deep)
        setter(obj, value)
        if value is None:
            if api in essential:
                raise failure
            problems.append(failure)
        else:
            for problem in nested:
                problem._prepend(api)
            problems.extend(nested)
        if not lossless:
            kept_raw[api] = raw
    known = cls.__api_names__
    extra: dict[str, Any] = {}
    for key, value in (*((k, v) for k, v in data.items() if k not in known), *kept_raw.items()):
        try:
            extra[key] = freeze(value)
        except ValueError as exc:
            problems.append(FindingParseError(f"{exc}; dropped", value, str(key)))
    cls.__api_extra_setter__(obj, FrozenMap(extra) if extra else EMPTY)
    if cls.__api_defaults__:
        for name, default, factory in cls.__api_defaults__:
            object.__setattr__(obj, name, default if factory is None else factory(obj))
    return obj


def _salvage(
    codec: Codec[Any], raw: Any, *, deep: bool
) -> tuple[Any, list[FindingParseError], bool]:
    """What can be kept of a member that failed to decode: ``(value, problems, lossless)``.

    ``value`` is ``None`` when nothing can be kept; ``lossless`` is False when the kept
    value does not give ``raw`` back (the caller then keeps ``raw`` in ``extra``).
    """
    problems: list[FindingParseError] = []
    if deep and isinstance(codec, ModelCodec):
        try:
            return _lenient_struct(codec.model, raw, problems, deep=True), problems, True
        except FindingParseError:
            return None, [], False
    if (
        deep
        and isinstance(codec, ListCodec)
        and isinstance(codec.item, ModelCodec)
        and isinstance(raw, (list, tuple))
    ):
        model = codec.item.model
        kept: list[Any] = []
        for index, item in enumerate(raw):
            item_problems: list[FindingParseError] = []
            try:
                kept.append(_lenient_struct(model, item, item_problems, deep=True))
            except FindingParseError as exc:
                exc.reason = f"{exc.reason}; item left out"
                item_problems = [exc]
            for problem in item_problems:
                problem._prepend(f"[{index}]")
            problems.extend(item_problems)
        if len(kept) < codec.min_items:
            return None, [], False
        return tuple(kept), problems, len(kept) == len(raw)
    return None, [], False


def _decode_struct(cls: type[M], data: Any) -> M:
    """``cls.from_api(data)``: through the decoder compiled for ``cls`` (see ``_compile``)."""
    decode = _DECODERS.get(cls)
    if decode is None:
        decode = _compile(cls)
    return cast("M", decode(data))


def _decode_struct_generic(cls: type[M], data: Any) -> M:
    """The generic decoder, walking ``__api_plan__``: the reference the compiled ones match.

    Kept for members of unusual shape and for tests, which compare both paths.
    """
    if type(data) is not dict and not isinstance(data, Mapping):
        raise FindingParseError(f"expected an object, got {_type_name(data)}", data)
    obj = object.__new__(cls)
    get = data.get
    seen = 0
    for api, required, decode, setter in cls.__api_plan__:
        raw = get(api, MISSING)
        if raw is MISSING or raw is None:
            if raw is None:
                seen += 1
            if required:
                what = "missing" if raw is MISSING else "null"
                raise FindingParseError(f"required member is {what}", raw, api)
            setter(obj, None)
            continue
        seen += 1
        if decode is None:
            if type(raw) is str:
                setter(obj, raw)
                continue
            decode = STRING.decode  # str subclasses, and the error for anything else
        try:
            setter(obj, decode(raw))
        except FindingParseError as exc:
            exc._prepend(api)
            raise
        except _SAFETY_NET as exc:  # a codec bug must still name the field
            raise FindingParseError(f"{type(exc).__name__}: {exc}", raw, api) from exc
    if seen == len(data):
        cls.__api_extra_setter__(obj, EMPTY)
    else:
        known = cls.__api_names__
        extra: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                try:
                    extra[key] = freeze(value)
                except ValueError as exc:
                    raise FindingParseError(str(exc), value, str(key)) from None
        cls.__api_extra_setter__(obj, FrozenMap(extra))
    if cls.__api_defaults__:  # attributes that are not API members (rare; Finding has none)
        for name, value, factory in cls.__api_defaults__:
            object.__setattr__(obj, name, value if factory is None else factory(obj))
    return obj


# --------------------------------------------------------------------------- compiled decoders
#
# Decoding is on the hot path of every fetch and load (a finding holds about 12 structures
# and 5 timestamps). ``_compile`` writes, once per model class, a function specialised to
# its members: member names, setters and codecs are bound as constants, plain strings,
# enums, timestamps, nested structures and lists of them are decoded inline, and anything
# unusual (a str subclass, a model instance, a bad value) goes to the codec's own
# ``decode``, which gives the value or the error of the generic path. Errors name the path
# the same way: each member's decode is wrapped as in ``_decode_struct_generic``.
#
# Memory: strings of members that repeat across records (ids, regions, titles, package
# names, URLs, tags) are interned with ``sys.intern`` (CPython frees interned strings no
# longer used), so 20,000 findings over a few hundred resources and CVEs keep one copy of
# each; members marked ``intern=False`` (a finding's ARN) are kept as read.

_intern = sys.intern
_DECODERS: dict[type[Any], Callable[[Any], Any]] = {}
_COMPILING: set[type[Any]] = set()


def _required_error(data: Mapping[str, Any], api: str) -> FindingParseError:
    raw = data.get(api, MISSING)
    what = "missing" if raw is MISSING else "null"
    return FindingParseError(f"required member is {what}", raw, api)


def _extra_members(known: frozenset[str], data: Mapping[str, Any]) -> FrozenMap:
    extra: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            try:
                extra[key] = freeze(value)
            except ValueError as exc:
                raise FindingParseError(str(exc), value, str(key)) from None
    return FrozenMap._wrap(extra) if extra else EMPTY


def _fill_defaults(
    obj: Any, defaults: tuple[tuple[str, Any, Callable[[Any], Any] | None], ...]
) -> None:
    for name, value, factory in defaults:
        object.__setattr__(obj, name, value if factory is None else factory(obj))


def _nested(model: type[Any]) -> Callable[[Any], Any]:
    """The compiled decoder of ``model``; a late-bound one while ``model`` is being compiled."""
    decode = _DECODERS.get(model)
    if decode is not None:
        return decode
    if model in _COMPILING:  # a recursive shape: look the decoder up when called
        return lambda data: _decode_struct(model, data)
    return _compile(model)


def _member_source(i: int, spec: FieldSpec, ns: dict[str, Any]) -> list[str]:
    """Source lines that set ``v`` to the decoded value of ``raw`` (a member, not None)."""
    codec = spec.codec
    kind = type(codec)
    ns[f"d{i}"] = codec.decode
    intern = spec.intern
    if kind is _StringCodec:
        if intern:
            return [f"v = _intern(raw) if type(raw) is str else d{i}(raw)"]
        return [f"v = raw if type(raw) is str else d{i}(raw)"]
    if kind is EnumCodec:
        ns[f"l{i}"] = cast("EnumCodec[Any]", codec)._lookup
        # A member is truthy or decodes to itself again: ``or`` never changes the answer.
        return [f"v = (l{i}.get(raw) if type(raw) is str else None) or d{i}(raw)"]
    if kind is _TimestampCodec:
        return [f"v = (_fast_iso(raw) if type(raw) is str else None) or d{i}(raw)"]
    if kind is _IntegerCodec:
        return [f"v = raw if type(raw) is int else d{i}(raw)"]
    if kind is _BooleanCodec:
        return [f"v = raw if raw is True or raw is False else d{i}(raw)"]
    if kind is ModelCodec:
        ns[f"n{i}"] = _nested(cast("ModelCodec[Any]", codec).model)
        return [f"v = n{i}(raw) if type(raw) is dict else d{i}(raw)"]
    if kind is ListCodec:
        item = cast("ListCodec[Any]", codec).item
        least = cast("ListCodec[Any]", codec).min_items
        if type(item) is ModelCodec:
            ns[f"n{i}"] = _nested(item.model)
            return [
                f"if type(raw) is list and len(raw) >= {least}:",
                "    try:",
                f"        v = tuple([n{i}(x) for x in raw])",
                "    except Exception:",  # the codec names the item (or keeps instances)
                f"        v = d{i}(raw)",
                "else:",
                f"    v = d{i}(raw)",
            ]
        if type(item) is _StringCodec and not least and intern:
            return [
                "if type(raw) is list:",
                "    try:",
                "        v = tuple(map(_intern, raw))",
                "    except TypeError:",  # not a string, or a str subclass
                f"        v = d{i}(raw)",
                "else:",
                f"    v = d{i}(raw)",
            ]
    return [f"v = d{i}(raw)"]


def _decoder_source(cls: type[Any], ns: dict[str, Any]) -> str:
    """The source of ``cls``'s decoder, with the constants it names bound in ``ns``."""
    ns.update(
        {
            "__builtins__": builtins,
            "cls": cls,
            "new": object.__new__,
            "Mapping": Mapping,
            "FindingParseError": FindingParseError,
            "_SAFETY_NET": _SAFETY_NET,
            "_type_name": _type_name,
            "_required_error": _required_error,
            "_extra_members": _extra_members,
            "_fill_defaults": _fill_defaults,
            "_intern": _intern,
            "_fast_iso": _fast_iso,
            "EMPTY": EMPTY,
            "known": cls.__api_names__,
            "defaults": cls.__api_defaults__,
            "set_extra": cls.__api_extra_setter__,
        }
    )
    lines = [
        "def decode(data):",
        "    if type(data) is not dict and not isinstance(data, Mapping):",
        '        raise FindingParseError(f"expected an object, got {_type_name(data)}", data)',
        "    obj = new(cls)",
        "    get = data.get",
        "    seen = 0",
    ]
    for i, (spec, (api, required, _decode, setter)) in enumerate(
        zip(cls.__api_fields__, cls.__api_plan__, strict=True)
    ):
        ns[f"a{i}"] = api
        ns[f"s{i}"] = setter
        lines += [
            f"    raw = get(a{i})",
            "    if raw is None:",
            f"        raise _required_error(data, a{i})"
            if required
            else f"        s{i}(obj, None)",
            "    else:",
            "        seen += 1",
            "        try:",
            *(f"            {line}" for line in _member_source(i, spec, ns)),
            "        except FindingParseError as exc:",
            f"            exc._prepend(a{i})",
            "            raise",
            "        except _SAFETY_NET as exc:",
            "            raise FindingParseError("
            f'f"{{type(exc).__name__}}: {{exc}}", raw, a{i}) from exc',
            f"        s{i}(obj, v)",
        ]
    lines += [
        "    set_extra(obj, EMPTY if seen == len(data) else _extra_members(known, data))",
    ]
    if cls.__api_defaults__:
        lines.append("    _fill_defaults(obj, defaults)")
    lines.append("    return obj")
    return "\n".join(lines) + "\n"


def decoder_key(cls: type[Any]) -> str:
    """The name of ``cls``'s decoder in the pre-built module (``module.qualname``)."""
    return f"{cls.__module__}.{cls.__qualname__}"


_PREBUILT: Any = None  # the module, False where it is not used, None before the first look


def _load_prebuilt() -> Any:
    """``models._decoders`` where its bytecode is cached, else ``False``.

    Without a ``.pyc`` (a checkout under ``PYTHONDONTWRITEBYTECODE``, a package zipped
    without them) importing the module would compile every decoder of every model, about 4x
    what compiling the few a handler needs costs: then the decoders are compiled on demand.
    """
    import importlib.util
    import os

    source = os.path.join(os.path.dirname(__file__), "_decoders.py")
    try:
        cached = importlib.util.cache_from_source(source)
    except NotImplementedError:  # pragma: no cover - no bytecode cache in this interpreter
        return False
    if not os.path.exists(cached):
        return False
    try:
        from inspector_kit.models import _decoders
    except ImportError:  # pragma: no cover - a build without the generated module
        return False
    return _decoders


def _prebuilt_code(key: str, source: str) -> CodeType | None:
    """The pre-built code of a decoder whose source is exactly ``source``, else ``None``.

    ``models/_decoders.py`` (written by ``scripts/make_decoders.py``, checked by ``make
    test``) holds every model's decoder as compiled Python, so a cold start loads their
    code from the ``.pyc`` instead of compiling it (issue 19). It is used only where its
    text equals what ``_decoder_source`` writes now; anything else is compiled as before.
    """
    global _PREBUILT
    if _PREBUILT is None:
        _PREBUILT = _load_prebuilt()
    if _PREBUILT is False:
        return None
    _decoders = _PREBUILT
    if _decoders.SOURCES.get(key) != source:
        return None
    return cast("CodeType", _decoders.FUNCTIONS[key].__code__)


def _compile(cls: type[M]) -> Callable[[Any], M]:
    """Write and cache the decoder specialised to ``cls`` (see the notes above)."""
    _COMPILING.add(cls)
    try:
        ns: dict[str, Any] = {}
        source = _decoder_source(cls, ns)
        code = _prebuilt_code(decoder_key(cls), source)
        if code is not None:
            decode: Callable[[Any], M] = FunctionType(code, ns, "decode")
        else:
            compiled = compile(source, f"<{cls.__qualname__} decoder>", "exec")
            exec(compiled, ns)  # the source is written above from the class's own field specs
            decode = ns["decode"]
    finally:
        _COMPILING.discard(cls)
    _DECODERS[cls] = decode
    return decode
