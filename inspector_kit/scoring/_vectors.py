"""CVSS vectors: parse, validate, canonicalise, score and modify them, exactly and fast.

[`parse_vector`][inspector_kit.scoring.parse_vector] reads every vector form Inspector hands out
(``CvssScore.scoringVector`` with its ``version``): bare CVSS v2 (``AV:N/AC:M/Au:N/C:P/I:P/A:P``,
optionally in parentheses), ``CVSS:3.0/...``, ``CVSS:3.1/...`` and ``CVSS:4.0/...``. The result is a
frozen [`CvssVector`][inspector_kit.scoring.CvssVector] with its scores already computed.

Rules, in short:

- Strict grammar, as in the specifications: metric names and values are case-sensitive,
  every base metric is required, a metric appears at most once, no empty component or
  stray ``/``. Only leading and trailing whitespace is forgiven. Metrics may come in any
  order; the canonical form (``str(vector)``) puts them in specification order and drops
  the metrics whose value is Not Defined (``X``; ``ND`` in v2).
- A ``version`` argument wins over what the vector looks like: a bare v3 vector needs one
  (``version="3.1"``), and a ``CVSS:3.0/`` vector read with ``version="3.1"`` *is* a v3.1
  vector (scored, and printed, as ``CVSS:3.1/``): Inspector's ``version`` field says how
  the score was computed. A version that contradicts the vector (v2 metrics with
  ``version="3.1"``, a ``CVSS:4.0/`` vector with ``version="3.1"``) is an error.
- Without a ``version``, a bare vector is read as CVSS v2 (v3 and v4 vectors always carry
  their prefix).
- Every problem with the input is an
  [`InvalidVectorError`][inspector_kit.scoring.InvalidVectorError] (a ``ValueError``); nothing else
  escapes, whatever the string.

Scores are exact (see ``_formulas``): v3.1 with the specification's ``Roundup``, v3.0
with its plain round-up, v2 with its round-half-up, all in exact decimal arithmetic; v4.0
through the ``cvss`` package.

Speed: results are cached twice, by the exact input string (and version), so parsing a
string seen before is one dictionary look-up, and by canonical vector, so spellings of the
same vector share one object and one computation.
[`CvssVector.with_metrics`][inspector_kit.scoring.CvssVector.with_metrics] is cached by (vector,
changes). All caches are LRU-bounded (``CACHE_SIZE`` entries each; inputs longer than 512
characters are never cached raw), so adversarial input cannot grow memory without limit.

Examples:
    >>> v = parse_vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
    >>> v.base_score, v.severity
    (9.8, 'CRITICAL')
    >>> v.with_metrics(MAV="A").score
    8.8
"""

from __future__ import annotations

import functools
import math
import operator
import reprlib
from decimal import Decimal
from numbers import Real
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Literal, NoReturn, cast, final

from inspector_kit._deprecated import keyword_only
from inspector_kit.errors import (
    InvalidArgumentError,
    InvalidArgumentTypeError,
    InvalidVectorError,
)
from inspector_kit.errors import (  # unpickles errors pickled before the class moved
    _rebuild_invalid_vector_error as _rebuild_error,  # noqa: F401
)
from inspector_kit.models._enums import Severity

from ._formulas import score_v2, score_v3, score_v4
from ._metrics import SPECS, VERSION_ALIASES, VersionSpec

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "CACHE_SIZE",
    "CvssRating",
    "CvssVector",
    "InvalidVectorError",
    "parse_vector",
    "severity_for_score",
]

CACHE_SIZE: Final = 65536
"""Entries kept by each of the three LRU caches (raw input, canonical vector, modification)."""

_MAX_CACHED_INPUT: Final = 512  # longer than any valid vector, whitespace aside

CvssRating = Literal["NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL"]
"""A CVSS qualitative severity rating, as ``CvssVector.severity`` gives it."""

_Token = tuple[int, str, "tuple[str, str] | None"]
_rank: Final = operator.itemgetter(0)
_PREFIXES: Final = {"CVSS:3.0": "3.0", "CVSS:3.1": "3.1", "CVSS:4.0": "4.0"}
_NOT_V2: Final = frozenset(SPECS["3.1"].values) | frozenset(SPECS["4.0"].values)


# --------------------------------------------------------------------------------------
# The error
# --------------------------------------------------------------------------------------


_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 40


def _value_repr(value: object) -> str:
    try:
        return _REPR.repr(value)
    except Exception:  # a hostile __repr__ must not turn a bad value into another error
        return f"<{type(value).__name__}>"


