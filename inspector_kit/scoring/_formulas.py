"""The CVSS v2, v3.0 and v3.1 equations, in exact decimal arithmetic; v4.0 through ``cvss``.

Every v2/v3 equation is evaluated with ``decimal`` in a context that *traps* inexact
results: all constants are short decimals and every operation (the 13th and 15th powers
included) is exact at 300 digits, so a rounding anywhere but in the specification's own
rounding functions would raise instead of silently changing a score. The results are
therefore the specifications' values for every vector, not a floating-point
approximation of them:

- v3.1 rounds with ``Roundup`` from Appendix A of the v3.1 specification (round to 5
  decimals, half up as in FIRST's reference calculator, then up to one decimal);
- v3.0 rounds with its "Round up": the smallest one-decimal number >= the input;
- v2 rounds with ``round_to_1_decimal`` (half up); its environmental score, which the
  guide's equations can drive below zero, is floored at 0.0.

CVSS v4.0 is not an equation but a table look-up plus interpolation; the ``cvss``
package (Red Hat, which also wrote FIRST's reference v4 calculator) computes it. This is
the only module that imports ``cvss``: it ships no type hints, so its values are checked
and converted here.
"""

from __future__ import annotations

import decimal
import functools
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Final

import cvss

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["round_v2", "roundup_v30", "roundup_v31", "score_v2", "score_v3", "score_v4"]

_EXACT: Final = decimal.Context(
    prec=300,
    rounding=ROUND_HALF_UP,
    traps=[
        decimal.Inexact,
        decimal.Rounded,
        decimal.InvalidOperation,
        decimal.DivisionByZero,
        decimal.Overflow,
    ],
)

_0: Final = Decimal(0)
_1: Final = Decimal(1)
_10: Final = Decimal(10)

Scores = tuple[Decimal, "Decimal | None", "Decimal | None"]


def _d(table: dict[str, str]) -> dict[str, Decimal]:
    return {key: Decimal(value) for key, value in table.items()}


# ---- CVSS v3.x weights (v3.1 spec section 7.4, table 16; v3.0 is identical) ----
_AV3: Final = _d({"N": "0.85", "A": "0.62", "L": "0.55", "P": "0.2"})
_AC3: Final = _d({"L": "0.77", "H": "0.44"})
_PR3_UNCHANGED: Final = _d({"N": "0.85", "L": "0.62", "H": "0.27"})
_PR3_CHANGED: Final = _d({"N": "0.85", "L": "0.68", "H": "0.5"})
_UI3: Final = _d({"N": "0.85", "R": "0.62"})
_CIA3: Final = _d({"H": "0.56", "L": "0.22", "N": "0"})
_E3: Final = _d({"X": "1", "H": "1", "F": "0.97", "P": "0.94", "U": "0.91"})
_RL3: Final = _d({"X": "1", "U": "1", "W": "0.97", "T": "0.96", "O": "0.95"})
_RC3: Final = _d({"X": "1", "C": "1", "R": "0.96", "U": "0.92"})
_REQ3: Final = _d({"X": "1", "H": "1.5", "M": "1", "L": "0.5"})

_TEMPORAL3: Final = ("E", "RL", "RC")
_ENVIRONMENTAL3: Final = ("CR", "IR", "AR", "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA")


