"""inspector_kit.scoring (vectors): parsing, canonical form, exact scores, caching, errors.

Scores are checked against three independent truths:

1. a small reference implementation of the v2, v3.0 and v3.1 equations written below
   straight from the specification text, in exact rational arithmetic (``Fraction``);
2. the ``cvss`` package (Red Hat);
3. published scores (the specifications' examples, FIRST's example documents, NVD).

For v3 the comparison is exhaustive where it matters: every base vector of both
versions, and every distinct input of the environmental equation (all effective
modified-metric and requirement combinations), plus every temporal factor applied to
every reachable score; together those cover the score of every possible v3 vector.
"""

from __future__ import annotations

import copy
import functools
import itertools
import math
import pickle
import random
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import cvss
import pytest
from cvss import constants4
from hypothesis import example, given
from hypothesis import strategies as st

from inspector_kit.errors import InspectorKitError
from inspector_kit.models import Severity
from inspector_kit.scoring import (
    CACHE_SIZE,
    CvssVector,
    InvalidVectorError,
    _formulas,
    parse_vector,
    severity_for_score,
)
from inspector_kit.scoring import (
    _vectors as vectors,
)
from inspector_kit.scoring._metrics import SPECS

F = Fraction

# --------------------------------------------------------------------------------------
# Reference implementation, from the specification text (no library code is used)
# --------------------------------------------------------------------------------------

# CVSS v3.1 specification, section 7.4, table 16 (v3.0 has the same weights).
V3_WEIGHTS: dict[str, dict[str, Fraction]] = {
    "AV": {"N": F("0.85"), "A": F("0.62"), "L": F("0.55"), "P": F("0.2")},
    "AC": {"L": F("0.77"), "H": F("0.44")},
    "PR": {"N": F("0.85"), "L": F("0.62"), "H": F("0.27")},  # Scope Unchanged
    "UI": {"N": F("0.85"), "R": F("0.62")},
    "S": {"U": F(0), "C": F(0)},  # no weight: it selects the equations
    "C": {"H": F("0.56"), "L": F("0.22"), "N": F(0)},
    "I": {"H": F("0.56"), "L": F("0.22"), "N": F(0)},
    "A": {"H": F("0.56"), "L": F("0.22"), "N": F(0)},
    "E": {"X": F(1), "H": F(1), "F": F("0.97"), "P": F("0.94"), "U": F("0.91")},
    "RL": {"X": F(1), "U": F(1), "W": F("0.97"), "T": F("0.96"), "O": F("0.95")},
    "RC": {"X": F(1), "C": F(1), "R": F("0.96"), "U": F("0.92")},
    "CR": {"X": F(1), "H": F("1.5"), "M": F(1), "L": F("0.5")},
    "IR": {"X": F(1), "H": F("1.5"), "M": F(1), "L": F("0.5")},
    "AR": {"X": F(1), "H": F("1.5"), "M": F(1), "L": F("0.5")},
}
PR_SCOPE_CHANGED = {"N": F("0.85"), "L": F("0.68"), "H": F("0.5")}
V3_BASE = ["AV", "AC", "PR", "UI", "S", "C", "I", "A"]
V3_MODIFIED = ["MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA"]
V3_ORDER = [*V3_BASE, "E", "RL", "RC", "CR", "IR", "AR", *V3_MODIFIED]
V3_VALUES = {m: list(V3_WEIGHTS[m]) for m in V3_WEIGHTS}
V3_VALUES |= {m: ["X", *V3_VALUES[m[1:]]] for m in V3_MODIFIED}


def ref_roundup_v31(x: Fraction) -> Fraction:
    """v3.1 Appendix A: int_input = round_to_nearest_integer(input * 100000); ..."""
    int_input = math.floor(x * 100000 + F(1, 2))
    if int_input % 10000 == 0:
        return F(int_input, 100000)
    return F(math.floor(F(int_input, 10000)) + 1, 10)


def ref_roundup_v30(x: Fraction) -> Fraction:
    """v3.0: the smallest number, specified to one decimal place, >= its input."""
    return F(math.ceil(x * 10), 10)


def ref_split(vector: str) -> dict[str, str]:
    return dict(part.split(":") for part in vector.split("/") if not part.startswith("CVSS"))


@functools.cache
def ref_impact(minor: int, modified: bool, scope: str, cia: tuple[Fraction, ...]) -> Fraction:
    """(Modified) Impact, spec 7.1 / 7.3; ``cia`` = the three (requirement x) impacts."""
    c, i, a = cia
    iss = 1 - (1 - c) * (1 - i) * (1 - a)
    if modified:
        iss = min(iss, F("0.915"))  # MISS
    if scope == "U":
        return F("6.42") * iss
    if modified and minor == 1:
        return F("7.52") * (iss - F("0.029")) - F("3.25") * (iss * F("0.9731") - F("0.02")) ** 13
    return F("7.52") * (iss - F("0.029")) - F("3.25") * (iss - F("0.02")) ** 15


@functools.cache
def ref_exploitability(scope: str, av: str, ac: str, pr: str, ui: str) -> Fraction:
    w = V3_WEIGHTS
    weight_pr = (w["PR"] if scope == "U" else PR_SCOPE_CHANGED)[pr]
    return F("8.22") * w["AV"][av] * w["AC"][ac] * weight_pr * w["UI"][ui]


def ref_v3(vector: str, minor: int) -> tuple[Fraction, Fraction | None, Fraction | None]:
    """Base, temporal, environmental scores per the v3.``minor`` specification, section 7."""
    m = ref_split(vector)
    roundup = ref_roundup_v31 if minor == 1 else ref_roundup_v30
    w = V3_WEIGHTS

    def value(metric: str) -> str:
        return m.get(metric, "X")

    # 7.1 Base
    cia = (w["C"][m["C"]], w["I"][m["I"]], w["A"][m["A"]])
    impact = ref_impact(minor, False, m["S"], cia)
    exploitability = ref_exploitability(m["S"], m["AV"], m["AC"], m["PR"], m["UI"])
    if impact <= 0:
        base = F(0)
    elif m["S"] == "U":
        base = roundup(min(impact + exploitability, 10))
    else:
        base = roundup(min(F("1.08") * (impact + exploitability), 10))

    # 7.2 Temporal
    temporal_factor = w["E"][value("E")] * w["RL"][value("RL")] * w["RC"][value("RC")]
    has_temporal = any(value(k) != "X" for k in ("E", "RL", "RC"))
    temporal = roundup(base * temporal_factor) if has_temporal else None

    # 7.3 Environmental: a Not Defined modified metric uses the base metric's value
    if all(value(k) == "X" for k in ("CR", "IR", "AR", *V3_MODIFIED)):
        return base, temporal, None

    def mod(metric: str) -> str:
        return m[metric] if value("M" + metric) == "X" else m["M" + metric]

    ms = mod("S")
    m_cia = (
        w["CR"][value("CR")] * w["C"][mod("C")],
        w["IR"][value("IR")] * w["I"][mod("I")],
        w["AR"][value("AR")] * w["A"][mod("A")],
    )
    m_impact = ref_impact(minor, True, ms, m_cia)
    m_exploitability = ref_exploitability(ms, mod("AV"), mod("AC"), mod("PR"), mod("UI"))
    if m_impact <= 0:
        environmental = F(0)
    elif ms == "U":
        environmental = roundup(roundup(min(m_impact + m_exploitability, 10)) * temporal_factor)
    else:
        environmental = roundup(
            roundup(min(F("1.08") * (m_impact + m_exploitability), 10)) * temporal_factor
        )
    return base, temporal, environmental


