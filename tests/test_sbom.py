"""inspector_kit.sbom (CycloneDX SBOM exports) and inspector_kit.formats.to_cyclonedx."""

from __future__ import annotations

import json
import logging
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import inspector_kit.formats as fm
from inspector_kit import Finding, InspectorKitError, sample_findings
from inspector_kit.sbom import (
    SbomFormatError,
    join_findings,
    parse_cyclonedx,
    purl_key,
)
from inspector_kit.testing import finding_payload

FIXTURE = Path(__file__).parent / "fixtures" / "aws_examples" / "sbom" / "cyclonedx_ecr_image.json"


def _doc(**overrides: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"bomFormat": "CycloneDX", "specVersion": "1.4", "components": []}
    doc.update(overrides)
    return doc


# ----------------------------------------------------------------------------- parse


def test_parse_aws_example_shape() -> None:
    doc = parse_cyclonedx(FIXTURE.read_bytes())
    assert doc.resource_type == "AWS_ECR_CONTAINER_IMAGE"
    assert doc.account_id == "246813579024"
    assert doc.resource_id is not None and doc.resource_id.startswith("sha256:")
    assert doc.properties["architecture"] == "amd64"
    assert list(doc.properties) == ["imageId", "architecture", "accountId", "resourceType"]
    assert len(doc.components) == 6
    pip = doc.components[0]
    assert (pip.name, pip.version, pip.type) == ("urllib3", "1.26.12", "library")
    assert pip.purl is not None and pip.purl.startswith("pkg:pypi/urllib3@1.26.12?path=")
    assert pip.bom_ref == "3f9a1c7e2b5d4086a1e7c9b2d5f8a0e4"
    dpkg = doc.components[2]
    assert (dpkg.type, dpkg.version) == ("application", "2.5.0-1")
    log4j = doc.components[3]
    assert log4j.properties == {
        "amazon:inspector:sbom_collector:path": "opt/app/lib/log4j-core-2.14.1.jar"
    }
    # Same result from text, bytes and the parsed mapping; the result is hashable.
    text = FIXTURE.read_text(encoding="utf-8")
    assert parse_cyclonedx(text) == doc == parse_cyclonedx(json.loads(text))
    assert hash(doc) == hash(parse_cyclonedx(text))


def test_explicit_version_wins_over_purl() -> None:
    doc = parse_cyclonedx(
        _doc(components=[{"type": "library", "name": "x", "version": "2", "purl": "pkg:pypi/x@1"}])
    )
    assert doc.components[0].version == "2"
    bare = parse_cyclonedx(_doc(components=[{"type": "library", "name": "x"}]))
    assert (bare.components[0].version, bare.components[0].purl) == (None, None)


@pytest.mark.parametrize(
    ("document", "path", "words"),
    [
        ("{not json", "$", "not JSON"),
        ("[]", "$", "expected a JSON object, got list"),
        ({"bomFormat": "SPDX", "specVersion": "1.4"}, "$.bomFormat", "not a CycloneDX"),
        ({"spdxVersion": "SPDX-2.3"}, "$.bomFormat", "not a CycloneDX"),
        (_doc(specVersion="1.2"), "$.specVersion", "unsupported specVersion '1.2'"),
        (_doc(specVersion=None), "$.specVersion", "unsupported specVersion None"),
        (_doc(components={"name": "x"}), "$.components", "components must be a list, got dict"),
        (_doc(metadata=[]), "$.metadata", "expected an object, got list"),
        (_doc(metadata={"properties": {}}), "$.metadata.properties", "expected a list"),
        (
            _doc(metadata={"properties": [{"value": "x"}]}),
            "$.metadata.properties[0].name",
            "expected a string, got null",
        ),
        ("[" * 100_000 + "]" * 100_000, "$", "nested too deeply"),
        (b"[" * 100_000, "$", "nested too deeply"),
        (b'{"bomFormat": "Cyclone\xe9DX"}', "$", "not UTF-8"),
        (b"\xff\xfe\x00\xd8", "$", "not JSON"),
        ("", "$", "not JSON"),
        (b"1" * 5000, "$", "not JSON"),  # past Python's int digit limit
        (42, "$", "expected a JSON object, got int"),
        (None, "$", "expected a JSON object, got null"),
        (_doc(bomFormat=["CycloneDX"]), "$.bomFormat", "not a CycloneDX"),
        (_doc(specVersion=[1.4]), "$.specVersion", "unsupported specVersion"),
    ],
)
def test_format_errors_name_the_path(document: Any, path: str, words: str) -> None:
    with pytest.raises(SbomFormatError) as info:
        parse_cyclonedx(document)
    err = info.value
    assert isinstance(err, ValueError) and isinstance(err, InspectorKitError)
    assert err.path == path and words in err.reason
    assert str(err).startswith(f"{path}: ")
    again = pickle.loads(pickle.dumps(err))
    assert (again.path, again.reason, again.source) == (err.path, err.reason, None)