def roundup_v31(value: Decimal) -> Decimal:
    """CVSS v3.1 ``Roundup`` (specification Appendix A), on an exact decimal.

    ``int_input = round_to_nearest_integer(input * 100000)``; a multiple of 10000 is
    returned as it is, anything else goes up to the next tenth. Ties round up, as
    ``Math.round`` does in FIRST's reference calculator (no v3 vector produces one).

    Examples:
        >>> roundup_v31(Decimal("4.02")), roundup_v31(Decimal("4.00"))
        (Decimal('4.1'), Decimal('4'))
        >>> roundup_v31(Decimal("4.000001"))  # within 5e-6 of a tenth: float noise
        Decimal('4')
    """
    int_input = int((value * 100000).to_integral_value(rounding=ROUND_HALF_UP))
    if int_input % 10000 == 0:
        return Decimal(int_input // 10000) / _10
    return Decimal(int_input // 10000 + 1) / _10


def roundup_v30(value: Decimal) -> Decimal:
    """CVSS v3.0 "Round up": the smallest one-decimal number >= ``value``.

    Examples:
        >>> roundup_v30(Decimal("4.02")), roundup_v30(Decimal("4.00"))
        (Decimal('4.1'), Decimal('4'))
    """
    return (value * 10).to_integral_value(rounding=ROUND_CEILING) / _10


def round_v2(value: Decimal) -> Decimal:
    """CVSS v2 ``round_to_1_decimal``: to the nearest tenth, ties away from zero.

    Examples:
        >>> round_v2(Decimal("6.85")), round_v2(Decimal("6.849"))
        (Decimal('6.9'), Decimal('6.8'))
    """
    return (value * 10).to_integral_value(rounding=ROUND_HALF_UP) / _10


_C_6_42: Final = Decimal("6.42")
_C_7_52: Final = Decimal("7.52")
_C_0_029: Final = Decimal("0.029")
_C_3_25: Final = Decimal("3.25")
_C_0_02: Final = Decimal("0.02")
_C_0_9731: Final = Decimal("0.9731")
_C_8_22: Final = Decimal("8.22")
_C_1_08: Final = Decimal("1.08")
_C_0_915: Final = Decimal("0.915")


def score_v3(metrics: Mapping[str, str], minor: int) -> Scores:
    """Base, temporal and environmental scores of a v3.``minor`` vector.

    ``metrics`` holds every base metric and any defined (non-``X``) other metric. A group
    with no defined metric has no score (``None``).

    Examples:
        >>> m = dict(zip(["AV", "AC", "PR", "UI", "S", "C", "I", "A"], "NLNNUHHH"))
        >>> score_v3(m, 1)
        (Decimal('9.8'), None, None)
    """
    get = metrics.get
    av, ac, pr, ui, s = metrics["AV"], metrics["AC"], metrics["PR"], metrics["UI"], metrics["S"]
    c, i, a = metrics["C"], metrics["I"], metrics["A"]
    base = _impact_and_exploitability_v3(minor, False, av, ac, pr, ui, s, c, i, a, "X", "X", "X")

    e, rl, rc = get("E", "X"), get("RL", "X"), get("RC", "X")
    temporal = (
        _times_temporal_v3(minor, base, e, rl, rc)
        if any(k in metrics for k in _TEMPORAL3)
        else None
    )

    # Environmental (v3.1 spec 7.3): a modified metric left undefined takes its base
    # metric's value; an undefined requirement weighs 1.
    if not any(k in metrics for k in _ENVIRONMENTAL3):
        return base, temporal, None
    modified = _impact_and_exploitability_v3(
        minor,
        True,
        get("MAV", av),
        get("MAC", ac),
        get("MPR", pr),
        get("MUI", ui),
        get("MS", s),
        get("MC", c),
        get("MI", i),
        get("MA", a),
        get("CR", "X"),
        get("IR", "X"),
        get("AR", "X"),
    )
    return base, temporal, _times_temporal_v3(minor, modified, e, rl, rc)


@functools.lru_cache(maxsize=1 << 15)  # 2 x 101 scores x 100 factor tuples at most
def _times_temporal_v3(minor: int, score: Decimal, e: str, rl: str, rc: str) -> Decimal:
    """``Roundup(score x ExploitCodeMaturity x RemediationLevel x ReportConfidence)``."""
    with decimal.localcontext(_EXACT):
        roundup = roundup_v31 if minor == 1 else roundup_v30
        return roundup(score * _E3[e] * _RL3[rl] * _RC3[rc])


@functools.lru_cache(maxsize=1 << 16)  # the domain: about 150,000 argument tuples
def _impact_and_exploitability_v3(
    minor: int,
    modified: bool,
    av: str,
    ac: str,
    pr: str,
    ui: str,
    s: str,
    c: str,
    i: str,
    a: str,
    cr: str,
    ir: str,
    ar: str,
) -> Decimal:
    """The base score (v3.1 spec 7.1), or the environmental score before its temporal factor.

    ``modified=False``: the base score (``cr``, ``ir``, ``ar`` are then ``"X"``).
    ``modified=True``: ``Roundup(Minimum[(1.08 x) (ModifiedImpact +
    ModifiedExploitability), 10])`` (spec 7.3) from the effective modified metrics, with
    the 0.915 cap on MISS, and, in v3.1 with a changed modified scope, the v3.1
    ModifiedImpact (``x 0.9731``, ``^13``) instead of the base Impact's ``^15``.
    """
    with decimal.localcontext(_EXACT):
        roundup = roundup_v31 if minor == 1 else roundup_v30
        changed = s == "C"
        iss = _1 - (
            (_1 - _REQ3[cr] * _CIA3[c]) * (_1 - _REQ3[ir] * _CIA3[i]) * (_1 - _REQ3[ar] * _CIA3[a])
        )
        if modified:
            iss = min(iss, _C_0_915)
        if not changed:
            impact = _C_6_42 * iss
        elif modified and minor == 1:
            impact = _C_7_52 * (iss - _C_0_029) - _C_3_25 * (iss * _C_0_9731 - _C_0_02) ** 13
        else:
            impact = _C_7_52 * (iss - _C_0_029) - _C_3_25 * (iss - _C_0_02) ** 15
        if impact <= 0:
            return _0
        # PR's weight depends on the scope; MPR's on the *modified* scope (MS, else S).
        weight_pr = (_PR3_CHANGED if changed else _PR3_UNCHANGED)[pr]
        exploitability = _C_8_22 * _AV3[av] * _AC3[ac] * weight_pr * _UI3[ui]
        if changed:
            return roundup(min(_C_1_08 * (impact + exploitability), _10))
        return roundup(min(impact + exploitability, _10))


# ---- CVSS v2 weights (v2 guide section 3.2) ----
_AV2: Final = _d({"L": "0.395", "A": "0.646", "N": "1.0"})
_AC2: Final = _d({"H": "0.35", "M": "0.61", "L": "0.71"})
_AU2: Final = _d({"M": "0.45", "S": "0.56", "N": "0.704"})
_CIA2: Final = _d({"N": "0.0", "P": "0.275", "C": "0.660"})
_E2: Final = _d({"U": "0.85", "POC": "0.9", "F": "0.95", "H": "1.00", "ND": "1.00"})
_RL2: Final = _d({"OF": "0.87", "TF": "0.90", "W": "0.95", "U": "1.00", "ND": "1.00"})
_RC2: Final = _d({"UC": "0.90", "UR": "0.95", "C": "1.00", "ND": "1.00"})
_CDP2: Final = _d({"N": "0", "L": "0.1", "LM": "0.3", "MH": "0.4", "H": "0.5", "ND": "0"})
_TD2: Final = _d({"N": "0", "L": "0.25", "M": "0.75", "H": "1.00", "ND": "1.00"})
_REQ2: Final = _d({"L": "0.5", "M": "1.0", "H": "1.51", "ND": "1.0"})

_TEMPORAL2: Final = ("E", "RL", "RC")
_ENVIRONMENTAL2: Final = ("CDP", "TD", "CR", "IR", "AR")


def score_v2(metrics: Mapping[str, str]) -> Scores:
    """Base, temporal and environmental scores of a v2 vector (``None``: group undefined).

    Examples:
        >>> m = dict(zip(["AV", "AC", "Au", "C", "I", "A"], "NMNPPP"))
        >>> score_v2(m)
        (Decimal('6.8'), None, None)
    """
    with decimal.localcontext(_EXACT):
        return _score_v2(metrics)


def _base_v2(impact: Decimal, exploitability: Decimal) -> Decimal:
    f_impact = _0 if impact == 0 else Decimal("1.176")
    return round_v2(
        (Decimal("0.6") * impact + Decimal("0.4") * exploitability - Decimal("1.5")) * f_impact
    )


def _score_v2(m: Mapping[str, str]) -> Scores:
    get = m.get
    c, i, a = _CIA2[m["C"]], _CIA2[m["I"]], _CIA2[m["A"]]
    impact = Decimal("10.41") * (_1 - (_1 - c) * (_1 - i) * (_1 - a))
    exploitability = 20 * _AV2[m["AV"]] * _AC2[m["AC"]] * _AU2[m["Au"]]
    base = _base_v2(impact, exploitability)

    e, rl, rc = _E2[get("E", "ND")], _RL2[get("RL", "ND")], _RC2[get("RC", "ND")]
    temporal = round_v2(base * e * rl * rc) if any(k in m for k in _TEMPORAL2) else None

    if not any(k in m for k in _ENVIRONMENTAL2):
        return base, temporal, None
    adjusted_impact = min(
        _10,
        Decimal("10.41")
        * (
            _1
            - (_1 - c * _REQ2[get("CR", "ND")])
            * (_1 - i * _REQ2[get("IR", "ND")])
            * (_1 - a * _REQ2[get("AR", "ND")])
        ),
    )
    adjusted_temporal = round_v2(_base_v2(adjusted_impact, exploitability) * e * rl * rc)
    cdp, td = _CDP2[get("CDP", "ND")], _TD2[get("TD", "ND")]
    environmental = round_v2((adjusted_temporal + (_10 - adjusted_temporal) * cdp) * td)
    # The guide's equations can go below 0 here (and only here): a low requirement on a
    # low impact makes AdjustedBase negative. Scores are 0-10, so it is floored at 0,
    # after the rounding, as the cvss package does.
    return base, temporal, max(environmental, _0)


def score_v4(canonical: str) -> float:
    """The CVSS v4.0 score (CVSS-B, -BT, -BE or -BTE: whatever metrics are defined).

    ``canonical`` must already be a valid ``CVSS:4.0/...`` vector.

    Examples:
        >>> score_v4("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
        9.3
    """
    value = cvss.CVSS4(canonical).base_score
    score = float(value)
    if not 0.0 <= score <= 10.0:  # pragma: no cover - a cvss bug, not an input problem
        raise ArithmeticError(f"cvss scored {canonical} as {value!r}")
    return score