# CVSS v2 guide, section 3.2 (equations and weights).
V2_WEIGHTS: dict[str, dict[str, Fraction]] = {
    "AV": {"L": F("0.395"), "A": F("0.646"), "N": F("1.0")},
    "AC": {"H": F("0.35"), "M": F("0.61"), "L": F("0.71")},
    "Au": {"M": F("0.45"), "S": F("0.56"), "N": F("0.704")},
    "C": {"N": F(0), "P": F("0.275"), "C": F("0.660")},
    "I": {"N": F(0), "P": F("0.275"), "C": F("0.660")},
    "A": {"N": F(0), "P": F("0.275"), "C": F("0.660")},
    "E": {"U": F("0.85"), "POC": F("0.9"), "F": F("0.95"), "H": F(1), "ND": F(1)},
    "RL": {"OF": F("0.87"), "TF": F("0.90"), "W": F("0.95"), "U": F(1), "ND": F(1)},
    "RC": {"UC": F("0.90"), "UR": F("0.95"), "C": F(1), "ND": F(1)},
    "CDP": {"N": F(0), "L": F("0.1"), "LM": F("0.3"), "MH": F("0.4"), "H": F("0.5"), "ND": F(0)},
    "TD": {"N": F(0), "L": F("0.25"), "M": F("0.75"), "H": F(1), "ND": F(1)},
    "CR": {"L": F("0.5"), "M": F(1), "H": F("1.51"), "ND": F(1)},
    "IR": {"L": F("0.5"), "M": F(1), "H": F("1.51"), "ND": F(1)},
    "AR": {"L": F("0.5"), "M": F(1), "H": F("1.51"), "ND": F(1)},
}
V2_BASE = ["AV", "AC", "Au", "C", "I", "A"]
V2_ORDER = list(V2_WEIGHTS)


def ref_round_to_1_decimal(x: Fraction) -> Fraction:
    """Round half away from zero to one decimal."""
    sign = -1 if x < 0 else 1
    return sign * F(math.floor(abs(x) * 10 + F(1, 2)), 10)


def ref_v2(vector: str) -> tuple[Fraction, Fraction | None, Fraction | None]:
    m = ref_split(vector.strip("()"))
    w = V2_WEIGHTS

    def value(metric: str) -> str:
        return m.get(metric, "ND")

    def base_score(impact: Fraction) -> Fraction:
        exploitability = 20 * w["AV"][m["AV"]] * w["AC"][m["AC"]] * w["Au"][m["Au"]]
        f_impact = 0 if impact == 0 else F("1.176")
        return ref_round_to_1_decimal(
            ((F("0.6") * impact) + (F("0.4") * exploitability) - F("1.5")) * f_impact
        )

    c, i, a = w["C"][m["C"]], w["I"][m["I"]], w["A"][m["A"]]
    base = base_score(F("10.41") * (1 - (1 - c) * (1 - i) * (1 - a)))
    factor = w["E"][value("E")] * w["RL"][value("RL")] * w["RC"][value("RC")]
    temporal = (
        ref_round_to_1_decimal(base * factor)
        if any(value(k) != "ND" for k in ("E", "RL", "RC"))
        else None
    )
    if all(value(k) == "ND" for k in ("CDP", "TD", "CR", "IR", "AR")):
        return base, temporal, None
    adjusted_impact = min(
        10,
        F("10.41")
        * (
            1
            - (1 - c * w["CR"][value("CR")])
            * (1 - i * w["IR"][value("IR")])
            * (1 - a * w["AR"][value("AR")])
        ),
    )
    adjusted_temporal = ref_round_to_1_decimal(base_score(adjusted_impact) * factor)
    cdp, td = w["CDP"][value("CDP")], w["TD"][value("TD")]
    environmental = ref_round_to_1_decimal(
        (adjusted_temporal + (10 - adjusted_temporal) * cdp) * td
    )
    return base, temporal, max(environmental, F(0))  # scores are 0-10 (see _formulas)


def as_float(x: Fraction | None) -> float | None:
    return None if x is None else float(x)


def scores(v: CvssVector) -> tuple[float, float | None, float | None]:
    return v.base_score, v.temporal_score, v.environmental_score


def cvss_scores(vector: str, version: str) -> tuple[float, float | None, float | None]:
    """The cvss package's scores, mapped to ours (it computes every group, always)."""
    if version == "4.0":
        return float(cvss.CVSS4(vector).base_score), None, None
    if version == "2.0":
        return cvss.CVSS2(vector.strip("()")).scores()  # type: ignore[no-any-return]
    b, t, e = cvss.CVSS3(vector).scores()
    m = ref_split(vector)
    has_t = any(m.get(k, "X") != "X" for k in ("E", "RL", "RC"))
    has_e = any(m.get(k, "X") != "X" for k in ("CR", "IR", "AR", *V3_MODIFIED))
    return b, t if has_t else None, e if has_e else None


def v3_base_vectors(minor: int) -> list[str]:
    values = [V3_VALUES[m] for m in V3_BASE]
    return [
        f"CVSS:3.{minor}/" + "/".join(f"{m}:{v}" for m, v in zip(V3_BASE, combo, strict=True))
        for combo in itertools.product(*values)
    ]


def random_v3(rnd: random.Random, minor: int) -> str:
    parts = [f"{m}:{rnd.choice(V3_VALUES[m])}" for m in V3_ORDER]
    return f"CVSS:3.{minor}/" + "/".join(parts)


# --------------------------------------------------------------------------------------
# The reference itself, against the specification's own examples
# --------------------------------------------------------------------------------------


