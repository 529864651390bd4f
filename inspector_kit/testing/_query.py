"""Filtering, sorting and aggregation of the loopback's findings and coverage records.

Each finding (and coverage record) is reduced once to its *features*: a mapping from a filter
criterion name (``severity``, ``resourceTags``, ``vulnerablePackages``, ...) to the tuple of
values that criterion is matched against. Requests are then answered from features alone.

Semantics (the loopback's; AWS does not document them all, see ``docs/testing.md``):

* criteria are AND'd together;
* within one string criterion the ``EQUALS`` and ``PREFIX`` filters are OR'd, and every
  ``NOT_EQUALS`` filter must hold (they are AND'd);
* a multi-valued field (``ecrImageTags``, ``relatedVulnerabilities``, ...) matches a positive
  filter when any of its values does, and a ``NOT_EQUALS`` filter when none of its values equals;
  a missing field matches no positive filter and every ``NOT_EQUALS`` filter;
* number, date, map, port-range and package filters in one criterion are OR'd.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl

from inspector_kit.models import Severity, severity_rank

from ._service import ServiceError

__all__ = [
    "COVERAGE_GROUPS",
    "SEVERITY_RANK",
    "SORT_FIELDS",
    "compile_coverage_filter",
    "compile_finding_filter",
    "coverage_features",
    "finding_features",
    "sort_key",
    "string_filter_matcher",
]

Features = Mapping[str, tuple[Any, ...]]
#: A predicate over a finding's (or record's) features.
Predicate = Callable[[Features], bool]

#: Severity order used by SEVERITY sorting: UNTRIAGED lowest, then INFORMATIONAL..CRITICAL
#: (the library's own order, so the loopback and the fetcher's merge agree).
SEVERITY_RANK = {s.value: severity_rank(s) for s in Severity}

#: ListFindings ``sortCriteria.field`` -> the feature it sorts by.
SORT_FIELDS = {
    "AWS_ACCOUNT_ID": "awsAccountId",
    "FINDING_TYPE": "findingType",
    "SEVERITY": "severity",
    "FIRST_OBSERVED_AT": "firstObservedAt",
    "LAST_OBSERVED_AT": "lastObservedAt",
    "FINDING_STATUS": "findingStatus",
    "RESOURCE_TYPE": "resourceType",
    "ECR_IMAGE_PUSHED_AT": "ecrImagePushedAt",
    "ECR_IMAGE_REPOSITORY_NAME": "ecrImageRepositoryName",
    "ECR_IMAGE_REGISTRY": "ecrImageRegistry",
    "NETWORK_PROTOCOL": "networkProtocol",
    "COMPONENT_TYPE": "componentType",
    "VULNERABILITY_ID": "vulnerabilityId",
    "VULNERABILITY_SOURCE": "vulnerabilitySource",
    "INSPECTOR_SCORE": "inspectorScore",
    "VENDOR_SEVERITY": "vendorSeverity",
    "EPSS_SCORE": "epssScore",
}

# The criteria of ListFindings' FilterCriteria the loopback implements, by filter kind.
_FINDING_STRING = frozenset(
    {
        "findingArn",
        "awsAccountId",
        "findingType",
        "severity",
        "findingStatus",
        "title",
        "resourceType",
        "resourceId",
        "ec2InstanceImageId",
        "ec2InstanceVpcId",
        "ec2InstanceSubnetId",
        "ecrImageArchitecture",
        "ecrImageRegistry",
        "ecrImageRepositoryName",
        "ecrImageTags",
        "ecrImageHash",
        "networkProtocol",
        "componentId",
        "componentType",
        "vulnerabilityId",
        "vulnerabilitySource",
        "vendorSeverity",
        "relatedVulnerabilities",
        "fixAvailable",
        "exploitAvailable",
        "lambdaFunctionName",
        "lambdaFunctionLayers",
        "lambdaFunctionRuntime",
        "lambdaFunctionExecutionRoleArn",
        "codeVulnerabilityDetectorName",
        "codeVulnerabilityDetectorTags",
        "codeVulnerabilityFilePath",
    }
)
_FINDING_NUMBER = frozenset({"inspectorScore", "epssScore", "ecrImageInUseCount"})
_FINDING_DATE = frozenset(
    {
        "firstObservedAt",
        "lastObservedAt",
        "updatedAt",
        "ecrImagePushedAt",
        "ecrImageLastInUseAt",
        "lambdaFunctionLastModifiedAt",
    }
)

_COVERAGE_STRING = frozenset(
    {
        "accountId",
        "resourceId",
        "resourceType",
        "scanType",
        "scanStatusCode",
        "scanStatusReason",
        "scanMode",
        "ecrRepositoryName",
        "ecrImageTags",
        "lambdaFunctionName",
        "lambdaFunctionRuntime",
        # Azure and GCP resources (botocore 1.44.8, docs/facts.md#multicloud).
        "cloudProvider",
        "cloudProviderAccountId",
        "cloudProviderRegion",
        "cloudProviderOrgId",
        "cloudContainerImageTags",
        "cloudContainerRepositoryName",
        "cloudContainerRegistryName",
        "cloudServerlessFunctionName",
        "cloudServerlessFunctionRuntime",
    }
)
_COVERAGE_MAP = frozenset(
    {
        "ec2InstanceTags",
        "lambdaFunctionTags",
        "machineImageTags",
        "cloudVmInstanceTags",
        "cloudServerlessFunctionTags",
    }
)
_COVERAGE_DATE = frozenset({"lastScannedAt", "ecrImageLastInUseAt", "imagePulledAt"})
_COVERAGE_NUMBER = frozenset({"ecrImageInUseCount"})

#: ListCoverageStatistics ``groupBy`` -> the coverage feature it groups by.
COVERAGE_GROUPS = {
    "SCAN_STATUS_CODE": "scanStatusCode",
    "SCAN_STATUS_REASON": "scanStatusReason",
    "ACCOUNT_ID": "accountId",
    "RESOURCE_TYPE": "resourceType",
    "ECR_REPOSITORY_NAME": "ecrRepositoryName",
    "PROVIDER": "cloudProvider",
    "PROVIDER_ACCOUNT_ID": "cloudProviderAccountId",
    "PROVIDER_REGION": "cloudProviderRegion",
    "PROVIDER_ORG_ID": "cloudProviderOrgId",
}


# ----------------------------------------------------------------------------- features


def _values(*items: Any) -> tuple[Any, ...]:
    out: list[Any] = []
    for item in items:
        if item is None:
            continue
        if isinstance(item, (list, tuple)):
            out.extend(v for v in item if v is not None)
        else:
            out.append(item)
    return tuple(out)


def _numbers(*items: Any) -> tuple[float, ...]:
    return tuple(
        float(v) for v in _values(*items) if isinstance(v, (int, float)) and not isinstance(v, bool)
    )


def finding_features(wire: Mapping[str, Any]) -> dict[str, tuple[Any, ...]]:
    """The features of one finding in wire form (timestamps as epoch seconds)."""
    resources = wire.get("resources") or []
    details = [r.get("details") or {} for r in resources]
    ec2 = [d.get("awsEc2Instance") or {} for d in details]
    ecr = [d.get("awsEcrContainerImage") or {} for d in details]
    lam = [d.get("awsLambdaFunction") or {} for d in details]
    pvd = wire.get("packageVulnerabilityDetails") or {}
    nrd = wire.get("networkReachabilityDetails") or {}
    cvd = wire.get("codeVulnerabilityDetails") or {}
    steps = (nrd.get("networkPath") or {}).get("steps") or []
    port = nrd.get("openPortRange")
    tags: list[tuple[str, str]] = []
    for resource in resources:
        tags.extend((str(k), str(v)) for k, v in (resource.get("tags") or {}).items())
    return {
        "awsAccountId": _values(wire.get("awsAccountId")),
        "findingType": _values(wire.get("type")),
        "severity": _values(wire.get("severity")),
        "findingStatus": _values(wire.get("status")),
        "title": _values(wire.get("title")),
        "resourceType": _values(*[r.get("type") for r in resources]),
        "resourceId": _values(*[r.get("id") for r in resources]),
        "resourceTags": tuple(tags),
        "ec2InstanceImageId": _values(*[e.get("imageId") for e in ec2]),
        "ec2InstanceVpcId": _values(*[e.get("vpcId") for e in ec2]),
        "ec2InstanceSubnetId": _values(*[e.get("subnetId") for e in ec2]),
        "ecrImageArchitecture": _values(*[e.get("architecture") for e in ecr]),
        "ecrImageRegistry": _values(*[e.get("registry") for e in ecr]),
        "ecrImageRepositoryName": _values(*[e.get("repositoryName") for e in ecr]),
        "ecrImageTags": _values(*[e.get("imageTags") for e in ecr]),
        "ecrImageHash": _values(*[e.get("imageHash") for e in ecr]),
        "ecrImagePushedAt": _numbers(*[e.get("pushedAt") for e in ecr]),
        "ecrImageLastInUseAt": _numbers(*[e.get("lastInUseAt") for e in ecr]),
        "ecrImageInUseCount": _numbers(*[e.get("inUseCount") for e in ecr]),
        "lambdaFunctionName": _values(*[e.get("functionName") for e in lam]),
        "lambdaFunctionLayers": _values(*[e.get("layers") for e in lam]),
        "lambdaFunctionRuntime": _values(*[e.get("runtime") for e in lam]),
        "lambdaFunctionExecutionRoleArn": _values(*[e.get("executionRoleArn") for e in lam]),
        "lambdaFunctionLastModifiedAt": _numbers(*[e.get("lastModifiedAt") for e in lam]),
        "networkProtocol": _values(nrd.get("protocol")),
        "componentId": _values(*[s.get("componentId") for s in steps]),
        "componentType": _values(*[s.get("componentType") for s in steps]),
        "portRange": ((port.get("begin"), port.get("end")),) if isinstance(port, dict) else (),
        "vulnerabilityId": _values(pvd.get("vulnerabilityId")),
        "vulnerabilitySource": _values(pvd.get("source")),
        "vendorSeverity": _values(pvd.get("vendorSeverity")),
        "relatedVulnerabilities": _values(pvd.get("relatedVulnerabilities")),
        "vulnerablePackages": tuple(pvd.get("vulnerablePackages") or ()),
        "fixAvailable": _values(wire.get("fixAvailable")),
        "exploitAvailable": _values(wire.get("exploitAvailable")),
        "codeVulnerabilityDetectorName": _values(cvd.get("detectorName")),
        "codeVulnerabilityDetectorTags": _values(cvd.get("detectorTags")),
        "codeVulnerabilityFilePath": _values((cvd.get("filePath") or {}).get("filePath")),
        "inspectorScore": _numbers(wire.get("inspectorScore")),
        "epssScore": _numbers((wire.get("epss") or {}).get("score")),
        "firstObservedAt": _numbers(wire.get("firstObservedAt")),
        "lastObservedAt": _numbers(wire.get("lastObservedAt")),
        "updatedAt": _numbers(wire.get("updatedAt")),
    }


def coverage_features(wire: Mapping[str, Any]) -> dict[str, tuple[Any, ...]]:
    """The features of one ``CoveredResource`` in wire form."""
    status = wire.get("scanStatus") or {}
    meta = wire.get("resourceMetadata") or {}
    ecr_repo = meta.get("ecrRepository") or {}
    ecr_image = meta.get("ecrImage") or {}
    ec2 = meta.get("ec2") or {}
    lam = meta.get("lambdaFunction") or {}
    vm = meta.get("vmInstance") or {}
    image = meta.get("containerImage") or {}
    serverless = meta.get("serverlessFunction") or {}
    return {
        "accountId": _values(wire.get("accountId")),
        "resourceId": _values(wire.get("resourceId")),
        "resourceType": _values(wire.get("resourceType")),
        "scanType": _values(wire.get("scanType")),
        "scanStatusCode": _values(status.get("statusCode")),
        "scanStatusReason": _values(status.get("reason")),
        "scanMode": _values(wire.get("scanMode")),
        "ecrRepositoryName": _values(ecr_repo.get("name")),
        "ecrImageTags": _values(ecr_image.get("tags")),
        "ec2InstanceTags": tuple((str(k), str(v)) for k, v in (ec2.get("tags") or {}).items()),
        "lambdaFunctionName": _values(lam.get("functionName")),
        "lambdaFunctionRuntime": _values(lam.get("runtime")),
        "lambdaFunctionTags": tuple(
            (str(k), str(v)) for k, v in (lam.get("functionTags") or {}).items()
        ),
        "lastScannedAt": _numbers(wire.get("lastScannedAt")),
        "ecrImageLastInUseAt": _numbers(ecr_image.get("lastInUseAt")),
        "imagePulledAt": _numbers(ecr_image.get("imagePulledAt")),
        "ecrImageInUseCount": _numbers(ecr_image.get("inUseCount")),
        "machineImageTags": _pairs((meta.get("machineImage") or {}).get("tags")),
        # A record without ``provider`` is taken as AWS's unless its type is Azure's or GCP's
        # (an assumption: the service's behaviour for such records is not documented).
        "cloudProvider": (_cloud(wire),),
        "cloudProviderAccountId": _values(wire.get("providerAccountId")),
        "cloudProviderRegion": _values(wire.get("providerRegion")),
        "cloudProviderOrgId": _values(wire.get("providerOrgId")),
        "cloudVmInstanceTags": _pairs(vm.get("tags")),
        "cloudContainerImageTags": _values(image.get("imageTags")),
        "cloudContainerRepositoryName": _values(
            (meta.get("containerRepository") or {}).get("name")
        ),
        "cloudContainerRegistryName": _values((meta.get("containerRegistry") or {}).get("name")),
        "cloudServerlessFunctionName": _values(serverless.get("serverlessFunctionName")),
        "cloudServerlessFunctionRuntime": _values(serverless.get("runtime")),
        "cloudServerlessFunctionTags": _pairs(serverless.get("functionTags")),
    }


def _pairs(tags: Mapping[str, Any] | None) -> tuple[tuple[str, str], ...]:
    return tuple((str(k), str(v)) for k, v in (tags or {}).items())


def _cloud(wire: Mapping[str, Any]) -> str:
    """The cloud of one coverage record: ``provider``, else read from ``resourceType``."""
    provider = wire.get("provider")
    if provider:
        return str(provider)
    kind = str(wire.get("resourceType") or "")
    if kind.lower().startswith("microsoft."):
        return "AZURE"
    return "GCP" if ".googleapis.com/" in kind else "AWS"


# ----------------------------------------------------------------------------- filters


def string_filter_matcher(filters: Sequence[Mapping[str, Any]]) -> Callable[[Iterable[Any]], bool]:
    """A matcher for one string criterion (a list of ``StringFilter``) over a field's values.

    ``EQUALS``/``PREFIX`` filters are OR'd; every ``NOT_EQUALS`` filter must hold.

    Examples:
        >>> match = string_filter_matcher([{"comparison": "PREFIX", "value": "CVE-2024"},
        ...     {"comparison": "NOT_EQUALS", "value": "CVE-2024-3094"}])
        >>> match(["CVE-2024-6387"]), match(["CVE-2024-3094"]), match(["CVE-2023-4911"])
        (True, False, False)
    """
    equals = {f["value"] for f in filters if f["comparison"] == "EQUALS"}
    prefixes = tuple(f["value"] for f in filters if f["comparison"] == "PREFIX")
    not_equals = {f["value"] for f in filters if f["comparison"] == "NOT_EQUALS"}
    positive = bool(equals or prefixes)

    def match(values: Iterable[Any]) -> bool:
        values = tuple(values)
        if positive and not any(
            v in equals or (prefixes and str(v).startswith(prefixes)) for v in values
        ):
            return False
        return not (not_equals and any(v in not_equals for v in values))

    return match


def _single(flt: Mapping[str, Any], value: Any) -> bool:
    comparison = str(flt["comparison"])
    if value is None:
        return comparison == "NOT_EQUALS"
    text = str(value)
    wanted = str(flt["value"])
    if comparison == "EQUALS":
        return text == wanted
    if comparison == "PREFIX":
        return text.startswith(wanted)
    return text != wanted


def _in_range(value: float, flt: Mapping[str, Any], low: str, high: str) -> bool:
    lower = flt.get(low)
    upper = flt.get(high)
    return (lower is None or value >= lower) and (upper is None or value <= upper)


def _range_matcher(
    filters: Sequence[Mapping[str, Any]], low: str, high: str
) -> Callable[[Iterable[Any]], bool]:
    def match(values: Iterable[Any]) -> bool:
        return any(_in_range(v, f, low, high) for v in values for f in filters)

    return match


def _map_matcher(filters: Sequence[Mapping[str, Any]]) -> Callable[[Iterable[Any]], bool]:
    def match(pairs: Iterable[Any]) -> bool:
        tags = dict(pairs)
        return any(
            f["key"] in tags and (f.get("value") is None or tags[f["key"]] == f["value"])
            for f in filters
        )

    return match


def _port_matcher(filters: Sequence[Mapping[str, Any]]) -> Callable[[Iterable[Any]], bool]:
    def match(ranges: Iterable[Any]) -> bool:
        for begin, end in ranges:
            for f in filters:
                if f.get("beginInclusive", 0) <= begin and end <= f.get("endInclusive", 65535):
                    return True
        return False

    return match


_PACKAGE_MEMBERS = {
    "name": "name",
    "version": "version",
    "release": "release",
    "architecture": "arch",
    "sourceLayerHash": "sourceLayerHash",
    "sourceLambdaLayerArn": "sourceLambdaLayerArn",
    "filePath": "filePath",
    "runtimeReachability": "runtimeReachability",
    "runtimeReachabilityReason": "runtimeReachabilityReason",
}


def _purl_qualifiers(purl: Any) -> dict[str, str]:
    """The qualifiers of a package's ``purl`` string (``?arch=x86_64&distro=...``)."""
    if not isinstance(purl, str) or "?" not in purl:
        return {}
    query = purl.split("?", 1)[1].split("#", 1)[0]
    return {key.lower(): value for key, value in parse_qsl(query, keep_blank_values=True)}


