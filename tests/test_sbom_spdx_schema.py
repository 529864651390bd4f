"""to_spdx output validated against the published SPDX 2.3 JSON schema (with jsonschema).

The schema is vendored (abridged: annotations removed) in tests/fixtures/spdx; see its
SOURCES.md. The tests also check that the schema rejects what it should, so that a schema
that validates everything cannot pass them.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from inspector_kit import load_findings, sample_findings
from inspector_kit.formats import to_spdx

SCHEMA_PATH = Path(__file__).parent / "fixtures" / "spdx" / "spdx-schema-2.3.json"
SBOM = Path(__file__).parent / "fixtures" / "sbom"
WHEN = datetime(2026, 12, 4, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft201909Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft201909Validator.check_schema(schema)
    return jsonschema.Draft201909Validator(schema)


def _errors(validator: jsonschema.Draft201909Validator, doc: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]


def test_to_spdx_of_the_sample_estate_is_valid(validator: Any) -> None:
    doc = json.loads(to_spdx(sample_findings(), created=WHEN))
    assert doc["packages"]  # not vacuous
    assert _errors(validator, doc) == []


def test_to_spdx_of_no_findings_is_valid(validator: Any) -> None:
    assert _errors(validator, json.loads(to_spdx([], created=WHEN))) == []


def test_to_spdx_of_scan_api_findings_is_valid(validator: Any) -> None:
    findings = list(load_findings(SBOM / "scan-sbom-inspector-aws-action.json"))
    findings += list(load_findings(SBOM / "scan-sbom-cyclonedx-userguide.json"))
    doc = json.loads(to_spdx(findings, created=WHEN))
    assert len(doc["packages"]) >= 5
    assert _errors(validator, doc) == []


def test_schema_rejects_what_it_should(validator: Any) -> None:
    doc = json.loads(to_spdx(sample_findings(), created=WHEN))
    no_license = {k: v for k, v in doc.items() if k != "dataLicense"}
    assert any("dataLicense" in e for e in _errors(validator, no_license))
    bad_ref = json.loads(json.dumps(doc))
    bad_ref["packages"][0]["externalRefs"][0]["referenceCategory"] = "PACKAGE MANAGER"
    assert _errors(validator, bad_ref)
    extra = dict(doc, vulnerabilities=[])
    assert _errors(validator, extra)


def test_inspectors_own_spdx_export_example_lacks_data_license(validator: Any) -> None:
    """AWS: SPDX exports "don't contain the Creative Commons Zero (CC0) field" (facts)."""
    doc = json.loads((SBOM / "inspector-export-spdx-userguide.json").read_text(encoding="utf-8"))
    errors = _errors(validator, doc)
    assert errors == ["[]: 'dataLicense' is a required property"]