def _fail(vector: str, reason: str, metric: str | None = None) -> NoReturn:
    raise InvalidVectorError(vector, reason, metric=metric)


# --------------------------------------------------------------------------------------
# The vector
# --------------------------------------------------------------------------------------


def _cvss_rating(score: float) -> CvssRating:
    # CVSS v3.x/v4.0 qualitative severity rating scale (v3.1 spec section 5)
    if score == 0.0:
        return "NONE"
    if score < 4.0:
        return "LOW"
    if score < 7.0:
        return "MEDIUM"
    if score < 9.0:
        return "HIGH"
    return "CRITICAL"


def _nvd_v2_rating(score: float) -> CvssRating:
    # CVSS v2 has no rating scale of its own; NVD's: 0.0-3.9 LOW, 4.0-6.9 MEDIUM,
    # 7.0-10.0 HIGH (https://nvd.nist.gov/vuln-metrics/cvss).
    if score < 4.0:
        return "LOW"
    if score < 7.0:
        return "MEDIUM"
    return "HIGH"


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@final
class CvssVector:
    """A parsed, validated CVSS vector with its scores: frozen, hashable, cached.

    Build one with [`parse_vector`][inspector_kit.scoring.parse_vector] (or ``CvssVector(vector,
    version)``, which is the same call and returns the same cached object). Two vectors are equal
    when their canonical forms are: same version, same defined metrics.

    Attributes:
        version: ``"2.0"``, ``"3.0"``, ``"3.1"`` or ``"4.0"``.
        metrics: Metric -> value, in the specification's order, without Not Defined
            (``X``/``ND``) values; read-only.
        base_score: The base score. For CVSS v4.0 this is *the* score: v4.0 has one
            score (CVSS-B, -BT, -BE or -BTE, depending on which metrics are defined),
            and it is kept here.
        temporal_score: The temporal score, or ``None`` when no temporal metric is
            defined (the group does not apply). Always ``None`` for v4.0.
        environmental_score: The environmental score, or ``None`` when no environmental
            metric is defined. Always ``None`` for v4.0.
        score: The most specific score: environmental, else temporal, else base.
        severity: The qualitative rating of [`score`][inspector_kit.scoring.CvssVector]: ``"NONE"``
            (0.0), ``"LOW"`` (0.1-3.9), ``"MEDIUM"`` (4.0-6.9), ``"HIGH"`` (7.0-8.9), ``"CRITICAL"``
            (9.0-10.0). CVSS v2 defines no rating; v2 vectors use NVD's v2 bands:
            ``"LOW"`` (0.0-3.9), ``"MEDIUM"`` (4.0-6.9), ``"HIGH"`` (7.0-10.0).

    Examples:
        >>> v = parse_vector("CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:X/RL:O")
        >>> v
        CvssVector('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/RL:O')
        >>> v.base_score, v.temporal_score, v.environmental_score, v.score, v.severity
        (9.8, 9.4, None, 9.4, 'CRITICAL')
        >>> dict(v.metrics)["RL"]
        'O'
        >>> v == parse_vector(str(v)) and v is CvssVector(str(v))
        True
        >>> parse_vector("AV:N/AC:M/Au:N/C:P/I:P/A:P").severity  # v2: NVD bands
        'MEDIUM'
    """

    __slots__ = (
        "_canonical",
        "_hash",
        "base_score",
        "environmental_score",
        "metrics",
        "score",
        "severity",
        "temporal_score",
        "version",
    )

    version: str
    metrics: Mapping[str, str]
    base_score: float
    temporal_score: float | None
    environmental_score: float | None
    score: float
    severity: CvssRating
    _canonical: str
    _hash: int

    @keyword_only("version", positional=2)
    def __new__(cls, vector: str, *, version: str | None = None) -> CvssVector:
        """The same as ``parse_vector`` (it returns the cached vector)."""
        return parse_vector(vector, version=version)

    @classmethod
    def _build(cls, spec: VersionSpec, items: tuple[tuple[str, str], ...]) -> CvssVector:
        """Score a validated canonical metric list (uncached; see ``_canonical_vector``)."""
        metrics = dict(items)
        canonical = spec.prefix + "/".join(f"{k}:{v}" for k, v in items)
        version = spec.version
        temporal: float | None
        environmental: float | None
        if version == "4.0":
            try:
                base = score_v4(canonical)
            except Exception as exc:  # pragma: no cover - a bug in cvss; the tests look for one
                raise InvalidVectorError(canonical, f"cvss could not score it: {exc!r}") from exc
            temporal = environmental = None
        else:
            if version == "2.0":
                exact = score_v2(metrics)
            else:
                exact = score_v3(metrics, 1 if version == "3.1" else 0)
            base = float(exact[0])
            temporal, environmental = _float(exact[1]), _float(exact[2])
        score = (
            environmental
            if environmental is not None
            else temporal
            if temporal is not None
            else base
        )
        self = object.__new__(cls)
        setter = object.__setattr__
        setter(self, "version", version)
        setter(self, "metrics", MappingProxyType(metrics))
        setter(self, "base_score", base)
        setter(self, "temporal_score", temporal)
        setter(self, "environmental_score", environmental)
        setter(self, "score", score)
        setter(self, "severity", (_nvd_v2_rating if version == "2.0" else _cvss_rating)(score))
        setter(self, "_canonical", canonical)
        setter(self, "_hash", hash(canonical))
        return self

    def with_metrics(self, **changes: str | None) -> CvssVector:
        """A copy with metrics added, changed or cleared (this vector is not modified).

        A value of ``None`` or ``"X"`` (also ``"ND"`` for v2) clears the metric, i.e.
        makes it Not Defined. The version stays the same. Results are cached by
        (vector, changes).

        Args:
            **changes: Metric abbreviation (as in the vector: ``AV``, ``MAV``, ``Au``)
                -> new value, or ``None``/``"X"`` to clear it.

        Returns:
            The modified vector (this one when nothing changes).

        Raises:
            InvalidVectorError: An unknown metric, a bad value, or clearing a mandatory
                base metric.

        Examples:
            >>> v = parse_vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
            >>> adjusted = v.with_metrics(MAV="A", E="P")
            >>> str(adjusted), adjusted.score
            ('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/MAV:A', 8.3)
            >>> adjusted.with_metrics(MAV=None, E="X") == v
            True
            >>> v.with_metrics(AV=None)
            Traceback (most recent call last):
            ...
            inspector_kit...InvalidVectorError: CVSS:3.1/...: cannot clear mandatory base metric AV
        """
        if not changes:
            return self
        key = tuple(changes.items())
        for _, value in key:
            if value is not None and type(value) is not str:
                return _apply_changes(self, key)  # not cacheable (and maybe not hashable)
        return _cached_changes(self, key)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"CvssVector is immutable; use with_metrics() (set {name!r})")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"CvssVector is immutable (delete {name!r})")

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if isinstance(other, CvssVector):
            return self._canonical == other._canonical
        return NotImplemented

    def __hash__(self) -> int:
        return self._hash

    def __str__(self) -> str:
        return self._canonical

    def __repr__(self) -> str:
        return f"CvssVector({self._canonical!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # The canonical form re-parses to an equal vector (v2's bare form is read as v2).
        return (parse_vector, (self._canonical,))

    def __copy__(self) -> CvssVector:
        return self

    def __deepcopy__(self, memo: object) -> CvssVector:
        return self