def _package_matches(flt: Mapping[str, Any], package: Mapping[str, Any]) -> bool:
    for member, key in _PACKAGE_MEMBERS.items():
        sub = flt.get(member)
        if sub is not None and not _single(sub, package.get(key)):
            return False
    qualifier = flt.get("purlQualifier")
    if qualifier is not None:
        # Loopback assumption: matched against the qualifiers of the package's own ``purl``
        # (AWS does not say what it compares); a package without one never matches.
        qualifiers = _purl_qualifiers(package.get("purl"))
        key, wanted = str(qualifier["key"]), qualifier.get("value")
        if key not in qualifiers or (wanted is not None and qualifiers[key] != wanted):
            return False
    epoch = flt.get("epoch")
    if epoch is not None:
        value = package.get("epoch")
        if value is None or not _in_range(value, epoch, "lowerInclusive", "upperInclusive"):
            return False
    return True


def _package_matcher(filters: Sequence[Mapping[str, Any]]) -> Callable[[Iterable[Any]], bool]:
    def match(packages: Iterable[Any]) -> bool:
        return any(_package_matches(f, p) for p in packages for f in filters)

    return match


def _on(field: str, matcher: Callable[[Iterable[Any]], bool]) -> Predicate:
    def predicate(features: Features) -> bool:
        return matcher(features.get(field, ()))

    return predicate


