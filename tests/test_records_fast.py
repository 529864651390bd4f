"""The fast paths of issue 19 give exactly what the slow paths give.

* PURLs are cached per distinct (package fields, platform): every cached answer equals the
  uncached build (``inspector_kit.purl._uncached_purl``), on the sample estate, the published
  spellings of tests/fixtures/purl, edge cases and generated packages.
* A finding's record is built without re-deriving anything per column: it equals the
  record the previous implementation built (kept below as the oracle).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector_kit import Finding, sample_findings
from inspector_kit._records import join_cell
from inspector_kit._values import _neutralise, _text
from inspector_kit.formats import FINDING_COLUMNS, to_arrow, to_csv, to_pandas, to_records
from inspector_kit.formats._frames import (
    _FLOAT_COLUMNS,
    CATEGORICAL_COLUMNS,
    ORDERED_CATEGORIES,
)
from inspector_kit.formats._records import record_columns, records_table
from inspector_kit.models import VulnerablePackage
from inspector_kit.purl import _clear_cache, _purl_strings, _uncached_purl, to_purl
from inspector_kit.testing import finding_payload

FIXTURES = Path(__file__).parent / "fixtures" / "purl" / "published_spellings.json"


def _estate_packages() -> list[tuple[VulnerablePackage, str | None]]:
    return [
        (package, finding.primary_resource.platform)
        for finding in sample_findings()
        for package in finding.vulnerable_packages
    ]


def _fixture_packages() -> list[tuple[VulnerablePackage, str | None]]:
    cases = json.loads(FIXTURES.read_text(encoding="utf-8"))["cases"]
    return [(VulnerablePackage.from_api(c["package"]), c["platform"]) for c in cases]


EDGE = [
    (
        {
            "name": "openssl",
            "version": "1.0.2k",
            "release": "1",
            "epoch": 1,
            "arch": "x86_64",
            "packageManager": "OS",
        },
        "AMAZON_LINUX_2",
    ),
    (
        {
            "name": "openssl",
            "version": "1.0.2k",
            "release": "1",
            "epoch": 1,
            "arch": "x86_64",
            "packageManager": "OS",
        },
        "UBUNTU_22_04",
    ),  # same package, other platform
    ({"name": "openssl", "version": "1.0.2k", "packageManager": "OS"}, None),
    ({"name": "openssl", "version": "1.0.2k", "packageManager": "OS"}, "WINDOWS_SERVER_2022"),
    (
        {"name": "bash", "version": "5.2", "release": "2", "epoch": 2, "packageManager": "OS"},
        "DEBIAN_12",
    ),
    ({"name": "go/stdlib", "version": "v1.24.1", "packageManager": "GENERIC"}, None),
    ({"name": "stdlib", "version": "1.21", "packageManager": "GOBINARY"}, None),
    ({"name": "log4j-core", "version": "2.14.1", "packageManager": "JAR"}, None),  # no group
    ({"name": "@types/node", "version": "20.1.0", "packageManager": "NPM"}, None),
    ({"name": "x", "version": "1", "packageManager": "GENERIC"}, None),
    ({"name": "x", "version": "1"}, None),  # no package manager
    ({"name": "requests", "version": "2.31.0", "packageManager": "PYTHON"}, None),  # open enum
    (
        {
            "name": "libcurl",
            "version": "8.5.0",
            "packageManager": "OS",
            "purl": "pkg:rpm/amazon/libcurl@8.5.0-1.amzn2023",
        },
        "AMAZON_LINUX_2023",
    ),
    (
        {"name": "libcurl", "version": "8.5.0", "packageManager": "OS", "purl": "not a purl"},
        "AMAZON_LINUX_2023",
    ),  # Inspector's purl invalid: built
    ({"name": "a/b", "version": "1", "packageManager": "PIP"}, None),  # does not re-parse
]


def _edge_packages() -> list[tuple[VulnerablePackage, str | None]]:
    return [(VulnerablePackage.from_api(api), platform) for api, platform in EDGE]


ALL = _estate_packages() + _fixture_packages() + _edge_packages()


@pytest.mark.parametrize("epoch_in_version", [False, True])
def test_cached_purls_equal_the_uncached_build(epoch_in_version: bool) -> None:
    _clear_cache()
    for _ in range(2):  # cold, then warm: both equal the slow path
        for package, platform in ALL:
            slow = _uncached_purl(package, platform=platform, epoch_in_version=epoch_in_version)
            fast = to_purl(package, platform=platform, epoch_in_version=epoch_in_version)
            assert fast == slow, (package, platform)
            assert str(fast) == str(slow)
    assert len(ALL) > 300  # the estate's packages are there, not only the edge cases
    assert any(to_purl(p, platform=pl) is None for p, pl in ALL)  # both kinds of answer
    assert any(to_purl(p, platform=pl) is not None for p, pl in ALL)


def test_purl_strings_are_the_printed_purls() -> None:
    _clear_cache()
    for finding in sample_findings():
        packages = finding.vulnerable_packages
        platform = finding.primary_resource.platform
        slow = [
            str(p)
            for p in (
                _uncached_purl(q, platform=platform, epoch_in_version=False) for q in packages
            )
            if p is not None
        ]
        assert _purl_strings(packages, platform) == slow
        assert [str(p) for p in finding.purls if p is not None] == slow


def test_a_returned_purl_cannot_change_the_cache() -> None:
    package, platform = _edge_packages()[0]
    first = to_purl(package, platform=platform)
    assert first is not None and isinstance(first.qualifiers, dict)
    first.qualifiers["arch"] = "changed"
    again = to_purl(package, platform=platform)
    assert again is not None and again.qualifiers["arch"] == "x86_64"
    assert _purl_strings([package], platform) == [
        "pkg:rpm/amazon/openssl@1.0.2k-1?arch=x86_64&distro=amazon-2&epoch=1"
    ]


_TEXT = st.sampled_from(["", "a", "b/c", "@s/n", "g:a", "stdlib", "go/stdlib", "1.0", "x y"])


@settings(max_examples=300, deadline=None)
@given(
    name=_TEXT.filter(bool),
    version=_TEXT,
    release=st.none() | _TEXT,
    epoch=st.none() | st.integers(0, 3),
    arch=st.none() | st.sampled_from(["x86_64", "AMD64", "arm64", "noarch"]),
    manager=st.none() | st.sampled_from(["OS", "PIP", "NPM", "JAR", "GOMOD", "GENERIC", "JAVA"]),
    own=st.none() | st.sampled_from(["pkg:pypi/a@1", "pkg:x", "bad", "pkg:npm/%40s/n@1"]),
    platform=st.none() | st.sampled_from(["AMAZON_LINUX_2", "DEBIAN_12", "ALPINE_3_19", "X"]),
    epoch_in_version=st.booleans(),
)
def test_generated_packages_cached_equal_uncached(
    name: str,
    version: str,
    release: str | None,
    epoch: int | None,
    arch: str | None,
    manager: str | None,
    own: str | None,
    platform: str | None,
    epoch_in_version: bool,
) -> None:
    """Not cleared between examples: a key missing a field would answer from another package."""
    package = VulnerablePackage(
        name=name,
        version=version,
        release=release,
        epoch=epoch,
        arch=arch,
        package_manager=manager,
        purl=own,
    )
    kwargs = {"platform": platform, "epoch_in_version": epoch_in_version}
    assert to_purl(package, **kwargs) == _uncached_purl(package, **kwargs)  # type: ignore[arg-type]


# --- records --------------------------------------------------------------------------------


def _old_value(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _old_record(finding: Finding) -> dict[str, Any]:
    """The record as issue 19 found it built (the oracle), PURLs from the uncached path."""
    resource = finding.primary_resource
    purls = [
        _uncached_purl(p, platform=resource.platform, epoch_in_version=False)
        for p in finding.vulnerable_packages
    ]
    commands = join_cell(p.remediation for p in finding.vulnerable_packages if p.remediation)
    if commands is None:
        recommendation = finding.remediation.recommendation
        text = recommendation.text if recommendation is not None else None
        commands = text if text and text != "None Provided" else None
    return {
        "finding_arn": finding.finding_arn,
        "aws_account_id": finding.aws_account_id,
        "region": finding.region,
        "type": _old_value(finding.type),
        "severity": _old_value(finding.severity),
        "status": _old_value(finding.status),
        "title": finding.title,
        "vulnerability_id": finding.vulnerability_id,
        "inspector_score": finding.inspector_score,
        "epss_score": finding.epss_score,
        "exploit_available": _old_value(finding.exploit_available),
        "fix_available": _old_value(finding.fix_available),
        "first_observed_at": finding.first_observed_at,
        "last_observed_at": finding.last_observed_at,
        "updated_at": finding.updated_at,
        "resource_type": _old_value(resource.type),
        "resource_id": resource.id,
        "resource_short_name": resource.short_name,
        "packages": join_cell(p.name for p in finding.vulnerable_packages),
        "purls": join_cell(str(p) for p in purls if p is not None),
        "fixed_in": join_cell(
            f"{p.name} {p.fixed_in_version}" for p in finding.vulnerable_packages if p.has_fix
        ),
        "remediation": commands,
        **dict(zip(_BASE, _old_base(finding), strict=True)),
        "cvss_score": None if finding.cvss is None else finding.cvss.score,
    }


_BASE = ("cvss_vector", "cvss_version", "cvss_source")


def _old_base(finding: Finding) -> tuple[str | None, str | None, str | None]:
    """The v3 entry rescoring starts from, by its documented rule (docs/scoring.md), written out.

    The vulnerability's own source's v3.x entry, else NVD's, else any other source's; within
    one source 3.1 before 3.0, the first listed among equals; with no v3.x entry, Inspector's
    adjusted v3 vector; network reachability and code findings have none.
    """
    if str(finding.type) != "PACKAGE_VULNERABILITY":
        return None, None, None
    pvd = finding.package_vulnerability_details
    entries = [e for e in (pvd.cvss or ()) if e.version.startswith("3")] if pvd else []
    for wanted in ((pvd.source,) if pvd else ()), ("NVD",), None:
        group = [e for e in entries if wanted is None or e.source in wanted]
        for version in ("3.1", "3.0", None):
            chosen = [e for e in group if version is None or e.version == version]
            if chosen:
                return chosen[0].scoring_vector, chosen[0].version, chosen[0].source
    details = finding.inspector_score_details
    adjusted = details.adjusted_cvss if details is not None else None
    if adjusted is not None and adjusted.version.strip().startswith("3"):
        return (
            adjusted.scoring_vector,
            adjusted.version,
            adjusted.cvss_source or adjusted.score_source,
        )
    return None, None, None


def _package(**api: Any) -> dict[str, Any]:
    return {"name": "x", "version": "1", "packageManager": "PIP", **api}


def _edge_findings() -> list[Finding]:
    details = {"vulnerabilityId": "CVE-2026-0001", "source": "NVD"}
    payloads = [
        finding_payload(),
        finding_payload(
            severity="NEW_SEVERITY",
            status="NEW_STATUS",
            type="NEW_TYPE",
            exploitAvailable="MAYBE",
            fixAvailable="SOMEDAY",
        ),  # open enums
        finding_payload(remediation={"recommendation": {"text": "None Provided"}}),
        finding_payload(remediation={"recommendation": {"text": ""}}),
        finding_payload(remediation={}),
        finding_payload(packageVulnerabilityDetails={**details, "vulnerablePackages": []}),
        finding_payload(
            packageVulnerabilityDetails={
                **details,
                "vulnerablePackages": [
                    _package(name="", remediation=""),  # empty text parts
                    _package(name="", fixedInVersion="NotAvailable"),
                ],
            }
        ),
        finding_payload(
            packageVulnerabilityDetails={
                **details,
                "vulnerablePackages": [
                    _package(name="a", fixedInVersion="2", remediation="pip install a==2"),
                    _package(name="b", packageManager="GENERIC"),  # no PURL
                    _package(name="a", fixedInVersion="2", remediation="pip install a==2"),
                ],
            }
        ),
    ]
    return [Finding.from_api(p) for p in payloads]


def test_records_equal_the_previous_implementation() -> None:
    findings = [*sample_findings(), *_edge_findings()]
    _clear_cache()
    rows = to_records(findings)
    assert rows == [_old_record(f) for f in findings]
    assert all(tuple(row) == FINDING_COLUMNS for row in rows)
    # Types too (== would let 1 == 1.0 == True through).
    for row, finding in zip(rows, findings, strict=True):
        old = _old_record(finding)
        assert {k: type(v) for k, v in row.items()} == {k: type(v) for k, v in old.items()}
    edge = rows[len(rows) - len(_edge_findings()) :]
    assert edge[1]["severity"] == "NEW_SEVERITY" and edge[1]["exploit_available"] == "MAYBE"
    assert edge[2]["remediation"] is None and edge[6]["packages"] is None
    assert edge[7]["packages"] == "a;b" and edge[7]["purls"] == "pkg:pypi/a@1"


# --- CSV ------------------------------------------------------------------------------------


def _old_csv(items: object) -> str:
    """``to_csv`` as issue 19 found it: every cell converted on its own (the oracle)."""
    columns, rows = records_table(items)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if rows:
        writer.writerow(_neutralise(name) for name in columns)
        for row in rows:
            writer.writerow(
                _neutralise(v) if isinstance(v, str) else _text(v)
                for v in (row.get(name) for name in columns)
            )
    return out.getvalue()


class _Text(str):
    """A str subclass (a user's own row may hold one)."""


_UTC = timezone.utc
_PLUS2 = timezone(timedelta(hours=2))
_INSTANT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=_UTC)

