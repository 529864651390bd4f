"""The metric tables of each CVSS version: names, allowed values, canonical order.

Transcribed from the specifications (FIRST):

- v2: https://www.first.org/cvss/v2/guide (section 2, and the vector table of 2.4)
- v3.0: https://www.first.org/cvss/v3.0/specification-document (section 6, table 15)
- v3.1: https://www.first.org/cvss/v3.1/specification-document (section 6, table 15)
- v4.0: https://www.first.org/cvss/v4.0/specification-document (section 7, table 23)

The canonical order of a vector is the order of the specification's vector-string table;
the values of each metric are listed in the order of its metric table. Metric names and
values are case-sensitive, as in the specifications.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["SPECS", "VERSION_ALIASES", "VersionSpec"]


class VersionSpec:
    """The vector grammar of one CVSS version (internal).

    Attributes:
        version: ``"2.0"``, ``"3.0"``, ``"3.1"`` or ``"4.0"``.
        prefix: What a canonical vector starts with (``"CVSS:3.1/"``; ``""`` for v2).
        order: Every metric, in canonical order.
        values: Metric -> its allowed values, the not-defined value included.
        mandatory: The base metrics a vector must define: the first ones in ``order``.
        not_defined: The value meaning "Not Defined" (``"X"``; ``"ND"`` in v2).
        temporal: The metrics of the temporal group (empty for v4.0).
        environmental: The metrics of the environmental group (empty for v4.0).
        tokens: Every valid ``METRIC:VALUE`` component -> (position of the metric in
            ``order``, metric, ``(metric, value)`` or ``None`` for a Not Defined value):
            a valid component is parsed by one look-up.
    """

    __slots__ = (
        "environmental",
        "mandatory",
        "not_defined",
        "order",
        "prefix",
        "temporal",
        "tokens",
        "values",
        "version",
    )

    def __init__(
        self,
        version: str,
        values: dict[str, tuple[str, ...]],
        *,
        mandatory: tuple[str, ...],
        not_defined: str,
        temporal: tuple[str, ...] = (),
        environmental: tuple[str, ...] = (),
    ) -> None:
        self.version = version
        self.prefix = "" if version == "2.0" else f"CVSS:{version}/"
        self.order: tuple[str, ...] = tuple(values)
        self.values: Mapping[str, tuple[str, ...]] = MappingProxyType(values)
        self.mandatory = mandatory
        self.not_defined = not_defined
        self.temporal = frozenset(temporal)
        self.environmental = frozenset(environmental)
        # A plain dict: it is read once per component, on the hot path (never mutated).
        self.tokens: Mapping[str, tuple[int, str, tuple[str, str] | None]] = {
            f"{metric}:{value}": (rank, metric, None if value == not_defined else (metric, value))
            for rank, (metric, allowed) in enumerate(values.items())
            for value in allowed
        }
        if self.order[: len(mandatory)] != mandatory:  # the parser relies on this
            raise AssertionError(f"v{version}: base metrics must come first")


_CIA3 = ("H", "L", "N")
_REQ3 = ("X", "H", "M", "L")

_V3_VALUES: Final = {
    # Base (3.1 spec section 2, tables 1-8)
    "AV": ("N", "A", "L", "P"),
    "AC": ("L", "H"),
    "PR": ("N", "L", "H"),
    "UI": ("N", "R"),
    "S": ("U", "C"),
    "C": _CIA3,
    "I": _CIA3,
    "A": _CIA3,
    # Temporal (section 3, tables 9-11)
    "E": ("X", "H", "F", "P", "U"),
    "RL": ("X", "U", "W", "T", "O"),
    "RC": ("X", "C", "R", "U"),
    # Environmental (section 4, tables 12-13)
    "CR": _REQ3,
    "IR": _REQ3,
    "AR": _REQ3,
    "MAV": ("X", "N", "A", "L", "P"),
    "MAC": ("X", "L", "H"),
    "MPR": ("X", "N", "L", "H"),
    "MUI": ("X", "N", "R"),
    "MS": ("X", "U", "C"),
    "MC": ("X", *_CIA3),
    "MI": ("X", *_CIA3),
    "MA": ("X", *_CIA3),
}
_V3_MANDATORY: Final = ("AV", "AC", "PR", "UI", "S", "C", "I", "A")
_V3_TEMPORAL: Final = ("E", "RL", "RC")
_V3_ENVIRONMENTAL: Final = ("CR", "IR", "AR", "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA")

_CIA2 = ("N", "P", "C")
_REQ2 = ("L", "M", "H", "ND")

_V2_VALUES: Final = {
    # Base (v2 guide section 2.1)
    "AV": ("L", "A", "N"),
    "AC": ("H", "M", "L"),
    "Au": ("M", "S", "N"),
    "C": _CIA2,
    "I": _CIA2,
    "A": _CIA2,
    # Temporal (section 2.2)
    "E": ("U", "POC", "F", "H", "ND"),
    "RL": ("OF", "TF", "W", "U", "ND"),
    "RC": ("UC", "UR", "C", "ND"),
    # Environmental (section 2.3)
    "CDP": ("N", "L", "LM", "MH", "H", "ND"),
    "TD": ("N", "L", "M", "H", "ND"),
    "CR": _REQ2,
    "IR": _REQ2,
    "AR": _REQ2,
}

_CIA4 = ("H", "L", "N")
_REQ4 = ("X", "H", "M", "L")

_V4_VALUES: Final = {
    # Base (4.0 spec section 2)
    "AV": ("N", "A", "L", "P"),
    "AC": ("L", "H"),
    "AT": ("N", "P"),
    "PR": ("N", "L", "H"),
    "UI": ("N", "P", "A"),
    "VC": _CIA4,
    "VI": _CIA4,
    "VA": _CIA4,
    "SC": _CIA4,
    "SI": _CIA4,
    "SA": _CIA4,
    # Threat (section 3)
    "E": ("X", "A", "P", "U"),
    # Environmental (section 4)
    "CR": _REQ4,
    "IR": _REQ4,
    "AR": _REQ4,
    "MAV": ("X", "N", "A", "L", "P"),
    "MAC": ("X", "L", "H"),
    "MAT": ("X", "N", "P"),
    "MPR": ("X", "N", "L", "H"),
    "MUI": ("X", "N", "P", "A"),
    "MVC": ("X", *_CIA4),
    "MVI": ("X", *_CIA4),
    "MVA": ("X", *_CIA4),
    "MSC": ("X", *_CIA4),
    "MSI": ("X", "S", *_CIA4),
    "MSA": ("X", "S", *_CIA4),
    # Supplemental (section 5)
    "S": ("X", "N", "P"),
    "AU": ("X", "N", "Y"),
    "R": ("X", "A", "U", "I"),
    "V": ("X", "D", "C"),
    "RE": ("X", "L", "M", "H"),
    "U": ("X", "Clear", "Green", "Amber", "Red"),
}

SPECS: Final[Mapping[str, VersionSpec]] = MappingProxyType(
    {
        "2.0": VersionSpec(
            "2.0",
            _V2_VALUES,
            mandatory=("AV", "AC", "Au", "C", "I", "A"),
            not_defined="ND",
            temporal=("E", "RL", "RC"),
            environmental=("CDP", "TD", "CR", "IR", "AR"),
        ),
        "3.0": VersionSpec(
            "3.0",
            _V3_VALUES,
            mandatory=_V3_MANDATORY,
            not_defined="X",
            temporal=_V3_TEMPORAL,
            environmental=_V3_ENVIRONMENTAL,
        ),
        "3.1": VersionSpec(
            "3.1",
            _V3_VALUES,
            mandatory=_V3_MANDATORY,
            not_defined="X",
            temporal=_V3_TEMPORAL,
            environmental=_V3_ENVIRONMENTAL,
        ),
        "4.0": VersionSpec(
            "4.0",
            _V4_VALUES,
            mandatory=("AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA"),
            not_defined="X",
        ),
    }
)
"""Version -> its grammar."""

VERSION_ALIASES: Final[Mapping[str, str]] = MappingProxyType(
    {"2": "2.0", "2.0": "2.0", "3.0": "3.0", "3.1": "3.1", "4.0": "4.0"}
)
"""The ``version`` strings accepted (as Inspector's ``CvssScore.version`` spells them)."""