# --------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=CACHE_SIZE)
def _canonical_vector(version: str, items: tuple[tuple[str, str], ...]) -> CvssVector:
    return CvssVector._build(SPECS[version], items)


def _canonical_items(spec: VersionSpec, metrics: dict[str, str]) -> tuple[tuple[str, str], ...]:
    nd = spec.not_defined
    return tuple([(k, metrics[k]) for k in spec.order if k in metrics and metrics[k] != nd])


def _values_hint(allowed: tuple[str, ...]) -> str:
    return ", ".join(allowed)


def _parse_text(raw: str, version: str | None) -> CvssVector:
    """Parse an exact ``str`` (uncached)."""
    declared: str | None = None
    if version is not None:
        declared = VERSION_ALIASES.get(version)
        if declared is None:
            _fail(raw, f"unknown CVSS version {_value_repr(version)} (one of 2.0, 3.0, 3.1, 4.0)")
    text = raw.strip()
    if not text:
        _fail(raw, "empty vector")

    if text[:5].upper() == "CVSS:":
        head, _, body = text.partition("/")
        found = _PREFIXES.get(head)
        if found is None:
            _fail(raw, f"unknown prefix {_value_repr(head)} (one of CVSS:3.0, CVSS:3.1, CVSS:4.0)")
        if not body:
            _fail(raw, f"no metrics after the prefix {head}")
        if declared is None:
            effective = found
        elif declared[0] == found[0]:
            effective = declared  # same major version: the declared version wins
        else:
            _fail(raw, f"prefix {head} contradicts version {version}")
    else:
        body = text
        effective = declared or "2.0"
        if text[0] == "(" or text[-1] == ")":
            if not (len(text) > 1 and text[0] == "(" and text[-1] == ")"):
                _fail(raw, "unbalanced parentheses")
            if effective != "2.0":
                _fail(raw, "parentheses are only allowed around a CVSS v2 vector")
            body = text[1:-1]
            if not body:
                _fail(raw, "empty vector")

    spec = SPECS[effective]
    lookup = spec.tokens.get
    components = body.split("/")
    looked_up = [lookup(component) for component in components]
    if None in looked_up:
        _reject(raw, spec, components, declared is None)
    # Sorted by rank only: a duplicated metric ties, and must not compare its values.
    ranked = sorted(cast("list[_Token]", looked_up), key=_rank)
    # Each metric has its own rank, and the mandatory metrics are ranks 0..n-1: so a
    # vector is complete and duplicate-free when its ranks are unique and the n-th
    # smallest is n-1.
    n = len(spec.mandatory)
    if (
        len(ranked) < n
        or ranked[n - 1][0] != n - 1
        or len({token[0] for token in ranked}) != len(ranked)
    ):
        _reject(raw, spec, components, declared is None)
    items = tuple([token[2] for token in ranked if token[2] is not None])
    return _canonical_vector(effective, items)