def test_format_errors_name_the_document() -> None:
    key = "sbom/r-1/AWS_LAMBDA_FUNCTION/fn.json"
    with pytest.raises(SbomFormatError) as info:
        parse_cyclonedx("{not json", source=key)
    assert info.value.source == key and str(info.value).startswith(f"{key}: $: not JSON")
    doc = parse_cyclonedx(_doc(components=[{"type": "library"}]), source=key)
    assert doc.errors[0].source == key
    assert str(doc.errors[0]) == f"{key}: $.components[0].name: expected a string, got null"
    again = pickle.loads(pickle.dumps(doc.errors[0]))
    assert (again.source, again.path, again.reason) == (
        key,
        "$.components[0].name",
        doc.errors[0].reason,
    )


@pytest.mark.parametrize(
    ("component", "path", "words"),
    [
        (3, "$.components[1]", "got int"),
        ({"type": "library"}, "$.components[1].name", "got null"),
        ({"name": "a"}, "$.components[1].type", "got null"),
        ({"type": "library", "name": "a", "purl": 5}, "$.components[1].purl", "got int"),
        ({"type": "library", "name": "a", "version": ["1"]}, "$.components[1].version", "got list"),
        ({"type": "library", "name": "a", "bom-ref": {}}, "$.components[1].bom-ref", "got dict"),
        (
            {"type": "library", "name": "a", "properties": [{"name": 1}]},
            "$.components[1].properties[0].name",
            "got int",
        ),
        ({"type": "library", "name": "a", "properties": "x"}, "$.components[1].properties", "list"),
    ],
)
def test_a_bad_component_is_reported_and_the_rest_kept(
    component: Any, path: str, words: str, caplog: pytest.LogCaptureFixture
) -> None:
    good = [
        {"type": "library", "name": "first", "purl": "pkg:pypi/first@1"},
        {"type": "library", "name": "last", "version": "2"},
    ]
    document = _doc(components=[good[0], component, good[1]])
    with caplog.at_level(logging.WARNING, logger="inspector_kit.sbom"):
        doc = parse_cyclonedx(document)
    assert [(c.name, c.version) for c in doc.components] == [("first", "1"), ("last", "2")]
    (err,) = doc.errors
    assert isinstance(err, SbomFormatError) and err.path == path and words in err.reason
    assert "1 component(s) could not be read" in caplog.text and path in caplog.text
    # The errors do not change what the document is.
    assert doc == parse_cyclonedx(_doc(components=good))
    with pytest.raises(SbomFormatError) as info:
        parse_cyclonedx(document, strict=True)
    assert info.value.path == path


def test_a_good_document_has_no_errors() -> None:
    doc = parse_cyclonedx(FIXTURE.read_bytes())
    assert doc.errors == ()
    assert parse_cyclonedx(bytearray(FIXTURE.read_bytes())) == doc


# ----------------------------------------------------------------------------- join


def test_purl_key_ignores_qualifiers() -> None:
    assert purl_key("pkg:rpm/amazon/a@1?arch=x86_64&epoch=1") == purl_key(
        "pkg:rpm/amazon/a@1?epoch=1&arch=x86_64"
    )
    assert purl_key("pkg:pypi/a@1") != purl_key("pkg:pypi/a@2")
    assert purl_key("not a purl") is None
    assert purl_key(None) is None


def test_join_against_sample_findings() -> None:
    findings = list(sample_findings())
    doc = parse_cyclonedx(FIXTURE.read_bytes())
    joined = join_findings([doc], findings)

    # Independent expectation, from the packages' own name/version/manager.
    wanted = {
        ("urllib3", "1.26.12"): {"PIP", "PIPENV", "POETRY", "PYTHONPKG", "PYTHON"},
        ("requests", "2.25.0"): {"PIP", "PIPENV", "POETRY", "PYTHONPKG", "PYTHON"},
        ("org.apache.logging.log4j:log4j-core", "2.14.1"): {"JAR", "POM", "JAVA"},
        ("semver", "7.3.8"): {"NPM", "YARN", "NODEPKG"},
        # AWS's example writes the OS package as pkg:dpkg/libexpat1@2.5.0-1?epoch=0; it joins
        # the deb findings of the same version-release (issue 17: Inspector's own spellings).
        ("libexpat1", "2.5.0-1"): {"OS"},
    }
    expected: dict[str, list[str]] = {}
    for (name, version), managers in wanted.items():
        expected[name] = [
            f.finding_arn
            for f in findings
            if any(
                p.name == name
                and (p.version == version or f"{p.version}-{p.release}" == version)
                and str(getattr(p.package_manager, "value", p.package_manager)) in managers
                for p in f.vulnerable_packages
            )
        ]
    assert all(expected.values())  # the fixture was chosen to match

    got = {j.component.name: [f.finding_arn for f in j.findings] for j in joined}
    assert got == expected
    # Document order; unmatched components (leftpad-internal) left out.
    assert sorted(j.component.name for j in joined) == sorted(expected)
    assert all(j.document is doc for j in joined)
    log4j = next(j for j in joined if j.component.name.endswith("log4j-core"))
    assert "CVE-2021-44228" in log4j.vulnerability_ids


def test_join_nothing() -> None:
    assert join_findings([], sample_findings()) == []
    assert join_findings([parse_cyclonedx(FIXTURE.read_bytes())], []) == []


