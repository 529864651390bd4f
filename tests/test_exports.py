"""Server-side exports end to end: real boto3 clients, S3 through moto, Inspector loopback."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import boto3
import pytest
from moto import mock_aws

from inspector_kit import Inspector
from inspector_kit.fetch import (
    ExportFailedError,
    ExportInProgressError,
    ExportSettings,
    ExportTimeoutError,
    FindingCriteria,
)
from inspector_kit.testing import LoopbackInspector

REGION = "us-east-1"
BUCKET = "inspector-reports"
KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _no_sleep(seconds: float) -> None:
    pass


@pytest.fixture
def s3() -> Iterator[Any]:
    with mock_aws():
        client = boto3.client("s3", region_name=REGION)
        client.create_bucket(Bucket=BUCKET)
        yield client


@pytest.fixture
def setup(s3: Any) -> Iterator[tuple[Inspector, LoopbackInspector, Any]]:
    with LoopbackInspector(s3=s3) as server:
        inspector = Inspector(
            regions=[REGION],
            endpoint_url=server.endpoint_url,
            exports=ExportSettings(s3_client=s3, sleep=_no_sleep),
        )
        yield inspector, server, s3


def test_export_equals_findings(setup: tuple[Inspector, LoopbackInspector, Any]) -> None:
    inspector, server, _ = setup
    export = inspector.export_findings(BUCKET, KEY, prefix="reports/")
    assert export.status == "SUCCEEDED"
    assert export.objects == (f"reports/{export.report_id}.json",)
    exported = {f.finding_arn for f in export}
    assert exported == {f.finding_arn for f in inspector.findings()}
    assert export.errors == []
    polls = [r for r in server.requests if r.operation == "GetFindingsReportStatus"]
    assert len(polls) == 2


def test_filtered_export(setup: tuple[Inspector, LoopbackInspector, Any]) -> None:
    inspector, _, _ = setup
    criteria = FindingCriteria(severity=["CRITICAL"])
    export = inspector.export_findings(BUCKET, KEY, criteria=criteria)
    exported = {f.finding_arn for f in export}
    assert exported
    assert exported == {f.finding_arn for f in inspector.findings(criteria)}
    assert all(f.severity == "CRITICAL" for f in inspector.findings(criteria))


def test_csv_export_lists_objects_but_is_not_iterable(
    setup: tuple[Inspector, LoopbackInspector, Any],
) -> None:
    inspector, _, _ = setup
    export = inspector.export_findings(BUCKET, KEY, format="CSV")
    assert export.objects == (f"{export.report_id}.csv",)
    with pytest.raises(ValueError, match="CSV"):
        next(iter(export))
    with pytest.raises(ValueError, match="format"):
        inspector.export_findings(BUCKET, KEY, format="XML")


def test_bad_bucket(setup: tuple[Inspector, LoopbackInspector, Any]) -> None:
    inspector, _, _ = setup
    with pytest.raises(ExportFailedError) as info:
        inspector.export_findings("no-such-bucket", KEY)
    assert info.value.error_code == "BUCKET_NOT_FOUND"
    assert "s3:PutObject" in str(info.value)
    assert "arn:aws:s3:::no-such-bucket/*" in str(info.value)


def test_kms_denied(setup: tuple[Inspector, LoopbackInspector, Any]) -> None:
    inspector, _, _ = setup
    with pytest.raises(ExportFailedError) as info:
        inspector.export_findings(BUCKET, KEY + "-denied")
    assert info.value.error_code == "MALFORMED_KMS_KEY"
    assert "kms:GenerateDataKey" in str(info.value)
    assert "kms:Decrypt" in str(info.value)


def test_report_already_in_progress(setup: tuple[Inspector, LoopbackInspector, Any]) -> None:
    inspector, _, _ = setup
    running = inspector.export_findings(BUCKET, KEY, wait=False)
    assert running.status == "IN_PROGRESS"
    with pytest.raises(ExportInProgressError) as info:
        inspector.export_findings(BUCKET, KEY)
    assert info.value.running_report_id == running.report_id
    assert info.value.code == "ConflictException"
    running.cancel()
    assert running.status == "CANCELLED"
    with pytest.raises(ExportFailedError, match="CANCELLED"):
        list(running)
    again = inspector.export_findings(BUCKET, KEY)
    assert again.status == "SUCCEEDED"


def test_timeout_with_fake_clock(setup: tuple[Inspector, LoopbackInspector, Any]) -> None:
    inspector, _, s3 = setup
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    inspector = Inspector(
        regions=[REGION],
        endpoint_url=inspector.client().meta.endpoint_url,
        exports=ExportSettings(s3_client=s3, sleep=sleep, clock=lambda: now[0]),
    )
    export = inspector.export_findings(BUCKET, KEY, wait=False)
    # Never finishing: sleeps 1, 2, 4, then the 3 s left, then gives up.
    export.refresh = lambda: "IN_PROGRESS"  # type: ignore[method-assign]
    with pytest.raises(ExportTimeoutError) as info:
        export.wait(timeout=10)
    assert info.value.report_id == export.report_id
    assert slept == [1, 2, 4, 3]
    assert now[0] == 10
    del export.refresh  # the real poll again: the loopback finishes it
    export.wait(timeout=100)
    assert export.status == "SUCCEEDED"


def test_backoff_is_exponential(setup: tuple[Inspector, LoopbackInspector, Any]) -> None:
    inspector, _, _ = setup
    export = inspector.export_findings(BUCKET, KEY, wait=False)
    statuses = iter(["IN_PROGRESS"] * 4 + ["SUCCEEDED"])
    slept: list[float] = []

    def refresh() -> str:
        export.status = next(statuses)
        return export.status

    export.refresh = refresh  # type: ignore[method-assign]
    export.settings = attrs.evolve(export.settings, sleep=slept.append)
    export.wait(timeout=1000, initial=1, maximum=5)
    assert slept == [1, 2, 4, 5]


def test_sbom_export(setup: tuple[Inspector, LoopbackInspector, Any]) -> None:
    inspector, _, _ = setup
    export = inspector.export_sbom(BUCKET, KEY, prefix="sbom")
    assert export.status == "SUCCEEDED"
    documents = list(export)
    assert documents
    kinds = {key.split("/")[2] for key, _ in documents}
    assert kinds <= {"AWS_EC2_INSTANCE", "AWS_ECR_CONTAINER_IMAGE", "AWS_LAMBDA_FUNCTION"}
    purls = {c.purl for _, doc in documents for c in doc.components}
    expected = {
        p.to_string()
        for f in inspector.findings()
        if str(f.primary_resource.type) in kinds
        for p in f.purls
        if p is not None
    }
    assert purls and {str(p) for p in purls} <= expected


def test_sbom_resource_filter(setup: tuple[Inspector, LoopbackInspector, Any]) -> None:
    inspector, _, _ = setup
    export = inspector.export_sbom(
        BUCKET,
        KEY,
        resource_criteria={
            "resourceType": [{"comparison": "EQUALS", "value": "AWS_LAMBDA_FUNCTION"}]
        },
    )
    assert export.objects
    assert all("/AWS_LAMBDA_FUNCTION/" in key for key in export.objects)


def test_findings_at_scale_exports_only_the_regions_above_the_threshold(
    s3: Any, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    with LoopbackInspector(s3=s3) as server:
        inspector = Inspector(
            regions=["us-east-1", "eu-west-1"],
            endpoint_url=server.endpoint_url,
            exports=ExportSettings(s3_client=s3, sleep=_no_sleep),
        )
        counts = inspector.count().by_region()
        threshold = min(counts.values())  # the smaller region is listed, the larger exported
        big = max(counts, key=lambda r: counts[r])
        with caplog.at_level(logging.INFO, logger="inspector_kit.fetch"):
            found = list(
                inspector.findings_at_scale(
                    bucket=BUCKET,
                    kms_key_arn=KEY,
                    threshold=threshold,
                )
            )
        listed = {f.finding_arn for f in inspector.findings()}
        reports = s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    assert {f.finding_arn for f in found} == listed and len(found) == len(listed)
    assert len(reports) == 1  # one export, for the one region above the threshold
    assert f"{big} has {counts[big]} findings" in caplog.text


# ----------------------------------------------------------------------------- bad objects
# Issue 14, item 15: one bad document in an export is reported with its S3 key, and the
# iteration goes on over the others; never a foreign exception, never a silent stop.


def test_bad_sbom_documents_are_reported_and_the_rest_delivered(
    setup: tuple[Inspector, LoopbackInspector, Any], caplog: pytest.LogCaptureFixture
) -> None:
    import json
    import logging

    from inspector_kit.sbom import SbomFormatError

    inspector, _, s3 = setup
    export = inspector.export_sbom(BUCKET, KEY, prefix="sbom")
    good_keys = list(export.objects)
    export._objects = None  # list again, with the objects put below
    base = f"sbom/{export.report_id}/0-bad"  # sorted before the good documents
    bad = {
        f"{base}/invalid.json": b"{not json",
        f"{base}/latin1.json": b'{"bomFormat": "Cyclone\xe9DX"}',
        f"{base}/deep.json": b"[" * 100_000 + b"]" * 100_000,
        f"{base}/spdx.json": b'{"spdxVersion": "SPDX-2.3"}',
        f"{base}/empty.json": b"",
    }
    component_doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.4",
        "components": [{"type": "library", "name": "kept"}, {"type": "library", "name": 7}],
    }
    mixed_key = f"{base}/mixed.json"
    for key, body in [*bad.items(), (mixed_key, json.dumps(component_doc).encode())]:
        s3.put_object(Bucket=BUCKET, Key=key, Body=body)

    with caplog.at_level(logging.WARNING):
        documents = dict(iter(export))

    # Every good document is delivered, and the one with a bad component, minus it.
    assert set(documents) == {*good_keys, mixed_key}
    mixed = documents[mixed_key]
    assert [c.name for c in mixed.components] == ["kept"]
    assert [(e.source, e.path) for e in mixed.errors] == [(mixed_key, "$.components[1].name")]
    # Each bad document is reported once, naming its key.
    assert sorted(str(e.source) for e in export.errors) == sorted(bad)
    assert all(isinstance(e, SbomFormatError) for e in export.errors)
    reasons = {e.source: e.reason for e in export.errors}
    assert "nested too deeply" in reasons[f"{base}/deep.json"]
    assert "not UTF-8" in reasons[f"{base}/latin1.json"]
    assert "not a CycloneDX" in str(next(e for e in export.errors if "spdx" in str(e.source)))
    assert f"{len(bad)} document(s) could not be read" in caplog.text
    with pytest.raises(SbomFormatError):
        export.raise_for_errors()


def test_bad_spdx_documents_are_reported(setup: tuple[Inspector, LoopbackInspector, Any]) -> None:
    inspector, _, s3 = setup
    export = inspector.export_sbom(BUCKET, KEY, format="SPDX_2_3", prefix="sbom")
    good_keys = list(export.objects)
    export._objects = None
    bad_key = f"sbom/{export.report_id}/0-bad.json"
    s3.put_object(Bucket=BUCKET, Key=bad_key, Body=b"\xff\xfe\xfa")
    documents = dict(iter(export))
    assert list(documents) == good_keys
    assert [e.source for e in export.errors] == [bad_key]


def test_a_bad_findings_report_object_is_reported_and_the_rest_delivered(
    setup: tuple[Inspector, LoopbackInspector, Any],
) -> None:
    from inspector_kit import FindingParseError, SourceFormatError
    from inspector_kit.fetch import ExportRecordIssue
    from inspector_kit.loaders import RecordIssue

    inspector, _, s3 = setup
    export = inspector.export_findings(BUCKET, KEY)
    (good_key,) = export.objects
    export._objects = None
    not_utf8 = f"{export.report_id}-a.json"
    bad_record = f"{export.report_id}-b.json"
    s3.put_object(Bucket=BUCKET, Key=not_utf8, Body=b'{"findings": [{"title": "caf\xe9"}]}')
    s3.put_object(Bucket=BUCKET, Key=bad_record, Body=b'{"findings": [{"findingArn": 1}]}')

    exported = {f.finding_arn for f in export}

    assert exported == {f.finding_arn for f in inspector.findings()}
    by_key = {e.key: e for e in export.errors}
    assert set(by_key) == {not_utf8, bad_record}
    assert all(
        isinstance(e, RecordIssue) and isinstance(e, ExportRecordIssue) for e in export.errors
    )
    unreadable = by_key[not_utf8].error
    assert isinstance(unreadable, SourceFormatError)
    assert unreadable.source == f"s3://{BUCKET}/{not_utf8}"
    assert "not UTF-8" in str(by_key[not_utf8])
    assert isinstance(by_key[bad_record].error, FindingParseError)
    assert str(by_key[bad_record]).startswith(f"{bad_record}: record 0 (line 1): findingArn")
    with pytest.raises(SourceFormatError):
        export.raise_for_errors()
    assert good_key in export.objects


def test_per_call_s3_client_and_sleep_are_deprecated_but_work(s3: Any) -> None:
    slept: list[float] = []
    with LoopbackInspector(s3=s3) as server:
        inspector = Inspector(regions=[REGION], endpoint_url=server.endpoint_url)
        with pytest.warns(DeprecationWarning, match=r"exports=ExportSettings\(s3_client=, sleep="):
            export = inspector.export_findings(BUCKET, KEY, s3_client=s3, sleep=slept.append)
        assert export.status == "SUCCEEDED"
        assert export.settings.s3_client is s3 and export.settings.sleep == slept.append
        assert inspector.exports.s3_client is None  # the facade's own settings are unchanged
        assert sum(1 for _ in export) == sum(1 for _ in inspector.findings())


def test_export_settings_are_the_facades_configuration(
    setup: tuple[Inspector, LoopbackInspector, Any],
) -> None:
    inspector, _, s3 = setup
    export = inspector.export_sbom(BUCKET, KEY, prefix="sbom")
    assert export.settings is inspector.exports
    assert export._s3 is s3
    with pytest.raises(ValueError, match="timeout must be a non-negative number"):
        ExportSettings(timeout=-1)
    with pytest.raises(ValueError, match="exports must be an ExportSettings"):
        Inspector(regions=[REGION], exports={"timeout": 5})  # type: ignore[arg-type]


def test_export_errors_live_in_the_error_module() -> None:
    from inspector_kit import errors, fetch

    assert fetch.ExportFailedError is errors.ExportFailedError
    assert fetch.ExportTimeoutError is errors.ExportTimeoutError
    assert issubclass(errors.ExportInProgressError, errors.FetchError)


def test_renamed_value_classes_keep_deprecated_aliases() -> None:
    from inspector_kit import fetch
    from inspector_kit.loaders import RecordIssue

    with pytest.warns(DeprecationWarning, match=r"fetch.ExportRecordError is deprecated: use"):
        old = fetch.ExportRecordError
    assert old is fetch.ExportRecordIssue and issubclass(old, RecordIssue)
    with pytest.warns(DeprecationWarning, match=r"fetch.ItemError is deprecated: use"):
        assert fetch.ItemError is fetch.ItemIssue
    with pytest.raises(AttributeError):
        fetch.NoSuchName  # noqa: B018


def test_old_module_paths_are_deprecated_aliases() -> None:
    import importlib

    from inspector_kit import fetch

    exports = importlib.import_module("inspector_kit.fetch.exports")
    with pytest.warns(
        DeprecationWarning,
        match=r"fetch.exports is deprecated: import ExportRecordIssue from inspector_kit.fetch",
    ):
        assert exports.ExportRecordError is fetch.ExportRecordIssue
    inspector_module = importlib.import_module("inspector_kit.fetch.inspector")
    with pytest.warns(DeprecationWarning, match=r"import Inspector from inspector_kit\.fetch$"):
        assert inspector_module.Inspector is fetch.Inspector
    with pytest.raises(AttributeError):
        inspector_module.nothing_here  # noqa: B018