def test_reference_roundup_matches_the_specification_examples() -> None:
    # v3.0/v3.1 "Round up (4.02) is 4.1; and Round up (4.00) is 4.0."
    for roundup in (ref_roundup_v30, ref_roundup_v31):
        assert roundup(F("4.02")) == F("4.1")
        assert roundup(F("4.00")) == F("4.0")
    # v3.1 Appendix A: the floating-point artefact 4.000000000000001 rounds to 4.0.
    assert ref_roundup_v31(F(4.000000000000001)) == F("4.0")
    # The library's own rounding functions agree.
    assert _formulas.roundup_v31(Decimal("4.02")) == Decimal("4.1")
    assert _formulas.roundup_v31(Decimal("4.00")) == Decimal("4.0")
    noisy = Decimal(4.000000000000001)  # noqa: RUF032 - the binary float is the point
    assert _formulas.roundup_v31(noisy) == Decimal("4.0")
    assert _formulas.roundup_v30(Decimal("4.02")) == Decimal("4.1")
    assert _formulas.round_v2(Decimal("6.85")) == Decimal("6.9")


# --------------------------------------------------------------------------------------
# Published scores
# --------------------------------------------------------------------------------------

PUBLISHED = [
    # FIRST CVSS v3.1 examples document and NVD
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", None, (9.8, None, None)),
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", None, (10.0, None, None)),
    ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N", None, (4.8, None, None)),
    ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", None, (6.5, None, None)),
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", None, (7.5, None, None)),  # Heartbleed
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", None, (6.1, None, None)),  # phpMyAdmin XSS
    ("CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", None, (7.8, None, None)),  # Adobe Reader
    ("CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", None, (6.8, None, None)),
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", None, (9.6, None, None)),
    # FIRST v3.1 calculator
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/E:P/RL:W/RC:C", None, (6.1, 5.6, None)),
    ("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", None, (9.8, None, None)),
    # CVSS v2 (NVD; the v2 guide's section 3.3 examples with all three groups)
    ("AV:N/AC:L/Au:N/C:C/I:C/A:C", None, (10.0, None, None)),
    ("AV:N/AC:M/Au:N/C:P/I:P/A:P", None, (6.8, None, None)),
    ("AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:H", None, (7.8, 6.4, 9.2)),
    ("AV:N/AC:L/Au:N/C:C/I:C/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:L", None, (10.0, 8.3, 9.0)),
    (
        "AV:L/AC:H/Au:N/C:C/I:C/A:C/E:POC/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:M",
        None,
        (6.2, 4.9, 7.5),
    ),
    ("AV:N/AC:L/Au:N/C:P/I:P/A:P", "2.0", (7.5, None, None)),
    # CVSS v4.0 (FIRST calculator)
    ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", None, (9.3, None, None)),
    ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", None, (10.0, None, None)),
]


@pytest.mark.parametrize(("vector", "version", "expected"), PUBLISHED)
def test_published_scores(
    vector: str, version: str | None, expected: tuple[float, float | None, float | None]
) -> None:
    v = parse_vector(vector, version=version)
    assert scores(v) == expected
    assert cvss_scores(str(v), v.version) == expected
    if v.version != "4.0":
        ref = ref_v2(vector) if v.version == "2.0" else ref_v3(vector, int(v.version[-1]))
        assert tuple(as_float(x) for x in ref) == expected


# --------------------------------------------------------------------------------------
# Exhaustive and sampled comparisons
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("minor", [0, 1])
def test_every_v3_base_vector_matches_reference_and_cvss(minor: int) -> None:
    vectors_ = v3_base_vectors(minor)
    assert len(vectors_) == 2592
    for vector in vectors_:
        v = parse_vector(vector)
        expected = as_float(ref_v3(vector, minor)[0])
        assert v.base_score == expected, vector
        assert cvss.CVSS3(vector).scores()[0] == expected, vector
        assert (v.temporal_score, v.environmental_score) == (None, None)
        assert str(v) == vector


@pytest.mark.parametrize("minor", [0, 1])
def test_random_full_v3_vectors_match_reference_and_cvss(minor: int) -> None:
    rnd = random.Random(20240601 + minor)
    for _ in range(2500):
        vector = random_v3(rnd, minor)
        v = parse_vector(vector)
        expected = tuple(as_float(x) for x in ref_v3(vector, minor))
        assert scores(v) == expected, vector
        assert cvss_scores(vector, v.version) == expected, vector


ENV_DOMAIN = {
    "MAV": "NALP",
    "MAC": "LH",
    "MPR": "NLH",
    "MUI": "NR",
    "MS": "UC",
    "MC": "HLN",
    "MI": "HLN",
    "MA": "HLN",
    "CR": "HML",
    "IR": "HML",
    "AR": "HML",
}


@pytest.mark.parametrize("minor", [0, 1])
def test_every_environmental_input_matches_the_reference(minor: int) -> None:
    """The environmental equation over its whole domain.

    Before its temporal factor, the environmental score depends only on the effective
    modified metrics and the requirements: 4 x 2 x 3 x 2 x 2 x 3^3 x 3^3 = 69,984
    points, every one compared with the reference here (the library's step function
    directly, and a sample of them through the public API). With
    ``test_every_temporal_factor_on_every_score`` this covers every v3 vector.
    """
    roundup = ref_roundup_v31 if minor == 1 else ref_roundup_v30
    w = V3_WEIGHTS
    step = _formulas._impact_and_exploitability_v3
    count = 0
    for combo in itertools.product(*ENV_DOMAIN.values()):
        mav, mac, mpr, mui, ms, mc, mi, ma, cr, ir, ar = combo
        cia = (w["CR"][cr] * w["C"][mc], w["IR"][ir] * w["I"][mi], w["AR"][ar] * w["A"][ma])
        impact = ref_impact(minor, True, ms, cia)
        if impact <= 0:
            want = F(0)
        else:
            total = impact + ref_exploitability(ms, mav, mac, mpr, mui)
            want = roundup(min(total if ms == "U" else F("1.08") * total, 10))
        got = step(minor, True, mav, mac, mpr, mui, ms, mc, mi, ma, cr, ir, ar)
        assert F(got) == want, combo
        count += 1
    assert count == 69984
    # The same points through parse_vector: every environmental score is this step
    # times the temporal factor (1 here), whatever the base metrics.
    rnd = random.Random(minor)
    base = "AV:L/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N"
    for _ in range(1500):
        combo = tuple(rnd.choice(values) for values in ENV_DOMAIN.values())
        env = "/".join(f"{m}:{v}" for m, v in zip(ENV_DOMAIN, combo, strict=True))
        vector = f"CVSS:3.{minor}/{base}/{env}"
        assert parse_vector(vector).environmental_score == as_float(ref_v3(vector, minor)[2])