# ----------------------------------------------------------------------------- to_cyclonedx


def _independent_counts(findings: list[Finding]) -> tuple[int, int]:
    purls: set[str] = set()
    ids: set[str] = set()
    for f in findings:
        details = f.package_vulnerability_details
        if details is None:
            continue
        ids.add(details.vulnerability_id)
        purls.update(str(p) for p in f.purls if p is not None)
    return len(purls), len(ids)


def test_to_cyclonedx_validates_and_counts() -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    findings = list(sample_findings())
    text = fm.to_cyclonedx(findings)
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None

    bom = json.loads(text)
    assert (bom["bomFormat"], bom["specVersion"]) == ("CycloneDX", "1.6")
    n_components, n_vulnerabilities = _independent_counts(findings)
    assert len(bom["components"]) == n_components
    assert len(bom["vulnerabilities"]) == n_vulnerabilities
    refs = {c["bom-ref"] for c in bom["components"]}
    assert {c["purl"] for c in bom["components"]} == refs
    for vulnerability in bom["vulnerabilities"]:
        assert {a["ref"] for a in vulnerability.get("affects", [])} <= refs


def test_to_cyclonedx_ratings() -> None:
    findings = list(sample_findings())
    f = next(
        f
        for f in findings
        if f.package_vulnerability_details is not None
        and f.package_vulnerability_details.cvss
        and f.epss_score is not None
        and f.inspector_score is not None
        and f.package_vulnerability_details.source_url
    )
    details = f.package_vulnerability_details
    assert details is not None and details.cvss and details.source_url
    bom = json.loads(fm.to_cyclonedx([f]))
    (vulnerability,) = bom["vulnerabilities"]
    assert vulnerability["id"] == details.vulnerability_id
    ratings = vulnerability["ratings"]
    cvss = details.cvss[0]
    method = {"2.0": "CVSSv2", "3.0": "CVSSv3", "3.1": "CVSSv31", "4.0": "CVSSv4"}[cvss.version]
    # cyclonedx-python-lib drops the "CVSS:3.x/" prefix of v3 vectors (CycloneDX's form).
    assert any(
        r["source"] == {"name": cvss.source}
        and r["score"] == cvss.base_score
        and r["method"] == method
        and cvss.scoring_vector.endswith(r["vector"])
        for r in ratings
    )
    by_source = {r["source"]["name"]: r for r in ratings}
    assert by_source["Amazon Inspector"]["score"] == f.inspector_score
    assert by_source["Amazon Inspector"]["method"] == "other"
    assert by_source["FIRST EPSS"]["score"] == f.epss_score
    assert by_source["FIRST EPSS"]["method"] == "other"
    assert {"url": details.source_url} in vulnerability["advisories"]
    assert len(bom["components"]) == sum(p is not None for p in f.purls)


def test_to_cyclonedx_empty_and_single(tmp_path: Path) -> None:
    bom = json.loads(fm.to_cyclonedx([]))
    assert bom.get("components", []) == [] and bom.get("vulnerabilities", []) == []
    f = Finding.from_api(finding_payload())
    path = tmp_path / "one.cdx.json"
    fm.write_cyclonedx(f, path)
    assert json.loads(path.read_text(encoding="utf-8")) | {"serialNumber": 0, "metadata": 0} == (
        json.loads(fm.to_cyclonedx([f])) | {"serialNumber": 0, "metadata": 0}
    )


def test_missing_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "cyclonedx" or m.startswith("cyclonedx.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "cyclonedx", None)
    with pytest.raises(fm.MissingExtraError) as info:
        fm.to_cyclonedx(sample_findings())
    err = info.value
    assert "pip install 'inspector-kit[sbom]'" in str(err)
    assert (err.module, err.extra, err.feature) == ("cyclonedx", "sbom", "to_cyclonedx")


def test_import_does_not_load_cyclonedx() -> None:
    code = (
        "import sys, inspector_kit.formats, inspector_kit.sbom; "
        "print([m for m in sys.modules if m.split('.')[0] == 'cyclonedx'])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_to_cyclonedx_keeps_urls_that_are_not_valid_uris() -> None:
    # cyclonedx-python-lib rejects a "%" without two hex digits and a second "#" with its
    # own exception; the URLs are percent-encoded instead, so nothing is lost.
    sample = next(f for f in sample_findings() if f.package_vulnerability_details)
    payload = sample.to_api()
    details = payload["packageVulnerabilityDetails"]
    details["sourceUrl"] = "https://example.com/100%-sure"
    details["referenceUrls"] = ["https://example.com/a#b#c", "https://example.com/%41ok"]
    bom = json.loads(fm.to_cyclonedx([Finding.from_api(payload)]))
    (vulnerability,) = bom["vulnerabilities"]
    assert vulnerability["source"]["url"] == "https://example.com/100%25-sure"
    assert sorted(a["url"] for a in vulnerability["advisories"]) == sorted(
        [
            "https://example.com/100%25-sure",
            "https://example.com/a#b%23c",
            "https://example.com/%41ok",
        ]
    )
