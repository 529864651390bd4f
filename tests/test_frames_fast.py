"""``to_pandas``'s fast column builders give exactly the frame of the plain constructors.

Issue 19: categoricals are built from their codes and text through one Arrow array. The
oracle is ``_old_pandas`` of tests/test_records_fast.py (``to_pandas`` as issue 19 found it,
record by record), and each builder is also compared with the pandas constructor it
replaces. Integers beyond int64 no longer raise: they stay exact in an ``object`` column.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from inspector_kit import Finding, sample_findings
from inspector_kit.errors import RecordsError
from inspector_kit.formats import to_arrow, to_pandas
from inspector_kit.formats._frames import _categorical, _categories, _string_builder
from inspector_kit.testing import finding_payload

from .test_records_fast import EDGE_ROWS, UTC_ROWS, _edge_findings, _old_pandas

pd = pytest.importorskip("pandas")

_UNICODE = ["é", "e\u0301", "日本語", "😀 emoji", "\u202eRTL", "", "a\x00b", "ﬁ", "İ"]


def _unicode_findings() -> list[Finding]:
    return [
        Finding.from_api(finding_payload(title=text, description=text, type=f"T{n}"))
        for n, text in enumerate(_UNICODE)
    ]


def _minimal_findings() -> list[Finding]:
    """Findings with every optional member left out (scores, EPSS, packages, updatedAt...)."""
    payload = finding_payload()
    required = {"findingArn", "awsAccountId", "type", "description", "severity", "status"}
    required |= {"firstObservedAt", "lastObservedAt", "remediation", "resources"}
    return [Finding.from_api({k: v for k, v in payload.items() if k in required})]


def _equal(new: Any, old: Any) -> None:
    assert list(new.columns) == list(old.columns)
    assert list(new.dtypes) == list(old.dtypes)
    pd.testing.assert_frame_equal(new, old, check_exact=True, check_categorical=True)
    for name in new.columns:  # the Arrow type under a string column too
        if str(new[name].dtype) == "string":
            assert type(new[name].array) is type(old[name].array), name
            if hasattr(old[name].array, "_pa_array"):
                assert new[name].array._pa_array.type == old[name].array._pa_array.type


CASES = {
    "sample estate": lambda: list(sample_findings()),
    "edge findings": _edge_findings,
    "unicode": _unicode_findings,
    "missing optional fields": _minimal_findings,
    "empty": list,
    "edge rows": lambda: [{**r, "n": 7} if r.get("n") == 10**20 else r for r in EDGE_ROWS],
    "utc rows": lambda: UTC_ROWS,
    "NaN scores": lambda: [{"score": float("nan")}, {"score": 1.5}, {"score": None}],
    "unicode rows": lambda: [{"queue": t, "title": t} for t in [*_UNICODE, None]],
    "no value": lambda: [{"severity": None, "type": None, "title": None}],
    "open enums": lambda: [{"severity": "NEW"}, {"severity": "LOW"}, {"severity": "AAA"}],
    "categorical of numbers": lambda: [{"exposure": 1}, {"exposure": 2}],
}


@pytest.mark.parametrize("excel_safe", [False, True])
@pytest.mark.parametrize("case", sorted(CASES))
def test_to_pandas_equals_the_reference(case: str, excel_safe: bool) -> None:
    items = CASES[case]()
    _equal(to_pandas(items, excel_safe=excel_safe), _old_pandas(items, excel_safe=excel_safe))


def test_python_string_storage_uses_pandas_constructor() -> None:
    with pd.option_context("mode.string_storage", "python"):
        if pd.StringDtype().storage != "python":
            pytest.skip("this pandas ignores mode.string_storage")
        assert _string_builder(pd) is None
        items = list(sample_findings())
        _equal(to_pandas(items), _old_pandas(items))


def test_string_builder_equals_the_pandas_constructor() -> None:
    build = _string_builder(pd)
    if build is None:
        pytest.skip("pandas keeps text in Python objects here")
    for values in ([*_UNICODE, None], [], [None, None], ["x" * 100_000]):
        expected = pd.Series(values, dtype="string")
        pd.testing.assert_series_equal(build(values), expected, check_exact=True)


def test_string_builder_falls_back_as_pandas_fails() -> None:
    build = _string_builder(pd)
    if build is None:
        pytest.skip("pandas keeps text in Python objects here")
    values = ["ok", "\ud800"]  # a lone surrogate: not UTF-8, Arrow cannot hold it
    try:
        expected = pd.Series(values, dtype="string")
    except Exception as exc:  # whatever pandas raises, the builder raises too
        with pytest.raises(type(exc)):
            build(values)
    else:
        pd.testing.assert_series_equal(build(values), expected, check_exact=True)


@pytest.mark.parametrize("ordered", [False, True])
def test_categorical_from_codes_equals_the_constructor(ordered: bool) -> None:
    values = ["LOW", None, "HIGH", "LOW", "é", "CRITICAL", None]
    categories = _categories(values)
    assert categories == ["CRITICAL", "HIGH", "LOW", "é"]  # sorted distinct text
    new = _categorical(pd, values, categories, ordered=ordered)
    old = pd.Categorical(values, categories=categories, ordered=ordered)
    pd.testing.assert_extension_array_equal(new, old)
    if not ordered:  # the categories pandas infers itself
        pd.testing.assert_extension_array_equal(new, pd.Categorical(values))
    assert _categories([None]) is None and _categories(["a", 1]) is None


def test_integers_beyond_int64_stay_exact() -> None:
    rows = [{"n": 2**63}, {"n": -(2**63) - 1}, {"n": None}, {"n": 10**30}]
    with pytest.raises(OverflowError):  # what to_pandas did before
        _old_pandas(rows)
    frame = to_pandas(rows)
    assert frame["n"].dtype == object
    assert frame["n"].tolist() == [2**63, -(2**63) - 1, None, 10**30]
    assert all(type(v) is int for v in frame["n"].dropna())


def test_arrow_integers_beyond_int64_become_exact_decimals() -> None:
    pa = pytest.importorskip("pyarrow")
    rows = [{"n": 2**63}, {"n": -(2**63) - 1}, {"n": None}, {"n": 10**30}]
    table = to_arrow(rows)
    assert table.schema.field("n").type == pa.decimal128(38, 0)
    assert [None if v is None else int(v) for v in table.column("n").to_pylist()] == [
        2**63,
        -(2**63) - 1,
        None,
        10**30,
    ]
    assert to_arrow([{"n": -(10**75)}]).schema.field("n").type == pa.decimal256(76, 0)
    assert to_arrow([{"n": 2**63 - 1}]).schema.field("n").type == pa.int64()
    with pytest.raises(RecordsError, match="column 'n': an integer of 81 digits"):
        to_arrow([{"n": 10**80}])


def test_integers_at_the_int64_bounds_stay_int64() -> None:
    rows = [{"n": 2**63 - 1}, {"n": -(2**63)}, {"n": None}]
    frame = to_pandas(rows)
    assert str(frame["n"].dtype) == "Int64"
    assert frame["n"].tolist()[:2] == [2**63 - 1, -(2**63)]
    _equal(frame, _old_pandas(rows))


def test_timestamps_stay_utc() -> None:
    frame = to_pandas(list(sample_findings()))
    first = min(f.first_observed_at for f in sample_findings())
    assert frame["first_observed_at"].min() == pd.Timestamp(first)
    assert frame["first_observed_at"].dt.tz is not None
    assert str(frame["first_observed_at"].dt.tz) == str(timezone.utc)
    assert isinstance(frame["first_observed_at"].iloc[0].to_pydatetime(), datetime)