@pytest.mark.parametrize("minor", [0, 1])
def test_every_temporal_factor_on_every_score(minor: int) -> None:
    """Roundup(score x E x RL x RC): every base score with every temporal factor, and the
    rounding step itself on every score from 0.0 to 10.0 (environmental scores reach
    values base scores do not)."""
    by_score: dict[float, str] = {}
    for vector in v3_base_vectors(minor):
        by_score.setdefault(parse_vector(vector).base_score, vector)
    factors = list(itertools.product("XHFPU", "XUWTO", "XCRU"))
    for vector in by_score.values():
        for e, rl, rc in factors:
            full = f"{vector}/E:{e}/RL:{rl}/RC:{rc}"
            assert scores(parse_vector(full)) == tuple(as_float(x) for x in ref_v3(full, minor)), (
                full
            )
    roundup = ref_roundup_v31 if minor == 1 else ref_roundup_v30
    w = V3_WEIGHTS
    for tenths in range(101):
        for e, rl, rc in factors:
            got = _formulas._times_temporal_v3(minor, Decimal(tenths) / 10, e, rl, rc)
            want = roundup(F(tenths, 10) * w["E"][e] * w["RL"][rl] * w["RC"][rc])
            assert F(got) == want, (tenths, e, rl, rc)


def test_every_v2_base_vector_and_random_full_vectors_match() -> None:
    values = [list(V2_WEIGHTS[m]) for m in V2_BASE]
    for combo in itertools.product(*values):
        vector = "/".join(f"{m}:{v}" for m, v in zip(V2_BASE, combo, strict=True))
        v = parse_vector(vector)
        expected = tuple(as_float(x) for x in ref_v2(vector))
        assert scores(v) == expected == cvss_scores(vector, "2.0"), vector
    rnd = random.Random(2)
    for _ in range(3000):
        vector = "/".join(f"{m}:{rnd.choice(list(V2_WEIGHTS[m]))}" for m in V2_ORDER)
        v = parse_vector(vector)
        expected = tuple(as_float(x) for x in ref_v2(vector))
        assert scores(v) == expected == cvss_scores(vector, "2.0"), vector


def test_v2_environmental_score_is_floored_at_zero() -> None:
    # A low requirement on a single partial impact: AdjustedBase goes negative.
    vector = "AV:L/AC:H/Au:M/C:P/I:N/A:N/CDP:N/CR:L"
    assert ref_v2(vector)[2] == 0
    assert parse_vector(vector).environmental_score == 0.0 == cvss_scores(vector, "2.0")[2]


V4_VALUES = {m: list(constants4.METRICS_VALUE_NAMES[m]) for m in constants4.METRICS}


def test_random_v4_vectors_match_cvss() -> None:
    rnd = random.Random(4)
    for _ in range(400):
        metrics = [
            f"{m}:{rnd.choice(V4_VALUES[m])}"
            for m in constants4.METRICS
            if m in constants4.METRICS_MANDATORY or rnd.random() < 0.5
        ]
        rnd.shuffle(metrics)
        vector = "CVSS:4.0/" + "/".join(metrics)
        v = parse_vector(vector)
        assert v.base_score == cvss.CVSS4(vector).base_score, vector
        assert v.score == v.base_score
        assert (v.temporal_score, v.environmental_score) == (None, None)
        assert str(v) == cvss.CVSS4(vector).clean_vector()


def test_metric_tables_agree_with_cvss_constants() -> None:
    from cvss import constants2, constants3

    assert {m: set(v) for m, v in SPECS["3.1"].values.items()} == {
        m: set(v) for m, v in constants3.METRICS_VALUES.items()
    }
    assert list(SPECS["3.1"].order) == list(constants3.METRICS_ABBREVIATIONS) == V3_ORDER
    assert {m: set(v) for m, v in SPECS["2.0"].values.items()} == {
        m: set(v) for m, v in constants2.METRICS_VALUES.items()
    }
    assert list(SPECS["2.0"].order) == list(constants2.METRICS_ABBREVIATIONS) == V2_ORDER
    assert {m: set(v) for m, v in SPECS["4.0"].values.items()} == {
        m: set(v) for m, v in V4_VALUES.items()
    }
    assert list(SPECS["4.0"].order) == list(constants4.METRICS)


# --------------------------------------------------------------------------------------
# The v3.1 environmental quirk (docs/facts.md#score)
# --------------------------------------------------------------------------------------


def test_v31_quirk_on_the_fully_capped_vector() -> None:
    # MAV:N restates AV:N: nothing changes, but the vector now has an environmental
    # group, scored with the v3.1 ModifiedImpact formula. Here both are capped at 10.
    base = parse_vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H")
    env = parse_vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/MAV:N")
    assert (base.base_score, env.base_score, env.environmental_score) == (10.0, 10.0, 10.0)
    assert env.score == 10.0


def test_v31_quirk_environmental_differs_from_base_by_a_tenth() -> None:
    # The case users report: 9.0 base, 9.1 environmental, with nothing changed.
    v = parse_vector("CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:H")
    same = v.with_metrics(MAV="N")
    assert (v.score, same.environmental_score) == (9.0, 9.1)
    assert ref_v3(str(same), 1)[2] == F("9.1")  # the specification says so
    assert cvss_scores(str(same), "3.1")[2] == 9.1
    # v3.0 has no such quirk: its ModifiedImpact is the base Impact formula.
    v30 = parse_vector(str(v), version="3.0").with_metrics(MAV="N")
    assert (v30.base_score, v30.environmental_score) == (9.0, 9.0)


def test_v31_quirk_census_over_every_base_vector() -> None:
    """Which base vectors change score when a no-op environmental metric is added."""
    census: dict[tuple[str, str, float], int] = {}
    for minor in (0, 1):
        for vector in v3_base_vectors(minor):
            v = parse_vector(vector)
            noop = v.with_metrics(MAV=v.metrics["AV"])
            assert noop.metrics["MAV"] == v.metrics["AV"]
            delta = round(noop.score - v.score, 1)
            if delta:
                key = (v.version, v.metrics["S"], delta)
                census[key] = census.get(key, 0) + 1
    # Only v3.1, only S:C, never more than a tenth either way: what the rescorer must
    # not mistake for an adjustment.
    assert census == {("3.1", "C", 0.1): 41, ("3.1", "C", -0.1): 39}


# --------------------------------------------------------------------------------------
# Parsing: canonical form, versions, whitespace
# --------------------------------------------------------------------------------------


def test_any_order_x_dropped_canonical_order() -> None:
    v = parse_vector("CVSS:3.1/MA:X/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N/E:X/RL:O/CR:H/MS:X/MAV:A")
    assert str(v) == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/RL:O/CR:H/MAV:A"
    assert list(v.metrics) == ["AV", "AC", "PR", "UI", "S", "C", "I", "A", "RL", "CR", "MAV"]
    assert v.temporal_score is not None and v.environmental_score is not None
    assert v.score == v.environmental_score