def _reject(raw: str, spec: VersionSpec, components: list[str], sniffed: bool) -> NoReturn:
    """Say what is wrong with components that are not a valid vector (the slow path)."""
    found: set[str] = set()
    for component in components:
        token = spec.tokens.get(component)
        if token is None:
            _reject_component(raw, spec, component, sniffed)
        name = token[1]
        if name in found:
            _fail(raw, f"duplicate metric {name}", name)
        found.add(name)
    missing = [k for k in spec.mandatory if k not in found]
    noun = "metric" if len(missing) == 1 else "metrics"
    _fail(raw, f"missing mandatory base {noun} {', '.join(missing)}", missing[0])


def _reject_component(raw: str, spec: VersionSpec, component: str, sniffed: bool) -> NoReturn:
    """Say what is wrong with a component that is not a valid ``METRIC:VALUE``."""
    if not component:
        _fail(raw, "empty component (a stray '/')")
    name, sep, value = component.partition(":")
    if not sep:
        _fail(raw, f"component {_value_repr(component)} is not METRIC:VALUE")
    allowed = spec.values.get(name)
    if allowed is None:
        if not name:
            _fail(raw, f"component {_value_repr(component)} has no metric name")
        reason = f"unknown metric {_value_repr(name)} for CVSS v{spec.version}"
        if sniffed and spec.version == "2.0" and name in _NOT_V2:
            reason += (
                " (a vector without a 'CVSS:x.y/' prefix is read as v2; "
                "pass version= for a bare v3 or v4 vector)"
            )
        _fail(raw, reason, name)
    if ":" in value:
        _fail(raw, f"component {_value_repr(component)} has more than one ':'", name)
    _fail(raw, f"bad value {_value_repr(value)} for {name} (one of {_values_hint(allowed)})", name)


_parse_cached: Final = functools.lru_cache(maxsize=CACHE_SIZE)(_parse_text)


@keyword_only("version", positional=1)
def parse_vector(vector: str, *, version: str | None = None) -> CvssVector:
    """Parse, validate and score a CVSS v2, v3.0, v3.1 or v4.0 vector.

    Args:
        vector: The vector string, e.g. Inspector's ``CvssScore.scoringVector``.
        version: The CVSS version it was scored with, as Inspector's
            ``CvssScore.version`` gives it (``"2.0"``/``"2"``, ``"3.0"``, ``"3.1"``,
            ``"4.0"``); it wins over the vector's prefix within a major version
            (a ``CVSS:3.0/`` vector with ``"3.1"`` is v3.1), and must agree with its
            metrics otherwise. ``None``: read the prefix; a bare vector is v2.

    Returns:
        The vector; parsing the same string again returns the same object.

    Raises:
        InvalidVectorError: Whatever is wrong with the input (and nothing else).

    Examples:
        >>> parse_vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H").score
        10.0
        >>> v = parse_vector("  AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H ", version="3.1")
        >>> str(v), v.version
        ('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', '3.1')
        >>> parse_vector("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", version="3.1").version
        '3.1'
        >>> parse_vector("(AV:N/AC:L/Au:N/C:C/I:C/A:C)").base_score
        10.0
        >>> parse_vector("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N").score
        9.3
        >>> parse_vector("AV:N/AC:L/Au:N/C:C/I:C/A:C", version="3.1")
        Traceback (most recent call last):
        ...
        inspector_kit...InvalidVectorError: AV:N/...: unknown metric 'Au' for CVSS v3.1
    """
    if (
        type(vector) is str
        and (version is None or type(version) is str)
        and len(vector) <= _MAX_CACHED_INPUT
    ):
        return _parse_cached(vector, version)
    return _parse_unusual(vector, version)


