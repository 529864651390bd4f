"""Security Hub ASFF: reading Inspector's records, writing them back (issue 17)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from inspector_kit import Finding, load_findings
from inspector_kit.errors import InputError, SourceFormatError
from inspector_kit.formats import (
    ASFF_BATCH_LIMIT,
    ASFF_NOT_CARRIED,
    asff_batches,
    to_asff,
)
from inspector_kit.sample import sample_findings
from inspector_kit.scoring import rescore

FIXTURES = Path(__file__).parent / "fixtures"
ASFF = FIXTURES / "asff" / "inspector_get_findings.json"
EVENT = FIXTURES / "aws_examples" / "eventbridge_ec2_package.json"


def _page() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ASFF.read_text())
    return data


def _inspector_record() -> dict[str, Any]:
    record: dict[str, Any] = _page()["Findings"][0]
    return record


def test_get_findings_page_reads_the_inspector_record_and_skips_guardduty() -> None:
    loaded = load_findings(ASFF)
    findings = list(loaded)
    assert loaded.errors == []
    assert len(findings) == 1
    assert len(loaded.skipped) == 1
    assert "GuardDuty" in loaded.skipped[0].reason
    assert "not from Amazon Inspector" in loaded.skipped[0].reason


def test_asff_record_maps_to_the_same_finding_as_the_eventbridge_event() -> None:
    (from_asff,) = list(load_findings(ASFF))
    (from_event,) = list(load_findings(EVENT))
    assert from_asff.finding_arn == from_event.finding_arn
    assert from_asff.aws_account_id == "246813579024"
    assert from_asff.severity == from_event.severity
    assert from_asff.status == from_event.status
    assert from_asff.inspector_score == 4.7
    assert from_asff.vulnerability_id == "CVE-2024-26581"
    assert from_asff.fix_available == from_event.fix_available
    assert from_asff.exploit_available == from_event.exploit_available
    assert from_asff.epss_score == pytest.approx(0.00044)
    assert from_asff.first_observed_at == from_event.first_observed_at
    packages = from_asff.vulnerable_packages
    assert [(p.name, p.version, p.fixed_in_version) for p in packages] == [
        ("linux-image-aws", "6.5.0.1016.16~22.04.1", "0:6.5.0.1017.17~22.04.1")
    ]
    resource = from_asff.resources[0]
    assert resource.id == "i-0a1b2c3d4e5f60718"  # the instance id, not the ASFF ARN
    assert resource.type == from_event.resources[0].type


def test_asff_drops_the_vendor_cvss_entry_and_that_changes_a_rescore() -> None:
    (from_asff,) = list(load_findings(ASFF))
    (from_event,) = list(load_findings(EVENT))
    assert from_event.package_vulnerability_details is not None
    assert from_asff.package_vulnerability_details is not None
    event_sources = {str(c.source) for c in from_event.package_vulnerability_details.cvss}
    asff_sources = {str(c.source) for c in from_asff.package_vulnerability_details.cvss}
    assert "UBUNTU_CVE" in event_sources
    assert asff_sources == {"NVD"}
    # The event rescores from the vendor's 4.7 vector; ASFF has only NVD's 5.5 one.
    assert rescore(from_event).score != rescore(from_asff).score


def test_bare_list_and_saved_lowercase_page_and_dict_in_memory() -> None:
    records = _page()["Findings"]
    for source in (records, {"findings": records}, json.dumps(records), _page()):
        loaded = load_findings(source)
        assert [f.vulnerability_id for f in loaded] == ["CVE-2024-26581"]
        assert len(loaded.skipped) == 1


def test_security_hub_imported_event_and_list_of_events() -> None:
    event = {
        "version": "0",
        "id": "11111111-2222-3333-4444-555555555555",
        "detail-type": "Security Hub Findings - Imported",
        "source": "aws.securityhub",
        "account": "246813579024",
        "time": "2025-03-11T08:15:03Z",
        "region": "eu-west-1",
        "resources": [_inspector_record()["Id"]],
        "detail": {"findings": [_inspector_record()]},
    }
    assert [f.finding_arn for f in load_findings(event)] == [_inspector_record()["Id"]]
    loaded = load_findings([event, event])
    assert len(list(loaded)) == 2


def test_message_names_security_hub_asff() -> None:
    with pytest.raises(SourceFormatError, match="Security Hub ASFF"):
        list(load_findings({"Findings": "none", "NextToken": "x"}))
    with pytest.raises(SourceFormatError, match="Security Hub ASFF"):
        list(load_findings('{"Findings": 3}'))
    with pytest.raises(SourceFormatError, match="not a ListFindings"):
        list(load_findings({"other": 1}))


def test_bad_inspector_score_is_a_record_error() -> None:
    record = _inspector_record()
    record["ProductFields"]["aws/inspector/inspectorScore"] = "high"
    loaded = load_findings([record])
    assert list(loaded) == []
    assert "inspectorScore" in str(loaded.errors[0].error)


def test_status_from_record_state_and_workflow() -> None:
    closed = _inspector_record()
    closed["RecordState"] = "ARCHIVED"
    suppressed = _inspector_record()
    suppressed["Workflow"] = {"Status": "SUPPRESSED"}
    got = [str(f.status) for f in load_findings([closed, suppressed])]
    assert got == ["CLOSED", "SUPPRESSED"]


def test_to_asff_writes_the_required_members() -> None:
    required = {
        "AwsAccountId",
        "CreatedAt",
        "Description",
        "GeneratorId",
        "Id",
        "ProductArn",
        "Resources",
        "SchemaVersion",
        "Severity",
        "Title",
        "Types",
        "UpdatedAt",
    }
    records = to_asff(sample_findings(), product_arn="arn:aws:securityhub:eu-west-1:1:product/1/x")
    assert records
    for record in records:
        assert required <= set(record), required - set(record)
        assert record["ProductArn"] == "arn:aws:securityhub:eu-west-1:1:product/1/x"
        assert record["Severity"]["Label"] in {"INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"}
        assert len(record["Title"]) <= 256 and len(record["Description"]) <= 1024
        json.dumps(record)  # plain JSON: no datetimes left
        for vuln in record.get("Vulnerabilities", []):
            assert vuln["Id"]


def test_default_product_arn_is_the_custom_integration_of_the_account() -> None:
    finding = next(iter(sample_findings()))
    (record,) = to_asff([finding])
    region, account = finding.region, finding.aws_account_id
    assert record["ProductArn"] == (
        f"arn:aws:securityhub:{region}:{account}:product/{account}/default"
    )


_LOST_MEMBERS = {
    "inspectorScoreDetails",
    "networkReachabilityDetails",
    "exploitabilityDetails",
}


def _comparable(api: dict[str, Any]) -> dict[str, Any]:
    """An API payload without the members ASFF_NOT_CARRIED lists."""
    api = copy.deepcopy(api)
    for key in _LOST_MEMBERS:
        api.pop(key, None)
    if api.get("severity") == "UNTRIAGED":
        api["severity"] = "INFORMATIONAL"
    pkg = api.get("packageVulnerabilityDetails")
    if pkg is not None:
        pkg["cvss"] = [c for c in pkg.get("cvss", []) if c.get("source") == "NVD"]
    code = api.get("codeVulnerabilityDetails")
    if code is not None:
        code.pop("detectorTags", None)
    for res in api.get("resources", []):
        res.pop("provider", None)
        res.pop("providerAccountId", None)
        details = res.get("details") or {}
        for key in list(details):
            if key not in {"awsEc2Instance", "awsLambdaFunction", "awsEcrContainerImage"}:
                del details[key]
        if not details:
            res.pop("details", None)
    return api


def test_round_trip_keeps_every_field_asff_carries() -> None:
    findings = list(sample_findings())
    loaded = load_findings({"Findings": to_asff(findings)})
    back = {f.finding_arn: f for f in loaded}
    assert loaded.errors == [] and loaded.skipped == []
    assert len(back) == len(findings)
    for finding in findings:
        assert _comparable(back[finding.finding_arn].to_api()) == _comparable(finding.to_api())


def test_not_carried_list_names_the_members_the_round_trip_loses() -> None:
    text = " ".join(ASFF_NOT_CARRIED)
    lost = (*_LOST_MEMBERS, "cvss", "UNTRIAGED", "detectorTags", "provider", "providerAccountId")
    for member in lost:
        assert member in text


def test_round_trip_of_a_fixture_event_loses_only_the_vendor_cvss() -> None:
    (original,) = list(load_findings(EVENT))
    (back,) = list(load_findings(to_asff([original])))
    assert isinstance(back, Finding)
    assert _comparable(back.to_api()) == _comparable(original.to_api())
    assert back != original


def test_asff_batches_respects_the_limit() -> None:
    assert ASFF_BATCH_LIMIT == 100
    records = [{"Id": str(i)} for i in range(201)]
    batches = list(asff_batches(records))
    assert [len(b) for b in batches] == [100, 100, 1]
    assert [r for b in batches for r in b] == records
    assert [len(b) for b in asff_batches(records[:5], size=2)] == [2, 2, 1]
    assert list(asff_batches([])) == []
    with pytest.raises(InputError):
        list(asff_batches(records, size=101))
    with pytest.raises(InputError):
        list(asff_batches(records, size=0))


def test_a_large_get_findings_document_is_streamed_record_by_record() -> None:
    findings = list(sample_findings())
    text = json.dumps({"Findings": to_asff(findings), "NextToken": "t"})
    assert len(text) > 100_000
    loaded = load_findings(text, max_record_size=20_000)
    assert len(list(loaded)) == len(findings)
    assert loaded.errors == []


def test_strict_raises_on_a_bad_asff_record() -> None:
    record = _inspector_record()
    record["Resources"] = "not a list"
    with pytest.raises(InputError, match="Security Hub ASFF"):
        list(load_findings([record], strict=True))
    loaded = load_findings([record, _inspector_record()])
    assert len(list(loaded)) == 1
    assert "not a valid Security Hub ASFF record" in str(loaded.errors[0].error)


def test_one_asff_record_as_dict_or_json() -> None:
    record = _inspector_record()
    for source in (record, json.dumps(record), json.dumps(record).encode()):
        assert [f.vulnerability_id for f in load_findings(source)] == ["CVE-2024-26581"]


# --- BatchImportFindings: limits and the securityhub model (engineer G) -------------------

import botocore.session  # noqa: E402
from botocore.serialize import create_serializer  # noqa: E402
from botocore.validate import ParamValidator  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from inspector_kit import _limits  # noqa: E402
from inspector_kit.errors import AsffRecordTooLargeError  # noqa: E402
from inspector_kit.formats import (  # noqa: E402
    ASFF_FINDING_BYTES_LIMIT,
    ASFF_REQUEST_BYTES_LIMIT,
    asff_size,
)
from inspector_kit.formats._asff import _ASFF_MEMBERS  # noqa: E402

_SECURITYHUB = botocore.session.get_session().get_service_model("securityhub")
_IMPORT = _SECURITYHUB.operation_model("BatchImportFindings")


def _problems(records: list[Any]) -> str:
    report = ParamValidator().validate({"Findings": records}, _IMPORT.input_shape)
    return str(report.generate_report()) if report.has_errors() else ""


def _body(records: list[Any]) -> bytes:
    """The request body botocore sends for these records."""
    request = create_serializer("rest-json").serialize_to_request({"Findings": records}, _IMPORT)
    body: bytes = request["body"]
    return body


def test_the_limits_are_the_securityhub_models_and_documentations() -> None:
    findings = _IMPORT.input_shape.members["Findings"]
    assert findings.metadata == {"min": 1, "max": ASFF_BATCH_LIMIT}
    assert ASFF_BATCH_LIMIT == _limits.ASFF_BATCH == 100
    assert "The maximum allowed size for a finding is 240 Kb" in _IMPORT.documentation
    assert ASFF_FINDING_BYTES_LIMIT == 240_000 and ASFF_REQUEST_BYTES_LIMIT == 6_000_000


def test_details_members_are_the_securityhub_models() -> None:
    for kind, members in _ASFF_MEMBERS.items():
        shape = _SECURITYHUB.shape_for(kind[:1].upper() + kind[1:] + "Details")
        assert members == set(shape.members), kind


def test_every_sample_finding_makes_a_valid_batch_import_request() -> None:
    records = to_asff(sample_findings())
    batches = list(asff_batches(records))
    assert sum(map(len, batches)) == len(records) > 200
    for batch in batches:
        assert _problems(batch) == ""


def test_the_validator_can_fail() -> None:
    record = to_asff(sample_findings())[0]
    del record["Title"]
    record["Resources"][0]["Details"]["AwsEc2Instance"]["Platform"] = "LINUX"
    problems = _problems([record])
    assert "Title" in problems and "Platform" in problems


def test_details_the_model_lacks_go_to_other_and_come_back() -> None:
    (event,) = list(load_findings(FIXTURES / "aws_examples" / "eventbridge_ecr_package.json"))
    (record,) = to_asff([event])
    details = record["Resources"][0]["Details"]
    assert details["Other"]["awsEcrContainerImage.platform"] == "AMAZON_LINUX_2"
    assert details["Other"]["awsEcrContainerImage.inUseCount"] == "#3"
    assert "Platform" not in details["AwsEcrContainerImage"]
    assert _problems([record]) == ""
    (back,) = list(load_findings([record]))
    image = back.to_api()["resources"][0]["details"]["awsEcrContainerImage"]
    assert image["platform"] == "AMAZON_LINUX_2" and image["inUseCount"] == 3
    assert back.purls == event.purls  # the platform names the distribution


def _padded(index: int, nbytes: int) -> dict[str, Any]:
    """A valid ASFF record of about ``nbytes`` bytes (padding in ProductFields)."""
    record = copy.deepcopy(_inspector_record())
    record["Id"] = f"{record['Id']}-{index}"
    record["ProductFields"] = {"pad": ""}
    record["ProductFields"]["pad"] = "x" * max(1, nbytes - asff_size(record))
    assert asff_size(record) == nbytes
    return record


def test_batches_are_split_by_request_size() -> None:
    records = [_padded(i, 200_000) for i in range(70)]  # 14 MB in all, 100 findings allowed
    batches = list(asff_batches(records))
    assert [r for b in batches for r in b] == records
    assert [len(b) for b in batches] == [29, 29, 12]
    for batch, following in zip(batches, [*batches[1:], None], strict=True):
        body = _body(batch)
        assert len(body) <= ASFF_REQUEST_BYTES_LIMIT
        if following is not None:  # one record more would not have fit
            assert len(_body([*batch, following[0]])) > ASFF_REQUEST_BYTES_LIMIT
    smaller = list(asff_batches(records, max_bytes=1_000_000))
    assert [len(b) for b in smaller] == [4] * 17 + [2]
    assert all(len(_body(b)) <= 1_000_000 for b in smaller)


def test_max_bytes_must_leave_room_for_one_finding() -> None:
    with pytest.raises(InputError, match="max_bytes"):
        list(asff_batches([], max_bytes=ASFF_FINDING_BYTES_LIMIT))
    with pytest.raises(InputError, match="max_bytes"):
        list(asff_batches([], max_bytes=ASFF_REQUEST_BYTES_LIMIT + 1))


def test_a_record_over_240_kb_is_never_sent() -> None:
    small, big = _padded(0, 3_000), _padded(1, 240_001)
    assert asff_size(big) > ASFF_FINDING_BYTES_LIMIT
    batches = asff_batches([small] * 103 + [big, small])
    assert next(batches) == [small] * 100
    assert next(batches) == [small] * 3  # the records before it are still given
    with pytest.raises(AsffRecordTooLargeError, match="over the 240000 bytes") as caught:
        next(batches)
    assert caught.value.record_id == big["Id"]
    assert caught.value.size == asff_size(big) == len(_body([big])) - len('{"Findings": []}')
    assert isinstance(caught.value, InputError)
    reported: list[AsffRecordTooLargeError] = []
    kept = list(asff_batches([small, big, small], on_oversized=reported.append))
    assert kept == [[small, small]]
    assert [e.record_id for e in reported] == [big["Id"]]


def test_a_record_of_exactly_240_kb_is_sent() -> None:
    record = _padded(0, ASFF_FINDING_BYTES_LIMIT)
    assert asff_size(record) == ASFF_FINDING_BYTES_LIMIT
    assert list(asff_batches([record])) == [[record]]


@given(
    sizes=st.lists(st.integers(min_value=100, max_value=260_000), max_size=60),
    size=st.integers(min_value=1, max_value=ASFF_BATCH_LIMIT),
    max_bytes=st.integers(min_value=ASFF_FINDING_BYTES_LIMIT + 16, max_value=2_000_000),
)
def test_batches_keep_order_and_every_limit(sizes: list[int], size: int, max_bytes: int) -> None:
    records = [{"Id": str(i), "Pad": "x" * n} for i, n in enumerate(sizes)]
    too_big: list[AsffRecordTooLargeError] = []
    batches = list(asff_batches(records, size, max_bytes=max_bytes, on_oversized=too_big.append))
    sent = [r for b in batches for r in b]
    assert sent == [r for r in records if asff_size(r) <= ASFF_FINDING_BYTES_LIMIT]
    assert [e.record_id for e in too_big] == [
        r["Id"] for r in records if asff_size(r) > ASFF_FINDING_BYTES_LIMIT
    ]
    for batch in batches:
        assert 1 <= len(batch) <= size
        assert len(json.dumps({"Findings": batch})) <= max_bytes