def test_groups_apply_only_when_a_metric_is_defined() -> None:
    all_x = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/" + "/".join(
        f"{m}:X" for m in V3_ORDER[8:]
    )
    v = parse_vector(all_x)
    assert (v.temporal_score, v.environmental_score, v.score) == (None, None, 9.8)
    assert v == parse_vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
    v2 = parse_vector("AV:N/AC:L/Au:N/C:C/I:C/A:C/E:ND/RL:ND/RC:ND/CDP:ND/TD:ND")
    assert (v2.temporal_score, v2.environmental_score) == (None, None)
    assert str(v2) == "AV:N/AC:L/Au:N/C:C/I:C/A:C"
    temporal_only = parse_vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U")
    assert temporal_only.score == temporal_only.temporal_score == 9.0  # Roundup(9.8 x 0.91)
    env_only = parse_vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MAV:L")
    assert env_only.temporal_score is None
    assert env_only.score == env_only.environmental_score == 8.4


BARE3 = "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
V30, V31 = f"CVSS:3.0/{BARE3}", f"CVSS:3.1/{BARE3}"
BARE2 = "AV:N/AC:M/Au:N/C:P/I:P/A:P"
BARE4 = "AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
V40 = f"CVSS:4.0/{BARE4}"


@pytest.mark.parametrize(
    ("vector", "version", "expected_version", "canonical"),
    [
        (BARE3, "3.1", "3.1", V31),
        (BARE3, "3.0", "3.0", V30),
        # The declared version wins within a major version (Inspector's version field
        # says how the score was computed): a CVSS:3.0 vector with "3.1" is a v3.1 vector.
        (V30, "3.1", "3.1", V31),
        (V31, "3.0", "3.0", V30),
        (V31, None, "3.1", V31),
        (BARE2, None, "2.0", BARE2),
        (BARE2, "2", "2.0", BARE2),
        (BARE2, "2.0", "2.0", BARE2),
        (f"({BARE2})", "2.0", "2.0", BARE2),
        (f"\t ({BARE2})\n", None, "2.0", BARE2),
        (f"  {V31}\n", None, "3.1", V31),
        ("CVSS:4.0/SA:N/SI:N/SC:N/VA:H/VI:H/VC:H/UI:N/PR:N/AT:N/AC:L/AV:N/E:X", "4.0", "4.0", V40),
        (BARE4, "4.0", "4.0", V40),
    ],
)
def test_versions(vector: str, version: str | None, expected_version: str, canonical: str) -> None:
    v = parse_vector(vector, version=version)
    assert (v.version, str(v)) == (expected_version, canonical)
    assert parse_vector(canonical) == v
    assert parse_vector(canonical) is v  # the same cached object


def test_declared_version_changes_the_score_when_the_formulas_differ() -> None:
    vector = "CVSS:3.0/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:H/MAV:N"
    as_30, as_31 = parse_vector(vector), parse_vector(vector, version="3.1")
    assert (as_30.environmental_score, as_31.environmental_score) == (9.0, 9.1)
    assert as_30 != as_31


# --------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------

NO_A = V31.removesuffix("/A:H")
V2_HINT = (
    "unknown metric 'PR' for CVSS v2.0 (a vector without a 'CVSS:x.y/' prefix is read as"
    " v2; pass version= for a bare v3 or v4 vector)"
)


@pytest.mark.parametrize(
    ("vector", "version", "reason", "metric"),
    [
        ("", None, "empty vector", None),
        ("   \n", None, "empty vector", None),
        ("()", None, "empty vector", None),
        (
            V31.replace("3.1", "2.5"),
            None,
            "unknown prefix 'CVSS:2.5' (one of CVSS:3.0, CVSS:3.1, CVSS:4.0)",
            None,
        ),
        (V31.replace("CVSS", "cvss"), None, "unknown prefix 'cvss:3.1'", None),
        ("CVSS:3.1", None, "no metrics after the prefix CVSS:3.1", None),
        ("CVSS:3.1/", None, "no metrics after the prefix CVSS:3.1", None),
        (V31 + "/", None, "empty component (a stray '/')", None),
        (V31.replace("/", "//", 1), None, "empty component", None),
        (V31.replace("/S:", "//S:"), None, "empty component", None),
        ("/" + BARE2, None, "empty component", None),
        (V31.replace("AV:N", "AV:X"), None, "bad value 'X' for AV (one of N, A, L, P)", "AV"),
        (V31.replace("AV:N", "AV:n"), None, "bad value 'n' for AV", "AV"),
        (V31.replace("AV:N", "av:N"), None, "unknown metric 'av' for CVSS v3.1", "av"),
        (V31 + "/Au:N", None, "unknown metric 'Au' for CVSS v3.1", "Au"),
        (V31 + "/AV:N", None, "duplicate metric AV", "AV"),
        (V31 + "/E:X/E:H", None, "duplicate metric E", "E"),
        (NO_A, None, "missing mandatory base metric A", "A"),
        (NO_A.replace("/PR:N", ""), None, "missing mandatory base metrics PR, A", "PR"),
        (NO_A + "/A", None, "component 'A' is not METRIC:VALUE", None),
        (V31 + ":H", None, "component 'A:H:H' has more than one ':'", "A"),
        (NO_A + "/:H", None, "component ':H' has no metric name", None),
        (V31.replace("AV:N", "AV:N "), None, "bad value 'N ' for AV", "AV"),
        # A bare vector is v2 unless a version says otherwise.
        (BARE3, None, V2_HINT, "PR"),
        # A version that contradicts the vector.
        ("AV:N/AC:L/Au:N/C:C/I:C/A:C", "3.1", "unknown metric 'Au' for CVSS v3.1", "Au"),
        (BARE2, "3.1", "bad value 'M' for AC (one of L, H)", "AC"),
        (V31, "2.0", "prefix CVSS:3.1 contradicts version 2.0", None),
        (V31, "4.0", "prefix CVSS:3.1 contradicts version 4.0", None),
        (V40, "3.1", "prefix CVSS:4.0 contradicts version 3.1", None),
        (V31, "5.0", "unknown CVSS version '5.0' (one of 2.0, 3.0, 3.1, 4.0)", None),
        (V31, "", "unknown CVSS version ''", None),
        (V31, "3", "unknown CVSS version '3'", None),
        # Parentheses belong to v2 only, and must pair.
        ("(" + BARE2, None, "unbalanced parentheses", None),
        (BARE2 + ")", None, "unbalanced parentheses", None),
        (f"({BARE3})", "3.1", "parentheses are only allowed around a CVSS v2 vector", None),
        (BARE2.replace("A:P", "A:X"), None, "bad value 'X' for A (one of N, P, C)", "A"),
        (BARE2 + "/E:X", None, "bad value 'X' for E (one of U, POC, F, H, ND)", "E"),
        (V40.replace("SA:N", "SA:S"), None, "bad value 'S' for SA (one of H, L, N)", "SA"),
    ],
)
def test_invalid_vectors(vector: str, version: str | None, reason: str, metric: str | None) -> None:
    with pytest.raises(InvalidVectorError) as info:
        parse_vector(vector, version=version)
    err = info.value
    assert err.reason.startswith(reason), err.reason
    assert err.metric == metric
    assert err.vector == vector
    assert isinstance(err, ValueError)
    assert isinstance(err, InspectorKitError)
    assert reason in str(err)
    restored = pickle.loads(pickle.dumps(err))
    assert (restored.vector, restored.reason, restored.metric) == (vector, err.reason, metric)
    assert str(restored) == str(err)