def _parse_unusual(vector: object, version: object) -> CvssVector:
    """The slow path: non-``str`` input, ``str`` subclasses, long strings."""
    if not isinstance(vector, str):
        _fail(_value_repr(vector), f"expected a str, got {type(vector).__name__}")
    text = str.__str__(vector)  # a plain str, whatever the subclass overrides
    if version is not None:
        if not isinstance(version, str):
            _fail(text, f"version must be a str or None, got {type(version).__name__}")
        version = str.__str__(version)
    if len(text) <= _MAX_CACHED_INPUT:
        return _parse_cached(text, version)
    return _parse_text(text, version)


# --------------------------------------------------------------------------------------
# Modification
# --------------------------------------------------------------------------------------


def _apply_changes(vector: CvssVector, changes: tuple[tuple[str, object], ...]) -> CvssVector:
    spec = SPECS[vector.version]
    shown = str(vector)
    metrics = dict(vector.metrics)
    for name, value in changes:
        allowed = spec.values.get(name)
        if allowed is None:
            _fail(shown, f"unknown metric {_value_repr(name)} for CVSS v{spec.version}", name)
        text = str.__str__(value) if isinstance(value, str) else None
        if value is None or text == "X" or text == spec.not_defined:
            if name in spec.mandatory:
                _fail(shown, f"cannot clear mandatory base metric {name}", name)
            metrics.pop(name, None)
        elif text is None or text not in allowed:
            _fail(
                shown,
                f"bad value {_value_repr(value)} for {name} (one of {_values_hint(allowed)})",
                name,
            )
        else:
            metrics[name] = text
    return _canonical_vector(spec.version, _canonical_items(spec, metrics))


_cached_changes: Final = functools.lru_cache(maxsize=CACHE_SIZE)(_apply_changes)


# --------------------------------------------------------------------------------------
# Inspector severity
# --------------------------------------------------------------------------------------


def _checked_score(score: object) -> float:
    if isinstance(score, bool) or not isinstance(score, (Real, Decimal)):
        raise InvalidArgumentTypeError(f"a score must be a real number, got {type(score).__name__}")
    try:
        value = float(score)
    except OverflowError:
        value = math.inf
    if math.isnan(value) or not 0.0 <= value <= 10.0:
        raise InvalidArgumentError(
            f"a score must be between 0.0 and 10.0, got {_value_repr(score)}"
        )
    return value


def severity_for_score(score: float) -> Severity:
    """Inspector's severity for a score: its package-finding bands.

    0.0 ``INFORMATIONAL``, 0.1-3.9 ``LOW``, 4.0-6.9 ``MEDIUM``, 7.0-8.9 ``HIGH``,
    9.0-10.0 ``CRITICAL``
    (https://docs.aws.amazon.com/inspector/latest/user/findings-understanding-severity.html).
    Scores between the published one-decimal bands go to the band below the next
    boundary (3.95 is ``LOW``; anything above 0 is at least ``LOW``).

    Args:
        score: A CVSS or Inspector score, 0.0 to 10.0 (``int``, ``float``, ``Decimal``,
            ``Fraction``, NumPy floats).

    Returns:
        The [`Severity`][inspector_kit.models.Severity] (never ``UNTRIAGED``).

    Raises:
        ValueError: The score is NaN or outside 0-10.
        TypeError: The score is not a real number (``bool`` and ``str`` included).

    Examples:
        >>> [severity_for_score(s).value for s in (0.0, 0.1, 3.9, 4.0, 6.9, 7.0, 8.9, 9.0, 10)]
        ['INFORMATIONAL', 'LOW', 'LOW', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH', 'CRITICAL', 'CRITICAL']
        >>> severity_for_score(parse_vector("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N").score)
        <Severity.MEDIUM: 'MEDIUM'>
    """
    value = _checked_score(score)
    if value == 0.0:
        return Severity.INFORMATIONAL
    if value < 4.0:
        return Severity.LOW
    if value < 7.0:
        return Severity.MEDIUM
    if value < 9.0:
        return Severity.HIGH
    return Severity.CRITICAL
