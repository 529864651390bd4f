"""Example-based tests of the Finding model: convenience, open enums, errors."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from inspector_kit import Finding, FindingParseError, InspectorKitError, Severity
from inspector_kit.models import (
    FindingStatus,
    FindingType,
    FixAvailable,
    PackageManager,
    Resource,
    ResourceType,
    Runtime,
    VulnerablePackage,
    severity_rank,
)
from inspector_kit.models._codec import thaw

from .payloads import ARN, cvss, minimal_payload, package_details

UTC = timezone.utc
V31 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"


class TestParsing:
    def test_required_members_and_types(self) -> None:
        f = Finding.from_api(minimal_payload())
        assert f.finding_arn == ARN
        assert f.type is FindingType.PACKAGE_VULNERABILITY
        assert f.severity is Severity.HIGH
        assert f.status is FindingStatus.ACTIVE
        assert f.first_observed_at == datetime(2026, 10, 1, 8, tzinfo=UTC)
        assert f.first_observed_at.tzinfo is UTC
        assert f.resources[0].type is ResourceType.AWS_EC2_INSTANCE
        assert f.title is None and f.inspector_score is None

    def test_unknown_enum_values_are_kept_as_plain_strings(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        payload = minimal_payload(
            severity="SEVERE",
            resources=[
                {
                    "type": "AWS_ECS_TASK",
                    "id": "t-1",
                    "details": {
                        "awsLambdaFunction": {
                            "functionName": "f",
                            "runtime": "PYTHON_3_15",
                            "codeSha256": "x",
                            "version": "1",
                            "executionRoleArn": "arn:aws:iam::111122223333:role/r",
                        }
                    },
                }
            ],
            packageVulnerabilityDetails=package_details(
                vulnerablePackages=[{"name": "x", "version": "1", "packageManager": "GENERIC"}]
            ),
        )
        with caplog.at_level(logging.DEBUG, logger="inspector_kit.models"):
            f = Finding.from_api(payload)
        assert f.severity == "SEVERE" and type(f.severity) is str
        assert f.primary_resource.type == "AWS_ECS_TASK"
        lam = f.primary_resource.details.aws_lambda_function  # type: ignore[union-attr]
        assert lam is not None and lam.runtime == "PYTHON_3_15"
        assert f.vulnerable_packages[0].package_manager == "GENERIC"
        assert "unknown Severity value 'SEVERE'" in caplog.text
        assert json.loads(f.to_json()) == payload

    def test_known_enum_values_compare_as_strings(self) -> None:
        f = Finding.from_api(minimal_payload())
        assert (
            f.severity == "HIGH"
            and f"{f.severity}" == "HIGH"
            and str(f.type) == "PACKAGE_VULNERABILITY"
        )

    def test_unknown_members_are_kept_at_every_level(self) -> None:
        payload = minimal_payload(
            newTopLevel={"nested": [1, {"a": None}]},
            resources=[
                {
                    "type": "AWS_EC2_INSTANCE",
                    "id": "i-1",
                    "futureField": "x",
                    "details": {
                        "awsEcsTask": {"cluster": "c"},
                        "awsEc2Instance": {"platform": "AMAZON_LINUX_2", "newThing": True},
                    },
                }
            ],
        )
        f = Finding.from_api(payload)
        assert thaw(f.extra) == {"newTopLevel": {"nested": [1, {"a": None}]}}
        assert f.extra["newTopLevel"]["nested"] == (1, {"a": None})  # frozen: tuples, FrozenMaps
        assert f.primary_resource.extra == {"futureField": "x"}
        assert f.primary_resource.details.extra == {"awsEcsTask": {"cluster": "c"}}  # type: ignore[union-attr]
        assert json.loads(f.to_json()) == payload
        hash(f)

    def test_optional_null_reads_as_absent(self) -> None:
        f = Finding.from_api(minimal_payload(title=None, inspectorScore=None))
        assert f.title is None
        assert "title" not in f.to_api()

    def test_boto3_datetimes_and_epochs_are_normalised(self) -> None:
        jst = timezone(timedelta(hours=9))
        f = Finding.from_api(
            minimal_payload(
                firstObservedAt=datetime(2026, 10, 1, 17, 0, tzinfo=jst),
                lastObservedAt=1795161600,  # date -ud @1795161600: 2026-11-20T08:00:00Z
                updatedAt="Wed Sep 04 16:59:44.356 UTC 2024",
            )
        )
        assert f.first_observed_at == datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
        assert f.first_observed_at.tzinfo is UTC
        assert f.last_observed_at == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
        assert f.updated_at == datetime(2024, 9, 4, 16, 59, 44, 356000, tzinfo=UTC)
        assert f.to_api()["firstObservedAt"] == datetime(2026, 10, 1, 8, 0, tzinfo=UTC)

    def test_direct_construction_converts_api_forms(self) -> None:
        r = Resource(type="AWS_EC2_INSTANCE", id="i-1", tags={"env": "prod"})  # type: ignore[arg-type]
        assert r.type is ResourceType.AWS_EC2_INSTANCE
        assert r.tags == {"env": "prod"}
        hash(r)
        p = VulnerablePackage(name="x", version="1", package_manager="PIP")
        assert p.package_manager is PackageManager.PIP

    def test_repr_shows_only_set_members(self) -> None:
        r = Resource.from_api({"type": "AWS_EC2_INSTANCE", "id": "i-1", "x": 1})
        assert repr(r) == (
            "Resource(type=<ResourceType.AWS_EC2_INSTANCE: 'AWS_EC2_INSTANCE'>, "
            "id='i-1', extra={'x': 1})"
        )


class TestErrors:
    @pytest.mark.parametrize(
        ("payload", "path", "reason"),
        [
            (minimal_payload(findingArn=7), "findingArn", "expected a string, got int"),
            (
                {k: v for k, v in minimal_payload().items() if k != "status"},
                "status",
                "required member is missing",
            ),
            (minimal_payload(severity=None), "severity", "required member is null"),
            (minimal_payload(resources=[]), "resources", "expected at least 1 item(s)"),
            (minimal_payload(resources={"type": "x"}), "resources", "expected a list, got dict"),
            (
                minimal_payload(
                    resources=[
                        {
                            "type": "AWS_EC2_INSTANCE",
                            "id": "i-1",
                            "details": {"awsEc2Instance": {"launchedAt": "yesterday"}},
                        }
                    ]
                ),
                "resources[0].details.awsEc2Instance.launchedAt",
                "not a timestamp in any known format",
            ),
            (
                minimal_payload(
                    resources=[{"type": "AWS_EC2_INSTANCE", "id": "i-1", "tags": {"env": 1}}]
                ),
                "resources[0].tags.env",
                "expected a string, got int",
            ),
            (
                minimal_payload(
                    networkReachabilityDetails={
                        "openPortRange": {"begin": "22", "end": 22},
                        "protocol": "TCP",
                        "networkPath": {},
                    }
                ),
                "networkReachabilityDetails.openPortRange.begin",
                "expected an integer, got str",
            ),
            (minimal_payload(epss={"score": True}), "epss.score", "expected a number, got bool"),
            (
                minimal_payload(
                    packageVulnerabilityDetails=package_details(cvss=[cvss("NVD", 9.8, V31), {}])
                ),
                "packageVulnerabilityDetails.cvss[1].baseScore",
                "required member is missing",
            ),
        ],
    )
    def test_errors_name_the_field_path_and_value(
        self, payload: dict, path: str, reason: str
    ) -> None:
        with pytest.raises(FindingParseError) as info:
            Finding.from_api(payload)
        exc = info.value
        assert exc.path == path
        assert exc.reason == reason
        assert isinstance(exc, InspectorKitError) and isinstance(exc, ValueError)
        assert str(exc).startswith(f"{path}: {reason} (value: ")

    def test_message_shows_the_offending_value(self) -> None:
        with pytest.raises(FindingParseError, match=r"launchedAt: .* \(value: 'yesterday'\)"):
            Finding.from_api(
                minimal_payload(
                    resources=[
                        {
                            "type": "AWS_EC2_INSTANCE",
                            "id": "i",
                            "details": {"awsEc2Instance": {"launchedAt": "yesterday"}},
                        }
                    ]
                )
            )

    def test_missing_value_is_shown_as_missing(self) -> None:
        with pytest.raises(
            FindingParseError, match=r"^status: required member is missing \(value: <missing>\)$"
        ):
            Finding.from_api({k: v for k, v in minimal_payload().items() if k != "status"})

    def test_long_values_are_truncated_in_the_message(self) -> None:
        with pytest.raises(FindingParseError) as info:
            Finding.from_api(minimal_payload(description=["x" * 1000]))
        assert len(str(info.value)) < 200
        assert info.value.value == ["x" * 1000]  # the full value stays on the exception


class TestConvenience:
    def test_vulnerability_id_by_type(self) -> None:
        assert (
            Finding.from_api(
                minimal_payload(packageVulnerabilityDetails=package_details())
            ).vulnerability_id
            == "CVE-2023-38545"
        )
        code = {
            "filePath": {"fileName": "a.py", "filePath": "src/a.py", "startLine": 1, "endLine": 2},
            "detectorId": "python/log-injection@v1.0",
            "detectorName": "Log injection",
            "cwes": ["CWE-117"],
        }
        f = Finding.from_api(
            minimal_payload(type="CODE_VULNERABILITY", codeVulnerabilityDetails=code)
        )
        assert f.vulnerability_id == "python/log-injection@v1.0"
        f = Finding.from_api(
            minimal_payload(
                type="CODE_VULNERABILITY",
                codeVulnerabilityDetails={**code, "ruleId": "python-rule-1"},
            )
        )
        assert f.vulnerability_id == "python-rule-1"
        assert (
            Finding.from_api(minimal_payload(type="NETWORK_REACHABILITY")).vulnerability_id is None
        )

    def test_region_from_the_arn_else_the_resource(self) -> None:
        assert Finding.from_api(minimal_payload()).region == "eu-west-1"
        f = Finding.from_api(
            minimal_payload(
                findingArn="finding-1",
                resources=[{"type": "AWS_EC2_INSTANCE", "id": "i", "region": "ap-northeast-1"}],
            )
        )
        assert f.region == "ap-northeast-1"

    # AWS's own examples (docs/facts.md#score): the vendor score wins even when NVD's is higher.
    @pytest.mark.parametrize(
        ("source", "entries", "expected"),
        [
            (
                "AMAZON_CVE",
                [
                    cvss("NVD", 8.1, "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"),
                    cvss("AMAZON_CVE", 6.5, "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N"),
                ],
                ("AMAZON_CVE", 6.5, "vendor"),
            ),
            (
                "UBUNTU_CVE",
                [
                    cvss("UBUNTU_CVE", 4.8, "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N"),
                    cvss("NVD", 7.3, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L"),
                ],
                ("UBUNTU_CVE", 4.8, "vendor"),
            ),
            (
                "NVD",
                [
                    cvss("NVD", 5.0, "AV:N/AC:L/Au:N/C:N/I:N/A:P", "2.0"),
                    cvss("NVD", 7.5, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"),
                ],
                ("NVD", 7.5, "nvd"),
            ),
            # A vendor's v2 score does not beat a v3 score: Inspector scores with v3.1.
            (
                "REDHAT_CVE",
                [
                    cvss("REDHAT_CVE", 4.3, "AV:N/AC:M/Au:N/C:N/I:P/A:N", "2.0"),
                    cvss("NVD", 6.1, "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"),
                ],
                ("NVD", 6.1, "nvd"),
            ),
            # The vendor that published the vulnerability beats another vendor; 3.1 beats 3.0.
            (
                "DEBIAN_CVE",
                [
                    cvss("UBUNTU_CVE", 5.0, V31, "3.1"),
                    cvss("DEBIAN_CVE", 6.0, V31, "3.0"),
                    cvss("DEBIAN_CVE", 6.5, V31, "3.1"),
                ],
                ("DEBIAN_CVE", 6.5, "vendor"),
            ),
        ],
    )
    def test_cvss_prefers_vendor_v3(self, source: str, entries: list, expected: tuple) -> None:
        f = Finding.from_api(
            minimal_payload(
                packageVulnerabilityDetails=package_details(source=source, cvss=entries)
            )
        )
        choice = f.cvss
        assert choice is not None
        assert (choice.source, choice.score, choice.kind) == expected

    def test_cvss_prefers_the_adjusted_score(self) -> None:
        f = Finding.from_api(
            minimal_payload(
                inspectorScore=5.3,
                inspectorScoreDetails={
                    "adjustedCvss": {
                        "scoreSource": "NVD",
                        "version": "3.1",
                        "score": 5.3,
                        "scoringVector": V31 + "/MAV:A",
                        "adjustments": [],
                    }
                },
                packageVulnerabilityDetails=package_details(cvss=[cvss("NVD", 9.8, V31)]),
            )
        )
        assert f.cvss is not None and (f.cvss.kind, f.cvss.score, f.cvss.vector) == (
            "adjusted",
            5.3,
            V31 + "/MAV:A",
        )

    def test_cvss_is_none_without_scores(self) -> None:
        assert Finding.from_api(minimal_payload()).cvss is None
        assert (
            Finding.from_api(
                minimal_payload(packageVulnerabilityDetails=package_details(cvss=[]))
            ).cvss
            is None
        )

    def test_epss_and_age(self) -> None:
        f = Finding.from_api(minimal_payload(epss={"score": 0.97}))
        assert f.epss_score == 0.97
        assert Finding.from_api(minimal_payload()).epss_score is None
        assert f.age(datetime(2026, 10, 3, 8, tzinfo=UTC)) == timedelta(days=2)
        assert f.age(datetime(2026, 10, 3, 8)) == timedelta(days=2)  # naive means UTC
        assert f.age() > timedelta(0)

    @pytest.mark.parametrize(
        ("fix", "packages", "expected"),
        [
            ("YES", [], True),
            ("PARTIAL", [], True),
            (
                "NO",
                [{"name": "x", "version": "1", "fixedInVersion": "2"}],
                False,
            ),  # fixAvailable wins
            (None, [{"name": "x", "version": "1", "fixedInVersion": "NotAvailable"}], False),
            (
                None,
                [
                    {"name": "x", "version": "1", "fixedInVersion": "NotAvailable"},
                    {"name": "y", "version": "1", "fixedInVersion": "1.1"},
                ],
                True,
            ),
            (None, [], False),
        ],
    )
    def test_is_fixable(self, fix: str | None, packages: list, expected: bool) -> None:
        extra = {"fixAvailable": fix} if fix else {}
        f = Finding.from_api(
            minimal_payload(
                packageVulnerabilityDetails=package_details(vulnerablePackages=packages), **extra
            )
        )
        assert f.is_fixable is expected
        if fix:
            assert f.fix_available is FixAvailable(fix)

    def test_vulnerable_packages_and_full_version(self) -> None:
        f = Finding.from_api(
            minimal_payload(
                packageVulnerabilityDetails=package_details(
                    vulnerablePackages=[
                        {
                            "name": "openssl",
                            "version": "1.0.2k",
                            "release": "24.amzn2.0.7",
                            "epoch": 1,
                        },
                        {"name": "bash", "version": "5.1", "epoch": 0},
                    ]
                )
            )
        )
        assert [p.full_version for p in f.vulnerable_packages] == ["1:1.0.2k-24.amzn2.0.7", "5.1"]
        assert Finding.from_api(minimal_payload()).vulnerable_packages == ()

    def test_resource_platform_from_any_details_kind(self) -> None:
        for details, platform in (
            ({"awsEc2Instance": {"platform": "UBUNTU_22_04"}}, "UBUNTU_22_04"),
            (
                {
                    "awsEcrContainerImage": {
                        "repositoryName": "r",
                        "imageHash": "sha256:" + "0" * 64,
                        "registry": "1",
                        "platform": "DEBIAN_12",
                    }
                },
                "DEBIAN_12",
            ),
            ({"vm": {"platform": "UBUNTU_24_04"}}, "UBUNTU_24_04"),
            (
                {
                    "awsLambdaFunction": {
                        "functionName": "f",
                        "runtime": "PYTHON_3_12",
                        "codeSha256": "x",
                        "version": "1",
                        "executionRoleArn": "r",
                    }
                },
                None,
            ),
            (None, None),
        ):
            r = Resource.from_api(
                {"type": "AWS_EC2_INSTANCE", "id": "x", **({"details": details} if details else {})}
            )
            assert r.platform == platform


class TestEnums:
    def test_severity_rank_orders_by_risk_not_alphabet(self) -> None:
        ordered = sorted(Severity, key=severity_rank)
        assert [s.value for s in ordered] == [
            "UNTRIAGED",
            "INFORMATIONAL",
            "LOW",
            "MEDIUM",
            "HIGH",
            "CRITICAL",
        ]
        assert severity_rank("NEW") == -1
        assert Runtime.PYTHON_3_12 == "PYTHON_3_12"


def test_unknown_members_nesting_too_deep_are_a_parse_error() -> None:
    from inspector_kit.models._codec import MAX_EXTRA_DEPTH

    nested: list[Any] = []
    cursor = nested
    for _ in range(5000):
        cursor.append([])
        cursor = cursor[0]
    with pytest.raises(FindingParseError, match=f"nested deeper than {MAX_EXTRA_DEPTH}") as info:
        Finding.from_api(minimal_payload(futureThing=nested))
    assert info.value.path == "futureThing"
    fine: list[Any] = []
    cursor = fine
    for _ in range(MAX_EXTRA_DEPTH - 1):
        cursor.append([])
        cursor = cursor[0]
    f = Finding.from_api(minimal_payload(futureThing=fine))
    hash(f)
    assert Finding.from_api(f.to_api()) == f


def test_severity_rank_property_is_a_deprecated_alias() -> None:
    for severity in Severity:
        with pytest.warns(DeprecationWarning, match="severity_rank"):
            assert severity.rank == severity_rank(severity)
    assert severity_rank(Severity.CRITICAL) == 5 and severity_rank(Severity.UNTRIAGED) == 0


def test_finding_age_takes_a_naive_now_as_utc_and_an_aware_one_in_any_zone() -> None:
    f = Finding.from_api(minimal_payload(firstObservedAt="2026-10-01T08:00:00Z"))
    tokyo = timezone(timedelta(hours=9))
    assert f.age(datetime(2026, 10, 1, 18, tzinfo=tokyo)) == timedelta(hours=1)
    assert f.age(datetime(2026, 10, 1, 9)) == timedelta(hours=1)  # naive: UTC (released)


@pytest.mark.parametrize(
    ("old", "name", "surface"),
    [
        ("inspector_kit.models.finding", "Finding", "inspector_kit.models"),
        ("inspector_kit.models.resources", "Resource", "inspector_kit.models"),
        ("inspector_kit.models.coverage", "CoveredResource", "inspector_kit.models"),
        ("inspector_kit.models.configuration", "Configuration", "inspector_kit.models"),
        ("inspector_kit.models.account", "AccountState", "inspector_kit.models"),
        ("inspector_kit.models.finding_details", "FindingDetail", "inspector_kit.models"),
        ("inspector_kit.models.enums", "Severity", "inspector_kit.models"),
        ("inspector_kit.models.aggregations", "SeverityCounts", "inspector_kit.models"),
        ("inspector_kit.scoring.vectors", "parse_vector", "inspector_kit.scoring"),
        ("inspector_kit.scoring.exposure", "ExposurePolicy", "inspector_kit.scoring"),
    ],
)
def test_old_module_paths_are_deprecated_aliases(old: str, name: str, surface: str) -> None:
    import importlib

    module = importlib.import_module(old)  # importing alone does not warn
    package, _, leaf = old.rpartition(".")
    assert getattr(importlib.import_module(package), leaf) is module  # models.enums.X too
    with pytest.warns(
        DeprecationWarning, match=f"{old} is deprecated: import {name} from {surface}"
    ):
        value = getattr(module, name)
    assert value is getattr(importlib.import_module(surface), name)
    with pytest.raises(AttributeError, match="NoSuchName"):
        module.NoSuchName  # noqa: B018