def test_error_message_names_the_vector() -> None:
    with pytest.raises(InvalidVectorError) as info:
        parse_vector("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
    assert str(info.value) == (
        "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H: bad value 'X' for AV (one of N, A, L, P)"
    )
    # Unprintable, blank or huge inputs are quoted and bounded in the message.
    with pytest.raises(InvalidVectorError) as info:
        parse_vector("")
    assert str(info.value) == "'': empty vector"
    with pytest.raises(InvalidVectorError) as info:
        parse_vector("AV:\x00" * 100_000)
    assert len(str(info.value)) < 300
    assert info.value.vector == "AV:\x00" * 100_000


@pytest.mark.parametrize(
    "value", [None, 42, 3.1, b"AV:N/AC:L/Au:N/C:C/I:C/A:C", ["AV:N"], object()]
)
def test_non_str_input(value: object) -> None:
    with pytest.raises(InvalidVectorError) as info:
        parse_vector(value)  # type: ignore[arg-type]
    assert info.value.reason == f"expected a str, got {type(value).__name__}"
    assert isinstance(info.value.vector, str)


@pytest.mark.parametrize("version", [3.1, 3, b"3.1", ["3.1"]])
def test_non_str_version(version: object) -> None:
    with pytest.raises(InvalidVectorError, match="version must be a str or None"):
        parse_vector(V31, version=version)  # type: ignore[arg-type]


def test_str_subclasses_and_long_inputs() -> None:
    class Weird(str):
        def __str__(self) -> str:
            return "garbage"

        def __hash__(self) -> int:
            raise TypeError("no")

    assert parse_vector(Weird(V31), version=Weird("3.1")) is parse_vector(V31)
    padded = " " * 10_000 + V31 + "\n" * 10_000
    before = vectors._parse_cached.cache_info().currsize
    assert parse_vector(padded) is parse_vector(V31)
    assert vectors._parse_cached.cache_info().currsize == before  # long inputs: not cached raw


# --------------------------------------------------------------------------------------
# The CvssVector object
# --------------------------------------------------------------------------------------


def test_vector_is_frozen_hashable_and_compares_by_canonical_form() -> None:
    a = parse_vector("CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:X")
    b = parse_vector(V31)
    assert a == b and hash(a) == hash(b) and a is b
    assert {a, b} == {b}
    assert a != parse_vector(V31.replace("3.1", "3.0"))  # another version
    assert a != V31  # not a string
    with pytest.raises(AttributeError):
        a.base_score = 1.0  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del a.version  # type: ignore[misc]
    with pytest.raises(TypeError):
        a.metrics["AV"] = "L"  # type: ignore[index]
    assert a.metrics["AV"] == "N"
    assert repr(a) == f"CvssVector({V31!r})"
    assert CvssVector(V31) is a
    assert CvssVector("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", version="3.1") is a
    assert pickle.loads(pickle.dumps(a)) == a
    assert copy.copy(a) is a and copy.deepcopy(a) is a
    v2 = parse_vector("(AV:N/AC:L/Au:N/C:C/I:C/A:C)")
    assert pickle.loads(pickle.dumps(v2)) == v2
    assert eval(repr(v2), {"CvssVector": CvssVector}) == v2


@pytest.mark.parametrize(
    ("vector", "severity"),
    [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", "NONE"),
        ("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", "LOW"),
        ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N", "MEDIUM"),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", "HIGH"),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CRITICAL"),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U", "HIGH"),  # of .score
        # v2: NVD's bands (no NONE, no CRITICAL)
        ("AV:N/AC:L/Au:N/C:N/I:N/A:N", "LOW"),
        ("AV:N/AC:M/Au:N/C:P/I:P/A:P", "MEDIUM"),
        ("AV:N/AC:L/Au:N/C:C/I:C/A:C", "HIGH"),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", "NONE"),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "CRITICAL"),
    ],
)
def test_severity_rating(vector: str, severity: str) -> None:
    assert parse_vector(vector).severity == severity


# --------------------------------------------------------------------------------------
# with_metrics
# --------------------------------------------------------------------------------------