def _not_implemented(where: str, name: str) -> ServiceError:
    return ServiceError.validation(
        f"The inspector_kit loopback server does not implement the {where} filter "
        f"'{name}' (it is valid for AWS); remove it or filter client-side.",
        reason="OTHER",
        fields=[{"name": f"filterCriteria.{name}", "message": "not implemented by the loopback"}],
    )


def compile_finding_filter(criteria: Mapping[str, Any] | None) -> list[Predicate]:
    """Predicates for a ListFindings ``filterCriteria`` (validated wire form).

    ``findingArn`` is matched against a ``findingArn`` feature the caller adds per finding.
    Raises ``ServiceError`` for a criterion the loopback does not implement.
    """
    predicates: list[Predicate] = []
    for name, filters in (criteria or {}).items():
        if filters is None:
            continue
        if name in _FINDING_STRING:
            predicates.append(_on(name, string_filter_matcher(filters)))
        elif name in _FINDING_NUMBER:
            predicates.append(
                _on(name, _range_matcher(filters, "lowerInclusive", "upperInclusive"))
            )
        elif name in _FINDING_DATE:
            predicates.append(_on(name, _range_matcher(filters, "startInclusive", "endInclusive")))
        elif name == "resourceTags":
            predicates.append(_on(name, _map_matcher(filters)))
        elif name == "portRange":
            predicates.append(_on(name, _port_matcher(filters)))
        elif name == "vulnerablePackages":
            predicates.append(_on(name, _package_matcher(filters)))
        else:
            raise _not_implemented("ListFindings", name)
    return predicates


