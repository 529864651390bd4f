"""OCSF Vulnerability Findings: read (JSON and Parquet) and write Inspector's records (issue 17)."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from inspector_kit import Finding, load_findings
from inspector_kit.errors import FindingParseError, InputError, SourceFormatError
from inspector_kit.formats import OCSF_NOT_CARRIED, OCSF_VERSION, MissingExtraError, to_ocsf
from inspector_kit.sample import sample_findings
from inspector_kit.scoring import rescore

FIXTURES = Path(__file__).parent / "fixtures"
PAGE = FIXTURES / "ocsf" / "security_hub_get_findings_v2.json"
EVENT_V2 = FIXTURES / "ocsf" / "findings_imported_v2_event.json"
SCHEMA = FIXTURES / "ocsf" / "vulnerability_finding.schema.json"
INSPECTOR_EVENT = FIXTURES / "aws_examples" / "eventbridge_ec2_package.json"


def _page() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(PAGE.read_text())
    return data


def _record() -> dict[str, Any]:
    record: dict[str, Any] = _page()["Findings"][0]
    return record


def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _one(source: Any) -> Finding:
    loaded = load_findings(source)
    findings = list(loaded)
    assert loaded.errors == [], loaded.errors
    assert len(findings) == 1
    return findings[0]


# ---------------------------------------------------------------------------- reading


def test_get_findings_v2_page_reads_the_inspector_record_and_skips_guardduty() -> None:
    loaded = load_findings(PAGE)
    findings = list(loaded)
    assert loaded.errors == []
    assert [f.finding_arn for f in findings] == [_record()["finding_info"]["uid"]]
    (skipped,) = loaded.skipped
    assert "'GuardDuty'" in skipped.reason
    assert "'Detection Finding' (2004)" in skipped.reason
    assert "not an Amazon Inspector vulnerability finding" in skipped.reason


def test_ocsf_record_maps_to_the_same_finding_as_the_inspector_event() -> None:
    from_ocsf = _one(_record()).to_api()
    from_event = _one(INSPECTOR_EVENT).to_api()
    # Every member OCSF carries is equal to what Inspector's own event says.
    for key in (
        "findingArn",
        "awsAccountId",
        "title",
        "description",
        "severity",
        "status",
        "type",
        "inspectorScore",
        "fixAvailable",
        "exploitAvailable",
        "epss",
        "firstObservedAt",
        "lastObservedAt",
        "updatedAt",
        "remediation",
        "packageVulnerabilityDetails",  # CVE, CVSS with sources, packages, vendor data
    ):
        assert from_ocsf[key] == from_event[key], key
    (resource,) = from_ocsf["resources"]
    (expected,) = from_event["resources"]
    assert resource["id"] == "i-0a1b2c3d4e5f60718"  # the instance ARN, read as its id
    for key in ("type", "partition", "region", "provider"):
        assert resource[key] == expected[key], key
    assert resource["details"]["awsEc2Instance"] == expected["details"]["awsEc2Instance"]


def test_findings_imported_v2_event_holds_the_same_finding() -> None:
    assert _one(EVENT_V2) == _one(_record())
    event = json.loads(EVENT_V2.read_text())
    assert _one(event) == _one(_record())  # decoded, as a Lambda handler gets it


def test_a_saved_list_and_json_lines_of_ocsf_records_are_read() -> None:
    records = [_record(), _record()]
    assert len(list(load_findings(records))) == 2
    text = "\n".join(json.dumps(r) for r in records)
    assert len(list(load_findings(text))) == 2


def test_an_inspector_record_of_another_class_is_skipped_with_its_class() -> None:
    record = _record()
    record.update(class_uid=2003, class_name="Compliance Finding")
    loaded = load_findings([record])
    assert list(loaded) == []
    (skipped,) = loaded.skipped
    assert "'Inspector'" in skipped.reason
    assert "'Compliance Finding' (2003)" in skipped.reason


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ({"class_uid": 2002, "finding_info": {"uid": "x"}}, "dict"),
        ('{"category_uid": 2, "type_uid": 200201}', "JSON object"),
    ],
)
def test_an_object_that_looks_like_ocsf_but_holds_none_says_so(source: Any, what: str) -> None:
    with pytest.raises(SourceFormatError, match="looks like OCSF but holds no OCSF record"):
        list(load_findings(source))


def test_a_malformed_ocsf_record_is_one_error_and_loading_goes_on() -> None:
    bad = _record()
    bad["vulnerabilities"] = [{"cve": "CVE-2024-26581"}]  # an object in OCSF
    loaded = load_findings([bad, _record()])
    assert len(list(loaded)) == 1
    (issue,) = loaded.errors
    assert issue.index == 0
    assert isinstance(issue.error, FindingParseError)
    assert "not a valid OCSF record" in str(issue.error)
    with pytest.raises(FindingParseError):
        list(load_findings([bad], strict=True))


@pytest.mark.parametrize(
    ("spoil", "path"),
    [
        (lambda v: v.pop("vendor_name"), "vulnerabilities[0].vendor_name"),
        (
            lambda v: v["cve"]["cvss"][1].pop("vendor_name"),
            "vulnerabilities[0].cve.cvss[1].vendor_name",
        ),
    ],
)
def test_a_missing_source_is_named_by_its_ocsf_attribute(spoil: Any, path: str) -> None:
    record = _record()
    spoil(record["vulnerabilities"][0])
    loaded = load_findings([record])
    assert list(loaded) == []
    (issue,) = loaded.errors
    assert str(issue.error).startswith(f"{path}")
    assert "required member is missing" in str(issue.error)


@pytest.mark.parametrize(
    ("changes", "severity", "status"),
    [
        ({"severity_id": 0}, "UNTRIAGED", "ACTIVE"),
        ({"severity_id": 5}, "CRITICAL", "ACTIVE"),
        ({"severity_id": 6}, "CRITICAL", "ACTIVE"),  # Fatal: Inspector's highest is CRITICAL
        ({"severity_id": 99, "severity": "low"}, "LOW", "ACTIVE"),
        ({"status_id": 2}, "MEDIUM", "ACTIVE"),  # In Progress
        ({"status_id": 3}, "MEDIUM", "SUPPRESSED"),
        ({"status_id": 4}, "MEDIUM", "CLOSED"),  # Resolved
        ({"activity_id": 3, "status_id": 1}, "MEDIUM", "CLOSED"),  # Security Hub: Close
    ],
)
def test_severity_and_status(changes: dict[str, Any], severity: str, status: str) -> None:
    record = _record()
    record.update(changes)
    finding = _one(record)
    assert (finding.severity, finding.status) == (severity, status)


def test_times_are_epoch_milliseconds_or_the_dt_twins() -> None:
    record = _record()
    finding = _one(record)
    assert finding.first_observed_at == dt.datetime(2025, 3, 11, 8, 14, 27, 519000, dt.timezone.utc)
    info = record["finding_info"]
    del info["modified_time"]
    info["modified_time_dt"] = "2025-03-12T10:00:00.250Z"
    assert _one(record).updated_at == dt.datetime(2025, 3, 12, 10, 0, 0, 250000, dt.timezone.utc)
    del info["modified_time_dt"]  # then the record's own time
    assert _one(record).updated_at == dt.datetime(2025, 3, 11, 8, 15, 2, 207000, dt.timezone.utc)


# ---------------------------------------------------------------------------- writing


def test_to_ocsf_writes_vulnerability_findings_of_the_current_version() -> None:
    findings = list(sample_findings())
    records = to_ocsf(findings)
    assert len(records) == len(findings)
    assert OCSF_VERSION == "1.6.0"  # Security Hub's OCSF version (docs/facts.md#ocsf)
    for record, finding in zip(records, findings, strict=True):
        assert record["class_uid"] == 2002
        assert record["type_uid"] == 200200 + record["activity_id"]
        assert record["metadata"]["version"] == OCSF_VERSION
        assert record["finding_info"]["uid"] == finding.finding_arn
        json.dumps(record)  # JSON-ready: no datetimes
    assert to_ocsf(findings[:1], version="1.1.0")[0]["metadata"]["version"] == "1.1.0"
    with pytest.raises(InputError):
        to_ocsf(findings, version="")


def test_every_sample_finding_is_valid_against_the_published_schema() -> None:
    validator = _validator()
    records = to_ocsf(sample_findings())
    problems = [
        f"{r['finding_info']['uid']}: {e.json_path}: {e.message}"
        for r in records
        for e in validator.iter_errors(r)
    ]
    assert problems == []
    assert list(validator.iter_errors(_record())) == []  # the fixture too


@pytest.mark.parametrize(
    "spoil",
    [
        lambda r: r.pop("finding_info"),
        lambda r: r.update(severity_id=7),
        lambda r: r.update(class_uid=2004),
        lambda r: r["vulnerabilities"][0]["cve"].pop("uid"),
        lambda r: r["vulnerabilities"][0]["cve"]["cvss"][0].pop("version"),
        lambda r: r["vulnerabilities"][0].pop("cve"),  # neither cve nor cwe
        lambda r: r["vulnerabilities"][0]["affected_packages"][0].update(epoch="0"),
        lambda r: r.update(time="2025-03-11T08:15:02Z"),  # epoch milliseconds, not text
    ],
)
def test_the_schema_rejects_what_ocsf_forbids(spoil: Any) -> None:
    record = copy.deepcopy(_record())
    spoil(record)
    assert list(_validator().iter_errors(record)) != []


def _differences(a: Any, b: Any, path: str = "") -> Iterator[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            yield from _differences(a.get(key), b.get(key), f"{path}.{key}" if path else key)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for x, y in zip(a, b, strict=True):
            yield from _differences(x, y, f"{path}[]")
    elif a != b:
        yield path


def _not_carried_paths() -> set[str]:
    return {entry.split(" ")[0] for entry in OCSF_NOT_CARRIED}


def _covering(path: str) -> str | None:
    """The most precise OCSF_NOT_CARRIED path that ``path`` is (or is inside), if any."""
    entries = [e for e in _not_carried_paths() if path == e or path.startswith(f"{e}.")]
    return max(entries, key=len, default=None)


def test_round_trip_of_every_sample_finding_loses_only_what_ocsf_cannot_carry() -> None:
    findings = list(sample_findings())
    loaded = load_findings({"Findings": to_ocsf(findings)})
    back = list(loaded)
    assert loaded.errors == [] and loaded.skipped == []
    assert [f.finding_arn for f in back] == [f.finding_arn for f in findings]
    differing: set[str] = set()
    for original, read in zip(findings, back, strict=True):
        differing.update(_differences(original.to_api(), read.to_api()))
    # The members that differ are exactly those documented as not carried, apart from three
    # the sample cannot show (checked below with findings built for them).
    assert {p for p in differing if _covering(p) is None} == set()
    unseen = {
        "codeVulnerabilityDetails.sourceLambdaLayerArn",
        "codeVulnerabilityDetails",
        "times",
    }
    assert {_covering(p) for p in differing} == _not_carried_paths() - unseen
    assert unseen <= _not_carried_paths()
    same = sum(a == b for a, b in zip(findings, back, strict=True))
    assert same > 0  # findings using only carried members come back whole


def test_round_trip_loses_a_code_findings_layer_and_times_below_the_millisecond() -> None:
    code = next(f for f in sample_findings() if f.type == "CODE_VULNERABILITY").to_api()
    code["codeVulnerabilityDetails"]["sourceLambdaLayerArn"] = (
        "arn:aws:lambda:ap-northeast-1:111122223333:layer:shared:3"
    )
    code["updatedAt"] = dt.datetime(2026, 11, 21, 19, 10, 52, 835123, dt.timezone.utc)
    original = Finding.from_api(code)
    (back,) = list(load_findings(to_ocsf([original])))
    differing = set(_differences(original.to_api(), back.to_api()))
    assert "codeVulnerabilityDetails.sourceLambdaLayerArn" in differing
    assert "updatedAt" in differing
    assert back.updated_at == dt.datetime(2026, 11, 21, 19, 10, 52, 835000, dt.timezone.utc)
    assert {p for p in differing if _covering(p) is None} == {"updatedAt"}  # "times"


def test_ocsf_keeps_the_vendor_cvss_entry_so_a_rescore_is_unchanged() -> None:
    # Unlike ASFF (tests/test_asff.py), OCSF's cvss entries carry their vendor_name.
    from_event = _one(INSPECTOR_EVENT)
    from_ocsf = _one(_record())
    assert rescore(from_ocsf).score == rescore(from_event).score == 4.7
    findings = list(sample_findings())
    back = list(load_findings(to_ocsf(findings)))
    for original, read in zip(findings, back, strict=True):
        assert rescore(read).score == rescore(original).score, original.finding_arn


def test_a_code_finding_with_no_cwe_is_valid_and_loses_its_code_details() -> None:
    code = next(f for f in sample_findings() if f.type == "CODE_VULNERABILITY").to_api()
    code["codeVulnerabilityDetails"]["cwes"] = []
    original = Finding.from_api(code)
    (record,) = to_ocsf([original])
    assert record["vulnerabilities"] == []
    assert list(_validator().iter_errors(record)) == []
    (back,) = list(load_findings(record))
    assert back.type == "CODE_VULNERABILITY"
    differing = set(_differences(original.to_api(), back.to_api()))
    assert {_covering(p) for p in differing} == {
        "codeVulnerabilityDetails",
        "remediation.recommendation",
    }


def test_a_code_finding_keeps_every_cwe_and_its_file() -> None:
    code = next(
        f
        for f in sample_findings()
        if len(f.to_api().get("codeVulnerabilityDetails", {}).get("cwes", [])) > 1
    )
    (record,) = to_ocsf([code])
    assert [v["cwe"]["uid"] for v in record["vulnerabilities"]] == list(
        code.to_api()["codeVulnerabilityDetails"]["cwes"]
    )
    (back,) = list(load_findings(record))
    for key in ("cwes", "filePath", "detectorId", "detectorName", "referenceUrls"):
        assert (
            back.to_api()["codeVulnerabilityDetails"][key]
            == (code.to_api()["codeVulnerabilityDetails"][key])
        ), key


# ---------------------------------------------------------------------------- Parquet


def _parquet(records: list[dict[str, Any]], path: Path, row_group_size: int = 50) -> Path:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    # One schema inferred from every record (from_pylist would take the first row's keys).
    table = pa.Table.from_batches([pa.RecordBatch.from_struct_array(pa.array(records))])
    pq.write_table(table, path, row_group_size=row_group_size)
    return path


def test_parquet_file_reads_like_the_json_records(tmp_path: Path) -> None:
    records = to_ocsf(sample_findings())
    path = _parquet(records, tmp_path / "lake.parquet")
    assert path.read_bytes()[:4] == b"PAR1"
    from_json = list(load_findings(records))
    for source in (path, str(path), path.read_bytes()):
        loaded = load_findings(source)
        assert list(loaded) == from_json
        assert loaded.errors == [] and loaded.skipped == []
    with path.open("rb") as handle:  # a file object
        assert list(load_findings(handle)) == from_json


class _Pipe(io.RawIOBase):
    """A stream that cannot seek (a pipe, a socket)."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_parquet_from_a_stream_that_cannot_seek(tmp_path: Path) -> None:
    records = to_ocsf(list(sample_findings())[:20])
    data = _parquet(records, tmp_path / "lake.parquet").read_bytes()
    assert len(list(load_findings(_Pipe(data)))) == 20