def test_with_metrics_adds_changes_and_clears() -> None:
    v = parse_vector(V31)
    assert v.with_metrics() is v
    adjusted = v.with_metrics(MAV="A", E="P")
    assert str(adjusted) == V31 + "/E:P/MAV:A"
    assert adjusted.version == "3.1"
    assert adjusted.with_metrics(AV="L").metrics["AV"] == "L"
    assert adjusted.with_metrics(MAV=None, E="X") is v
    assert adjusted.with_metrics(MAV="X").with_metrics(E=None) is v
    assert v.with_metrics(MAV="X") is v  # clearing an undefined metric
    assert v.with_metrics(MAV="A") is adjusted.with_metrics(E=None)
    assert v.with_metrics(MAV="A") is v.with_metrics(MAV="A")  # cached
    v2 = parse_vector("AV:N/AC:L/Au:N/C:C/I:C/A:C/E:F")
    assert str(v2.with_metrics(E="ND", CDP="H")) == "AV:N/AC:L/Au:N/C:C/I:C/A:C/CDP:H"
    assert str(v2.with_metrics(E="X")) == str(v2.with_metrics(E=None)) == str(v2)[:-4]
    v4 = parse_vector("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
    assert v4.with_metrics(MAV="L", U="Red").score < v4.score


@pytest.mark.parametrize(
    ("changes", "reason", "metric"),
    [
        ({"AV": None}, "cannot clear mandatory base metric AV", "AV"),
        ({"S": "X"}, "cannot clear mandatory base metric S", "S"),
        ({"AV": "Q"}, "bad value 'Q' for AV (one of N, A, L, P)", "AV"),
        ({"AV": "n"}, "bad value 'n' for AV", "AV"),
        ({"MAV": 1}, "bad value 1 for MAV (one of X, N, A, L, P)", "MAV"),
        ({"MAV": ["A"]}, "bad value ['A'] for MAV", "MAV"),
        ({"Au": "N"}, "unknown metric 'Au' for CVSS v3.1", "Au"),
        ({"mav": "N"}, "unknown metric 'mav' for CVSS v3.1", "mav"),
        ({"E": "P", "AV": ""}, "bad value '' for AV", "AV"),
    ],
)
def test_with_metrics_errors(changes: dict[str, object], reason: str, metric: str) -> None:
    v = parse_vector(V31)
    with pytest.raises(InvalidVectorError) as info:
        v.with_metrics(**changes)  # type: ignore[arg-type]
    assert info.value.reason.startswith(reason)
    assert (info.value.metric, info.value.vector) == (metric, V31)


def test_with_metrics_v2_mandatory() -> None:
    v2 = parse_vector("AV:N/AC:L/Au:N/C:C/I:C/A:C")
    with pytest.raises(InvalidVectorError, match="cannot clear mandatory base metric Au"):
        v2.with_metrics(Au="ND")


# --------------------------------------------------------------------------------------
# Caching
# --------------------------------------------------------------------------------------


def test_caches_are_shared_and_bounded() -> None:
    first = parse_vector(" " + V31)
    assert parse_vector(" " + V31) is first  # raw-string cache
    assert parse_vector("CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N") is first  # canonical
    for cache in (vectors._parse_cached, vectors._canonical_vector, vectors._cached_changes):
        assert cache.cache_info().maxsize == CACHE_SIZE == 65536


def test_invalid_inputs_are_not_cached() -> None:
    before = vectors._parse_cached.cache_info().currsize
    for i in range(50):
        with pytest.raises(InvalidVectorError):
            parse_vector(f"CVSS:3.1/AV:{i}")
    assert vectors._parse_cached.cache_info().currsize == before


# --------------------------------------------------------------------------------------
# severity_for_score (Inspector's bands)
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "severity"),
    [
        (0.0, Severity.INFORMATIONAL),
        (0, Severity.INFORMATIONAL),
        (0.1, Severity.LOW),
        (3.9, Severity.LOW),
        (4.0, Severity.MEDIUM),
        (6.9, Severity.MEDIUM),
        (7.0, Severity.HIGH),
        (8.9, Severity.HIGH),
        (9.0, Severity.CRITICAL),
        (10.0, Severity.CRITICAL),
        (10, Severity.CRITICAL),
        (Decimal("6.5"), Severity.MEDIUM),
        (Fraction(39, 10), Severity.LOW),
        (3.95, Severity.LOW),
        (-0.0, Severity.INFORMATIONAL),
    ],
)
def test_severity_for_score(score: float, severity: Severity) -> None:
    assert severity_for_score(score) is severity


@pytest.mark.parametrize(
    "score", [math.nan, -0.1, 10.01, math.inf, -math.inf, 10**400, Decimal("NaN")]
)
def test_severity_for_score_rejects_out_of_range(score: float) -> None:
    with pytest.raises(ValueError, match=r"between 0\.0 and 10\.0"):
        severity_for_score(score)


@pytest.mark.parametrize("score", ["9.8", None, True, [9.8]])
def test_severity_for_score_rejects_non_numbers(score: object) -> None:
    with pytest.raises(TypeError):
        severity_for_score(score)  # type: ignore[arg-type]


def test_severity_for_score_agrees_with_every_one_decimal_score() -> None:
    for tenths in range(101):
        score = tenths / 10
        expected = (
            Severity.INFORMATIONAL
            if tenths == 0
            else Severity.LOW
            if tenths <= 39
            else Severity.MEDIUM
            if tenths <= 69
            else Severity.HIGH
            if tenths <= 89
            else Severity.CRITICAL
        )
        assert severity_for_score(score) is expected


# --------------------------------------------------------------------------------------
# Property tests: nothing but InvalidVectorError escapes, for any input
# --------------------------------------------------------------------------------------

VERSIONS = st.one_of(
    st.none(), st.sampled_from(["2", "2.0", "3.0", "3.1", "4.0"]), st.text(max_size=5)
)
ORDERS = {"2.0": V2_ORDER, "3.0": V3_ORDER, "3.1": V3_ORDER, "4.0": list(constants4.METRICS)}
VALUES = {
    "2.0": {m: list(v) for m, v in V2_WEIGHTS.items()},
    "3.0": V3_VALUES,
    "3.1": V3_VALUES,
    "4.0": V4_VALUES,
}
MANDATORY = {"2.0": V2_BASE, "3.0": V3_BASE, "3.1": V3_BASE, "4.0": constants4.METRICS_MANDATORY}


def check_parsed(v: CvssVector) -> None:
    """Invariants of any successfully parsed vector."""
    assert v.version in ("2.0", "3.0", "3.1", "4.0")
    assert parse_vector(str(v)) == v
    assert list(v.metrics) == [m for m in ORDERS[v.version] if m in v.metrics]
    assert all(value not in ("X", "ND") for value in v.metrics.values())
    for score in (v.base_score, v.temporal_score, v.environmental_score):
        assert score is None or (0.0 <= score <= 10.0 and round(score, 1) == score)
    assert v.score == next(
        s for s in (v.environmental_score, v.temporal_score, v.base_score) if s is not None
    )
    assert v.severity in ("NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL")


def check_error(err: InvalidVectorError) -> None:
    assert isinstance(err.vector, str) and isinstance(err.reason, str) and err.reason
    assert err.metric is None or isinstance(err.metric, str)
    assert str(err)


@st.composite
def valid_vectors(draw: st.DrawFn) -> tuple[str, str | None, str, dict[str, str]]:
    """(text, version argument, effective version, defined metrics) of a valid vector."""
    version = draw(st.sampled_from(["2.0", "3.0", "3.1", "4.0"]))
    values = VALUES[version]
    chosen = [m for m in ORDERS[version] if m in MANDATORY[version] or draw(st.booleans())]
    picked = {m: draw(st.sampled_from(values[m])) for m in chosen}
    order = draw(st.permutations(chosen))
    body = "/".join(f"{m}:{picked[m]}" for m in order)
    argument: str | None = None
    if version == "2.0":
        if draw(st.booleans()):
            body = f"({body})"
        argument = draw(st.sampled_from([None, "2", "2.0"]))
        text = body
    elif draw(st.booleans()):  # bare, with the version given
        argument, text = version, body
    else:
        argument = draw(st.sampled_from([None, version]))
        text = f"CVSS:{version}/{body}"
    ws = st.text(" \t\r\n", max_size=3)
    text = draw(ws) + text + draw(ws)
    defined = {m: v for m, v in picked.items() if v not in ("X", "ND")}
    return text, argument, version, defined


