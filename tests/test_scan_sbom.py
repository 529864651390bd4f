"""Inspector Scan API (ScanSbom) reports: sbom.parse_scan_sbom and load_findings.

Fixtures are the published examples of tests/fixtures/sbom/SOURCES.md; expected values are
read off those documents by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest

from inspector_kit import Finding, load_findings
from inspector_kit.errors import SbomFormatError
from inspector_kit.formats import to_records
from inspector_kit.formats._foreign import shape_of
from inspector_kit.sbom import (
    SbomIssue,
    ScanSbomResult,
    join_findings,
    parse_cyclonedx,
    parse_scan_sbom,
    parse_spdx,
)

FIXTURES = Path(__file__).parent / "fixtures" / "sbom"
CDX = FIXTURES / "scan-sbom-cyclonedx-userguide.json"
INSPECTOR = FIXTURES / "scan-sbom-inspector-userguide.json"
AWS_ACTION = FIXTURES / "scan-sbom-inspector-aws-action.json"
LOG4J = "pkg:maven/org.apache.logging.log4j/log4j-core@2.12.1"


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _projection(result: ScanSbomResult) -> list[dict[str, Any]]:
    """Each record without the component object (the formats describe it differently)."""
    rows = []
    for v in result.vulnerabilities:
        row = attrs.asdict(v, recurse=False)
        component = row.pop("component")
        row["purl"] = component.purl
        row["name"] = component.name
        row["version"] = component.version
        rows.append(row)
    return rows


def test_cyclonedx_example_read_field_by_field() -> None:
    result = parse_scan_sbom(_load(CDX))
    assert result.output_format == "CYCLONE_DX_1_5"
    assert result.status == "SBOM parsed successfully, 1 vulnerabilities found"
    assert result.document_id == "urn:uuid:0077b45b-ff1e-4dbb-8950-ded11d8242b1"
    assert result.scanned_at == "2023-06-28T14:15:53.760Z"
    assert result.counts == {"critical": 1, "high": 0, "medium": 0, "low": 0}
    (v,) = result.vulnerabilities
    assert v.vulnerability_id == "CVE-2021-44228"
    assert v.severity == "CRITICAL"
    assert v.component.bom_ref == "comp-1" and v.component.purl == LOG4J
    assert v.fixed_version == "2.15.0"
    assert v.path == "/home/dev/foo.jar"
    assert v.epss == 0.97565
    assert v.exploit_available is True
    assert v.exploit_last_seen == "2023-03-06T00:00:00Z"
    assert (v.kev_date_added, v.kev_date_due) == ("2021-12-10T00:00:00Z", "2021-12-24T00:00:00Z")
    assert v.cwes == ("CWE-400", "CWE-20", "CWE-502")
    assert v.related == ("SNYK-JAVA-ORGAPACHELOGGINGLOG4J-2314720", "GHSA-jfh8-c2jp-5v3q")
    nvd = [(c.version, c.base_score, c.vector) for c in v.cvss if c.source == "NVD"]
    assert nvd == [
        ("2.0", 9.3, "AC:M/Au:N/C:C/I:C/A:C"),
        ("3.1", 10.0, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"),
    ]
    assert {c.source for c in v.cvss} == {"NVD", "SNYK", "GITHUB"}  # EPSS is no CVSS
    assert v.inspector_score is None  # the example has no AMAZON_INSPECTOR rating


def test_inspector_example_read() -> None:
    result = parse_scan_sbom(_load(INSPECTOR))
    assert result.output_format == "INSPECTOR"
    assert result.counts == {"critical": 1, "high": 0, "medium": 0, "low": 0}
    assert [(m.name, m.purl, m.info, m.skipped) for m in result.messages] == [
        ("foo", "pkg:maven/foo@1.0.0", "Component skipped: no rules found.", True)
    ]
    assert [c.purl for c in result.components] == [LOG4J]
    assert result.document_id.startswith("sha256:")


def test_both_formats_give_the_same_records_for_the_same_data() -> None:
    cdx = _projection(parse_scan_sbom(_load(CDX)))
    inspector = _projection(parse_scan_sbom(_load(INSPECTOR)))
    assert cdx == inspector
    assert len(cdx) == 1


def test_wrapped_and_bare_reports_read_the_same() -> None:
    wrapped = _load(CDX)
    bare = wrapped["sbom"]
    response = {"sbom": bare}  # what boto3's scan_sbom returns
    assert parse_scan_sbom(bare).vulnerabilities == parse_scan_sbom(response).vulnerabilities
    assert parse_scan_sbom(json.dumps(response)).vulnerabilities == (
        parse_scan_sbom(wrapped).vulnerabilities
    )


def test_real_inspector_report_one_record_per_affected_component() -> None:
    result = parse_scan_sbom(_load(AWS_ACTION))
    got = [(v.vulnerability_id, v.component.name, v.severity) for v in result.vulnerabilities]
    assert got == [
        ("CVE-2022-2129", "vim", "HIGH"),
        ("CVE-2022-2129", "vim-tiny", "HIGH"),
        ("CVE-2018-11236", "libc-bin", "CRITICAL"),
        ("CVE-2018-11236", "libc6", "CRITICAL"),
    ]
    assert result.counts["other"] == 16
    assert result.messages[0].info == "Component skipped: no rules found."  # info_message
    libc = result.vulnerabilities[2]
    assert [c.version for c in libc.cvss] == ["3.0", "3.0"]
    assert libc.exploit_available is None and libc.epss == 0.0141399996


def test_nested_components_are_joined() -> None:
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "components": [
            {
                "bom-ref": "comp-7",
                "type": "application",
                "name": "python3.4",
                "components": [
                    {
                        "bom-ref": "comp-8",
                        "type": "application",
                        "name": "libpy",
                        "purl": "pkg:deb/ubuntu/libpy@3.4",
                    }
                ],
            },
        ],
        "vulnerabilities": [{"id": "CVE-1", "affects": [{"ref": "comp-8"}]}],
    }
    result = parse_scan_sbom(doc)
    assert [c.bom_ref for c in result.components] == ["comp-7", "comp-8"]
    assert result.vulnerabilities[0].component.name == "libpy"
    assert result.vulnerabilities[0].severity == "UNTRIAGED"


def test_bad_components_are_issues_not_rejections() -> None:
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "components": [
            {"bom-ref": "comp-1", "type": "library", "name": "ok", "purl": "pkg:pypi/ok@1"},
            {"bom-ref": "comp-2", "type": "library", "purl": "pkg:pypi/noname@1"},
            {"bom-ref": "comp-3", "type": "library", "name": "bad", "purl": "bad purl"},
        ],
        "vulnerabilities": [
            {"id": "CVE-1", "affects": [{"ref": "comp-1"}, {"ref": "comp-2"}, {"ref": "comp-9"}]}
        ],
    }
    result = parse_scan_sbom(doc)
    assert [v.component.name for v in result.vulnerabilities] == ["ok"]
    assert [(i.path, i.bom_ref, i.kept) for i in result.issues] == [
        ("$.components[1].name", "comp-2", False),
        ("$.components[2].purl", "comp-3", True),
        ("$.vulnerabilities[0].affects[1].ref", "comp-2", False),
        ("$.vulnerabilities[0].affects[2].ref", "comp-9", False),
    ]
    assert "not a valid PURL" in result.issues[1].problem


def test_cyclonedx_and_spdx_report_issues_per_component() -> None:
    cdx = parse_cyclonedx(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.4",
            "components": [
                {"type": "library", "name": "a", "purl": "pkg:pypi/a@1"},
                {"type": "library", "name": "b", "bom-ref": "r-b", "purl": "pkg:"},
                {"type": "library", "bom-ref": "r-c"},
            ],
        }
    )
    assert [c.name for c in cdx.components] == ["a", "b"]
    assert [str(i) for i in cdx.issues] == [
        "$.components[1].purl (r-b): not a valid PURL: 'pkg:'",
        "$.components[2].name (r-c): no name",
    ]
    spdx = parse_spdx(
        {
            "spdxVersion": "SPDX-2.3",
            "packages": [
                {
                    "SPDXID": "SPDXRef-1",
                    "name": "x",
                    "externalRefs": [
                        {
                            "referenceCategory": "PACKAGE-MANAGER",
                            "referenceType": "purl",
                            "referenceLocator": "nope",
                        }
                    ],
                },
                {"SPDXID": "SPDXRef-2"},
            ],
        }
    )
    assert [c.name for c in spdx.components] == ["x"]
    assert [(i.path, i.bom_ref, i.kept) for i in spdx.issues] == [
        ("$.packages[0].externalRefs", "SPDXRef-1", True),
        ("$.packages[1].name", "SPDXRef-2", False),
    ]
    assert all(isinstance(i, SbomIssue) for i in spdx.issues)


def test_not_a_report_is_an_error() -> None:
    with pytest.raises(SbomFormatError, match="not an Inspector Scan API"):
        parse_scan_sbom({"bomFormat": "CycloneDX", "components": []}, source="x.json")


@pytest.mark.parametrize("path", [CDX, INSPECTOR])
def test_load_findings_reads_each_format(path: Path) -> None:
    loaded = load_findings(path)
    (finding,) = list(loaded)
    assert not loaded.errors and not loaded.skipped
    assert finding.vulnerability_id == "CVE-2021-44228"
    assert str(finding.severity) == "CRITICAL" or finding.severity == "CRITICAL"
    assert finding.finding_arn.startswith("urn:inspector-kit:scan-sbom::")
    assert finding.region is None  # no AWS region: the ARN stand-in has none
    assert finding.aws_account_id == ""
    assert finding.fix_available == "YES"
    assert finding.exploit_available == "YES"
    assert finding.epss_score == 0.97565
    (package,) = finding.vulnerable_packages
    assert (package.name, package.version, package.purl, package.fixed_in_version) == (
        "log4j-core",
        "2.12.1",
        LOG4J,
        "2.15.0",
    )
    assert finding.cvss is not None and finding.cvss.score == 10.0
    assert finding.cvss.vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"


def test_load_findings_arn_is_stable_and_downstream_tolerates_it() -> None:
    first = list(load_findings(AWS_ACTION))
    again = list(load_findings(_load(AWS_ACTION)))
    assert [f.finding_arn for f in first] == [f.finding_arn for f in again]
    assert len({f.finding_arn for f in first}) == 4
    rows = to_records(first)
    assert [r["region"] for r in rows] == [None] * 4
    assert rows[0]["resource_type"] == "INSPECTOR_SCAN_SBOM"
    # observation time is unknown in the INSPECTOR format: the documented epoch
    assert {r["first_observed_at"].year for r in rows} == {1970}


def test_cyclonedx_finding_observed_at_scan_time() -> None:
    (finding,) = list(load_findings(CDX))
    assert finding.first_observed_at.isoformat() == "2023-06-28T14:15:53.760000+00:00"
    assert finding.primary_resource.id == "urn:uuid:0077b45b-ff1e-4dbb-8950-ded11d8242b1"


def test_rescore_and_summary_on_scan_findings() -> None:
    from inspector_kit.scoring import rescore

    findings = list(load_findings(AWS_ACTION))
    results = [rescore(f) for f in findings]
    assert len(results) == 4
    assert all(isinstance(f, Finding) for f in findings)


def test_join_findings_matches_scan_components() -> None:
    findings = list(load_findings(CDX))
    sbom = parse_cyclonedx(_load(CDX)["sbom"])
    joined = join_findings([sbom], findings)
    assert [(j.component.name, j.vulnerability_ids) for j in joined] == [
        ("log4j-core", ("CVE-2021-44228",))
    ]


def test_shape_registered_and_bad_report_is_one_error() -> None:
    assert shape_of({"sbom": {"bomFormat": "CycloneDX", "vulnerabilities": []}}).name == (
        "Inspector Scan API (ScanSbom)"
    )
    loaded = load_findings({"sbom": {"bomFormat": "CycloneDX", "vulnerabilities": [{"id": 5}]}})
    assert list(loaded) == []
    assert "Inspector Scan API (ScanSbom)" in str(loaded.errors[0].error)


def test_cyclonedx_sbom_without_report_names_what_it_is() -> None:
    from inspector_kit import SourceFormatError

    with pytest.raises(SourceFormatError, match="is a CycloneDX SBOM, not an Inspector Scan API"):
        list(load_findings('{"bomFormat": "CycloneDX", "components": []}'))


def test_import_inspector_kit_does_not_import_sbom_libraries() -> None:
    import subprocess
    import sys

    code = (
        "import sys, inspector_kit, inspector_kit.loaders;"
        "print('packageurl' in sys.modules, 'inspector_kit.sbom' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


EXPORT_CDX = FIXTURES / "inspector-export-cyclonedx-userguide.json"
EXPORT_SPDX = FIXTURES / "inspector-export-spdx-userguide.json"


def test_inspector_cyclonedx_export_example() -> None:
    doc = parse_cyclonedx(_load(EXPORT_CDX))
    assert doc.resource_type == "AWS_ECR_CONTAINER_IMAGE"
    assert doc.account_id == "111122223333"
    assert [c.name for c in doc.components] == [
        "pip",
        "libss2",
        "liblz4-1",
        "mawk",
        "libgmp10",
        "ncurses-bin",
    ]
    assert doc.components[4].version == "6.1.2+dfsg-4+deb10u1"
    assert doc.issues == ()


def test_inspector_export_is_not_read_as_a_scan_report() -> None:
    """The export lists vulnerabilities as bare refs; it is an SBOM, not findings."""
    from inspector_kit import SourceFormatError

    assert shape_of(_load(EXPORT_CDX)) is None
    with pytest.raises(SourceFormatError, match="parse_cyclonedx"):
        list(load_findings(EXPORT_CDX))


def test_inspector_spdx_export_example() -> None:
    doc = parse_spdx(_load(EXPORT_SPDX))
    assert doc.spec_version == "SPDX-2.3"
    assert [(c.name, c.version) for c in doc.components][:2] == [
        ("elfutils-libelf", "0.176-2.amzn2"),
        ("libcurl", "7.79.1-1.amzn2.0.1"),
    ]
    assert doc.components[1].purl == (
        "pkg:rpm/libcurl@7.79.1-1.amzn2.0.1?arch=X86_64&epoch=0"
        "&upstream=libcurl-7.79.1-1.amzn2.0.1.src.rpm"
    )
    assert doc.issues == ()


def test_scanned_at_datetime() -> None:
    result = parse_scan_sbom(_load(CDX))
    assert result.scanned_at_datetime is not None
    assert result.scanned_at_datetime.isoformat() == "2023-06-28T14:15:53.760000+00:00"
    assert parse_scan_sbom(_load(INSPECTOR)).scanned_at_datetime is None


def test_scan_findings_write_valid_cyclonedx_and_spdx() -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    from inspector_kit.formats import to_cyclonedx, to_spdx

    findings = list(load_findings(AWS_ACTION)) + list(load_findings(CDX))
    text = to_cyclonedx(findings)
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    spdx = json.loads(to_spdx(findings))
    back = parse_spdx(spdx)
    assert {c.purl for c in back.components} >= {LOG4J}