def test_parquet_rows_of_other_products_are_skipped_and_a_bad_row_is_one_error(
    tmp_path: Path,
) -> None:
    records = to_ocsf(list(sample_findings())[:30])
    records[3]["metadata"]["product"]["name"] = "GuardDuty"
    records[3]["class_uid"] = 2004
    records[7]["finding_info"]["uid"] = None  # no finding ARN
    path = _parquet(records, tmp_path / "lake.parquet", row_group_size=10)
    loaded = load_findings(path)
    assert len(list(loaded)) == 28
    assert [s.index for s in loaded.skipped] == [3]
    assert [e.index for e in loaded.errors] == [7]
    assert "findingArn" in str(loaded.errors[0])


def test_an_unreadable_row_group_is_one_error_and_the_others_load(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    records = to_ocsf(list(sample_findings())[:30])
    path = _parquet(records, tmp_path / "lake.parquet", row_group_size=10)
    meta = pq.ParquetFile(path).metadata
    group = meta.row_group(1)
    start = min(
        group.column(i).data_page_offset for i in range(group.num_columns)
    )  # the second row group's first page
    data = bytearray(path.read_bytes())
    data[start : start + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    loaded = load_findings(path)
    findings = list(loaded)
    assert len(findings) == 20
    (issue,) = loaded.errors
    assert isinstance(issue.error, SourceFormatError)
    assert "Parquet row group 1" in str(issue.error)


def test_parquet_is_read_a_row_group_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    records = to_ocsf(list(sample_findings())[:30])
    path = _parquet(records, tmp_path / "lake.parquet", row_group_size=10)
    asked: list[list[int]] = []
    real = pq.ParquetFile.iter_batches

    def spy(self: Any, *args: Any, **kwargs: Any) -> Any:
        asked.append(list(kwargs["row_groups"]))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", spy)
    findings = iter(load_findings(path))
    next(findings)
    assert asked == [[0]]  # the first finding needed the first row group only
    assert len(list(findings)) == 29
    assert asked == [[0], [1], [2]]


def test_a_damaged_parquet_file_is_a_source_error(tmp_path: Path) -> None:
    path = tmp_path / "cut.parquet"
    path.write_bytes(b"PAR1" + b"\x00" * 10)
    pytest.importorskip("pyarrow.parquet")
    with pytest.raises(SourceFormatError, match="not a readable Parquet file"):
        list(load_findings(path))


def test_parquet_without_pyarrow_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)  # import fails
    with pytest.raises(MissingExtraError, match=r"pip install"):
        list(load_findings(b"PAR1" + b"\x00" * 10))


def test_importing_the_loader_does_not_import_pyarrow() -> None:
    code = (
        "import sys, inspector_kit, inspector_kit.loaders, inspector_kit.formats; "
        "sys.exit('pyarrow' in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