EDGE_ROWS: list[dict[str, Any]] = [
    {"text": "=1+2", "n": 1, "x": 1.5, "when": _INSTANT, "day": date(2026, 1, 2)},
    {"text": "-2", "n": -2, "x": float("nan"), "when": _INSTANT, "day": None},
    {"text": None, "n": None, "x": None, "when": None, "flag": True},
    {"text": "", "n": 10**20, "x": -0.0, "when": _INSTANT.astimezone(_PLUS2), "flag": False},
    {"text": "@x", "money": Decimal("1E+3"), "when": datetime(2026, 1, 2, 3, 4, 5)},  # naive
    {"text": "\tx", "mixed": "a", "when": datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=_UTC)},
    {"text": "\rx", "mixed": 3, "sub": _Text("=sub")},
    {"text": "+x", "mixed": Decimal("0.10"), "sub": _Text("ok"), "only": 'a,b"c\nd'},
]

# Columns of one type each, as the fast paths see them (UTC timestamps, text with a trigger).
UTC_ROWS: list[dict[str, Any]] = [
    {"at": _INSTANT + timedelta(seconds=n % 3), "text": f"{'=' if n == 2 else ''}t{n}"}
    for n in range(6)
]


@pytest.mark.parametrize(
    "items",
    [
        pytest.param(lambda: list(sample_findings()) + _edge_findings(), id="estate+edge"),
        pytest.param(lambda: EDGE_ROWS, id="mixed-rows"),
        pytest.param(lambda: UTC_ROWS, id="utc-rows"),
        pytest.param(lambda: [_INSTANT.astimezone(_PLUS2), _INSTANT], id="instants"),
        pytest.param(list, id="empty"),
        pytest.param(lambda: [{}, {}], id="no-columns"),
        pytest.param(lambda: [*list(sample_findings())[:3], {"extra": "=x"}], id="findings+row"),
    ],
)
def test_csv_equals_the_cell_by_cell_writer(items: Any) -> None:
    data = items()
    if data and isinstance(data[0], datetime):  # equal instants, other offsets: both kept
        data = [{"at": data[0]}, {"at": data[1]}]
    assert to_csv(data) == _old_csv(data)