def compile_coverage_filter(criteria: Mapping[str, Any] | None) -> list[Predicate]:
    """Predicates for a ListCoverage / ListCoverageStatistics ``filterCriteria``."""
    predicates: list[Predicate] = []
    for name, filters in (criteria or {}).items():
        if filters is None:
            continue
        if name in _COVERAGE_STRING:
            predicates.append(_on(name, string_filter_matcher(filters)))
        elif name in _COVERAGE_MAP:
            predicates.append(_on(name, _map_matcher(filters)))
        elif name in _COVERAGE_DATE:
            predicates.append(_on(name, _range_matcher(filters, "startInclusive", "endInclusive")))
        elif name in _COVERAGE_NUMBER:
            predicates.append(
                _on(name, _range_matcher(filters, "lowerInclusive", "upperInclusive"))
            )
        else:
            raise _not_implemented("ListCoverage", name)
    return predicates


def sort_key(features: Features, field: str) -> tuple[int, Any]:
    """The sort key of one finding for a ``sortCriteria.field``: missing values sort lowest."""
    name = SORT_FIELDS[field]
    values = features.get(name, ())
    if not values:
        return (0, 0)
    value = values[0]
    if field == "SEVERITY":
        return (1, SEVERITY_RANK.get(str(value), -1))
    return (1, value)
