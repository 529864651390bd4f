"""to_spdx: SPDX 2.3 JSON, checked against the spec's required fields (clauses 6-7, 11).

Structural checks written from the SPDX 2.3 specification; the validation against the SPDX 2.3
JSON schema (vendored in tests/fixtures/spdx) is in tests/test_sbom_spdx_schema.py.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Any

from inspector_kit import sample_findings
from inspector_kit.formats import to_spdx, write_spdx

WHEN = datetime(2026, 12, 4, 12, 0, tzinfo=timezone.utc)
SPDX_ID = re.compile(r"^SPDXRef-[A-Za-z0-9.-]+$")


def _doc() -> dict[str, Any]:
    result: dict[str, Any] = json.loads(to_spdx(sample_findings(), created=WHEN))
    return result


def test_document_creation_information_required_fields() -> None:
    doc = _doc()
    assert doc["spdxVersion"] == "SPDX-2.3"
    assert doc["dataLicense"] == "CC0-1.0"
    assert doc["SPDXID"] == "SPDXRef-DOCUMENT"
    assert doc["name"]
    assert doc["documentNamespace"].startswith("https://")
    assert "#" not in doc["documentNamespace"]
    assert doc["creationInfo"]["created"] == "2026-12-04T12:00:00Z"
    assert all(
        re.match(r"^(Tool|Person|Organization): ", c) for c in doc["creationInfo"]["creators"]
    )


def test_packages_have_required_fields_and_unique_ids() -> None:
    packages = _doc()["packages"]
    assert packages
    ids = [p["SPDXID"] for p in packages]
    assert len(set(ids)) == len(ids)
    for package in packages:
        assert SPDX_ID.match(package["SPDXID"])
        assert package["name"]
        assert package["downloadLocation"] == "NOASSERTION"
        assert package["filesAnalyzed"] is False
        purls = [r for r in package["externalRefs"] if r["referenceType"] == "purl"]
        assert len(purls) == 1
        assert purls[0]["referenceCategory"] == "PACKAGE-MANAGER"
        assert purls[0]["referenceLocator"].startswith("pkg:")
        for ref in package["externalRefs"]:
            assert ref["referenceCategory"] in {"SECURITY", "PACKAGE-MANAGER"}


def test_every_package_described_and_every_purl_present() -> None:
    doc = _doc()
    described = {
        r["relatedSpdxElement"]
        for r in doc["relationships"]
        if r["spdxElementId"] == "SPDXRef-DOCUMENT" and r["relationshipType"] == "DESCRIBES"
    }
    assert described == {p["SPDXID"] for p in doc["packages"]}
    expected = {
        purl.to_string()
        for f in sample_findings()
        if f.package_vulnerability_details is not None
        for purl in f.purls
        if purl is not None
    }
    locators = {
        r["referenceLocator"]
        for p in doc["packages"]
        for r in p["externalRefs"]
        if r["referenceType"] == "purl"
    }
    assert locators == expected


def test_log4shell_is_an_advisory_reference() -> None:
    advisories = [
        r for p in _doc()["packages"] for r in p["externalRefs"] if r["referenceType"] == "advisory"
    ]
    assert any(r["referenceLocator"].endswith("/CVE-2021-44228") for r in advisories)


def test_deterministic_and_empty_input() -> None:
    assert to_spdx(sample_findings(), created=WHEN) == to_spdx(sample_findings(), created=WHEN)
    empty = json.loads(to_spdx([], created=WHEN))
    assert empty["packages"] == []
    assert empty["relationships"] == []


def test_write_spdx(tmp_path: Any) -> None:
    path = tmp_path / "x.spdx.json"
    write_spdx(sample_findings(), path, created=WHEN)
    assert path.read_text(encoding="utf-8") == to_spdx(sample_findings(), created=WHEN)


def test_parse_spdx_reads_what_to_spdx_writes() -> None:
    from inspector_kit.sbom import parse_spdx

    doc = parse_spdx(to_spdx(sample_findings(), created=WHEN), source="x.spdx.json")
    written = _doc()["packages"]
    assert doc.spec_version == "SPDX-2.3"
    assert [c.bom_ref for c in doc.components] == [p["SPDXID"] for p in written]
    assert [c.version for c in doc.components] == [p["versionInfo"] for p in written]
    assert all(c.package_url is not None for c in doc.components)
    assert doc.errors == ()


def test_parse_spdx_bad_package_is_reported_not_fatal() -> None:
    import pytest

    from inspector_kit.errors import SbomFormatError
    from inspector_kit.sbom import parse_spdx

    bad = {"spdxVersion": "SPDX-2.3", "packages": [{"name": "ok"}, {"SPDXID": "SPDXRef-x"}, 3]}
    doc = parse_spdx(bad, source="s3://b/k")
    assert [c.name for c in doc.components] == ["ok"]
    assert [e.path for e in doc.errors] == ["$.packages[1].name", "$.packages[2]"]
    assert all(e.source == "s3://b/k" for e in doc.errors)
    with pytest.raises(SbomFormatError):
        parse_spdx(bad, strict=True)
    with pytest.raises(SbomFormatError, match="spdxVersion"):
        parse_spdx({"spdxVersion": "SPDX-3.0"})
    with pytest.raises(SbomFormatError, match="not JSON"):
        parse_spdx("{")