def test_csv_fast_paths_keep_formula_safety_and_offsets() -> None:
    text = to_csv([*UTC_ROWS, {"at": _INSTANT.astimezone(_PLUS2), "text": "-1"}])
    assert "'=t2" in text and "'-1" in text
    assert "2026-01-02T05:04:05+02:00" in text and "2026-01-02T03:04:06+00:00" in text


# --- columns, pandas and Arrow ----------------------------------------------------------------


def test_finding_columns_are_the_records_transposed() -> None:
    findings = [*sample_findings(), *_edge_findings()]
    names, columns, count = record_columns(findings)
    old = [_old_record(f) for f in findings]
    assert names == list(FINDING_COLUMNS) and count == len(findings)
    for name in names:
        values = [row[name] for row in old]
        assert columns[name] == values, name
        assert [type(v) for v in columns[name]] == [type(v) for v in values], name


def _old_kind(name: str, values: list[Any]) -> str:
    present = [v for v in values if v is not None]
    if name in CATEGORICAL_COLUMNS and all(isinstance(v, str) for v in present):
        return "category"
    if not present:
        if name in _FLOAT_COLUMNS:
            return "float"
        return "timestamp" if name.endswith("_at") else "string"
    if all(isinstance(v, datetime) for v in present):
        return "timestamp"
    if all(isinstance(v, date) and not isinstance(v, datetime) for v in present):
        return "date"
    if all(isinstance(v, bool) for v in present):
        return "bool"
    if all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in present):
        if any(isinstance(v, Decimal) for v in present):
            return "decimal"
        return "float" if any(isinstance(v, float) for v in present) else "int"
    return "string"