@given(valid_vectors())
def test_property_valid_vectors_parse_to_their_canonical_form(
    case: tuple[str, str | None, str, dict[str, str]],
) -> None:
    text, argument, version, defined = case
    v = parse_vector(text, version=argument)
    check_parsed(v)
    assert v.version == version
    assert dict(v.metrics) == defined
    prefix = "" if version == "2.0" else f"CVSS:{version}/"
    canonical = prefix + "/".join(f"{m}:{defined[m]}" for m in ORDERS[version] if m in defined)
    assert str(v) == canonical
    if version.startswith("3"):
        expected = tuple(as_float(x) for x in ref_v3(canonical, int(version[-1])))
        assert scores(v) == expected
    assert scores(v) == cvss_scores(canonical, version)


@given(st.text(), VERSIONS)
@example("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", None)
@example("\u017f", None)
@example("cv\u017fs:3.1/", None)
@example("\ud800", "3.1")
def test_property_random_text(text: str, version: str | None) -> None:
    try:
        v = parse_vector(text, version=version)
    except InvalidVectorError as err:
        check_error(err)
    else:
        check_parsed(v)


def _mutate(draw: st.DrawFn, text: str) -> str:
    parts = text.split("/")
    op = draw(
        st.sampled_from(
            [
                "insert_char",
                "delete_char",
                "replace_char",
                "delete_part",
                "duplicate_part",
                "swap_parts",
                "insert_part",
                "replace_part",
                "case",
                "prefix",
            ]
        )
    )
    chars = st.one_of(st.sampled_from("/:()ACEHILMNPRSTUVX.0134 \t"), st.characters())
    if op in ("insert_char", "delete_char", "replace_char"):
        i = draw(st.integers(0, len(text)))
        c = draw(chars)
        if op == "insert_char":
            return text[:i] + c + text[i:]
        if op == "delete_char":
            return text[:i] + text[i + 1 :]
        return text[:i] + c + text[i + 1 :]
    i = draw(st.integers(0, len(parts) - 1))
    j = draw(st.integers(0, len(parts) - 1))
    if op == "delete_part":
        del parts[i]
    elif op == "duplicate_part":
        parts.insert(j, parts[i])
    elif op == "swap_parts":
        parts[i], parts[j] = parts[j], parts[i]
    elif op in ("insert_part", "replace_part"):
        version = draw(st.sampled_from(list(VALUES)))
        metric = draw(st.sampled_from(list(VALUES[version])))
        value = draw(st.one_of(st.sampled_from(VALUES[version][metric]), st.text(max_size=3)))
        part = draw(
            st.sampled_from([f"{metric}:{value}", f"{metric}{value}", f"{metric}:{value}:"])
        )
        if op == "insert_part":
            parts.insert(i, part)
        else:
            parts[i] = part
    elif op == "case":
        parts[i] = parts[i].swapcase()
    else:
        parts[0] = draw(
            st.sampled_from(["CVSS:2.0", "CVSS:3.0", "CVSS:3.1", "CVSS:4.0", "CVSS:3", "CVSS"])
        )
    return "/".join(parts)


@st.composite
def mutated_vectors(draw: st.DrawFn) -> tuple[str, str | None]:
    text, argument, _, _ = draw(valid_vectors())
    for _ in range(draw(st.integers(1, 4))):
        text = _mutate(draw, text)
    return text, draw(st.one_of(st.just(argument), VERSIONS))


@given(mutated_vectors())
def test_property_mutated_vectors(case: tuple[str, str | None]) -> None:
    text, version = case
    try:
        v = parse_vector(text, version=version)
    except InvalidVectorError as err:
        check_error(err)
        assert err.vector == text
    else:
        check_parsed(v)


@given(
    valid_vectors(),
    st.dictionaries(
        st.one_of(
            st.sampled_from(sorted({m for o in ORDERS.values() for m in o})), st.text(max_size=4)
        ),
        st.one_of(
            st.none(),
            st.sampled_from(sorted({v for vs in VALUES.values() for x in vs.values() for v in x})),
            st.text(max_size=3),
            st.integers(),
        ),
        max_size=4,
    ),
)
def test_property_with_metrics(
    case: tuple[str, str | None, str, dict[str, str]], changes: dict[str, object]
) -> None:
    text, argument, _, _ = case
    v = parse_vector(text, version=argument)
    try:
        changed = v.with_metrics(**changes)  # type: ignore[arg-type]
    except InvalidVectorError as err:
        check_error(err)
        assert err.vector == str(v)
    else:
        check_parsed(changed)
        assert changed.version == v.version
        for metric, value in changes.items():
            if value in (None, "X", "ND"):
                assert metric not in changed.metrics
            else:
                assert changed.metrics[metric] == value


@given(st.one_of(st.none(), st.integers(), st.floats(), st.binary(), st.lists(st.text(max_size=3))))
def test_property_non_str(value: object) -> None:
    with pytest.raises(InvalidVectorError):
        parse_vector(value)  # type: ignore[arg-type]


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_property_severity_for_score(score: float) -> None:
    try:
        severity = severity_for_score(score)
    except ValueError:
        assert not 0.0 <= score <= 10.0
    else:
        assert 0.0 <= score <= 10.0
        assert severity in set(Severity) - {Severity.UNTRIAGED}


# --------------------------------------------------------------------------------------
# The typed wall
# --------------------------------------------------------------------------------------


def test_cvss_is_imported_only_inside_scoring() -> None:
    package = Path(vectors.__file__).resolve().parents[1]
    pattern = re.compile(r"^\s*(import cvss|from cvss\b)", re.MULTILINE)
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8")) and path.parent.name != "scoring"
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("score", "error", "match"),
    [
        ("high", "InvalidArgumentTypeError", "a score must be a real number, got str"),
        (10.5, "InvalidArgumentError", "a score must be between 0.0 and 10.0, got 10.5"),
        (-0.1, "InvalidArgumentError", "a score must be between 0.0 and 10.0"),
    ],
)
def test_severity_for_score_rejects_bad_scores(score: object, error: str, match: str) -> None:
    import inspector_kit.errors as errors

    with pytest.raises(getattr(errors, error), match=match) as info:
        severity_for_score(score)  # type: ignore[arg-type]
    assert isinstance(info.value, errors.InputError)


def test_version_by_position_is_deprecated_but_works() -> None:
    with pytest.warns(DeprecationWarning, match=r"parse_vector\(\): pass version by keyword"):
        assert parse_vector(V31.replace("3.1", "3.0"), "3.1") is parse_vector(V31)  # type: ignore[misc]
    with pytest.warns(DeprecationWarning, match="pass version by keyword"):
        assert CvssVector(V31, "3.1") is parse_vector(V31)  # type: ignore[misc]
    with pytest.raises(TypeError, match="multiple values for argument 'version'"):
        parse_vector(V31, "3.1", version="3.1")  # type: ignore[misc]
    with pytest.raises(TypeError):
        parse_vector(V31, "3.1", "extra")  # type: ignore[misc]