def _old_cell(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "decimal":
        return value if isinstance(value, Decimal) else Decimal(str(value))
    if kind in ("string", "category"):
        return str(value)
    return value


def _old_order(name: str, values: list[Any]) -> list[str] | None:
    order = ORDERED_CATEGORIES.get(name)
    if order is None:
        return None
    present = {v for v in values if v is not None}
    extra = sorted(present - set(order))
    if name == "status" and present and not present & set(order):
        return None
    return [*extra, *order]


def _old_columns(items: object) -> dict[str, list[Any]]:
    names, rows = records_table(items)
    return {name: [row.get(name) for row in rows] for name in names}


def _old_pandas(items: object, *, excel_safe: bool = False) -> Any:
    """``to_pandas`` as issue 19 found it: through the records, cell by cell (the oracle)."""
    pd = pytest.importorskip("pandas")
    data: dict[str, Any] = {}
    for name, raw in _old_columns(items).items():
        kind = _old_kind(name, raw)
        values = [_old_cell(kind, v) for v in raw]
        if excel_safe and kind in ("string", "category"):
            values = [_neutralise(v) if isinstance(v, str) else v for v in values]
        order = _old_order(name, values) if kind == "category" else None
        if kind == "timestamp":
            series = pd.Series(pd.to_datetime(values, utc=True)).astype("datetime64[ns, UTC]")
            if excel_safe:
                series = series.dt.tz_localize(None)
        elif order is not None:
            series = pd.Series(pd.Categorical(values, categories=order, ordered=True))
        elif kind in ("decimal", "date"):
            series = pd.Series(values, dtype=object)
        else:
            dtype = {"float": "Float64", "int": "Int64", "bool": "boolean"}.get(kind, kind)
            series = pd.Series(values, dtype=dtype)
        data[name] = series
    return pd.DataFrame(data)


def _old_arrow(items: object) -> Any:
    pa = pytest.importorskip("pyarrow")
    types = {
        "timestamp": pa.timestamp("us", tz="UTC"),
        "date": pa.date32(),
        "bool": pa.bool_(),
        "int": pa.int64(),
        "float": pa.float64(),
        "string": pa.string(),
        "category": pa.string(),
        "decimal": None,
    }
    arrays: dict[str, Any] = {}
    for name, raw in _old_columns(items).items():
        kind = _old_kind(name, raw)
        values = [_old_cell(kind, v) for v in raw]
        order = _old_order(name, values) if kind == "category" else None
        if order is not None:
            index = {category: i for i, category in enumerate(order)}
            indices = pa.array([None if v is None else index[v] for v in values], pa.int32())
            arrays[name] = pa.DictionaryArray.from_arrays(
                indices, pa.array(order, pa.string()), ordered=True
            )
            continue
        array = pa.array(values, type=types[kind])
        arrays[name] = array.dictionary_encode() if kind == "category" else array
    return pa.table(arrays)


def _frame_inputs() -> list[Any]:
    """Findings, rows of every kind and mix, and results of other shapes."""
    from inspector_kit.pricing import Usage, estimate
    from inspector_kit.sample import sample_inventory
    from inspector_kit.triage import rank

    findings = [*sample_findings(), *_edge_findings()]
    pd = pytest.importorskip("pandas")
    # An int beyond int64 makes the oracle raise OverflowError (to_pandas keeps it exact
    # now: tests/test_frames_fast.py).
    edge_rows = [{**r, "n": 7} if r.get("n") == 10**20 else r for r in EDGE_ROWS]
    return [
        findings,
        edge_rows,
        UTC_ROWS,
        [{"severity": "HIGH", "status": "ACTIVE"}, {"severity": "NEW", "status": "OTHER"}],
        [{"status": "COVERED"}, {"status": None}],  # not finding statuses: unordered
        [{"created_at": None, "score": None, "note": None, "n": 1}],  # columns of no value
        [{"n": 1}, {"n": True}, {"n": 2.5}],  # bool among numbers: text
        [{"n": 1}, {"n": Decimal("2.5")}],
        [{"when": pd.Timestamp("2026-01-02", tz="UTC")}, {"when": _INSTANT}],
        [{"day": date(2026, 1, 2)}, {"day": datetime(2026, 1, 2)}],  # a datetime is a date
        [{"type": 3, "title": _Text("=t")}, {"type": None, "title": "-x"}],
        sample_inventory().analyze(),
        estimate(Usage(agent_based_hours=720), region="us-east-1"),
        rank(findings),
        [],
    ]


@pytest.mark.parametrize("excel_safe", [False, True])
def test_to_pandas_equals_the_record_by_record_frame(excel_safe: bool) -> None:
    pd = pytest.importorskip("pandas")
    for items in _frame_inputs():
        new = to_pandas(items, excel_safe=excel_safe)
        old = _old_pandas(items, excel_safe=excel_safe)
        assert list(new.dtypes) == list(old.dtypes), items
        pd.testing.assert_frame_equal(new, old, check_exact=True, check_categorical=True)


def test_to_arrow_equals_the_record_by_record_table() -> None:
    for items in _frame_inputs():
        new, old = to_arrow(items), _old_arrow(items)
        assert new.schema == old.schema, items
        for name in new.column_names:  # NaN is not equal to itself: compare the text too
            assert repr(new.column(name).to_pylist()) == repr(old.column(name).to_pylist())
        without_nan = [name for name in new.column_names if name != "x"]
        assert new.select(without_nan).equals(old.select(without_nan))
