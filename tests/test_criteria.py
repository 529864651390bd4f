"""Filter criteria: pinned to the botocore model, validated by botocore, limits checked locally."""

from __future__ import annotations

import json
import pickle
import re
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest
from botocore.model import ListShape, StructureShape
from botocore.serialize import create_serializer
from botocore.validate import ParamValidator
from hypothesis import given, settings
from hypothesis import strategies as st

import inspector_kit.criteria
from inspector_kit import _limits
from inspector_kit.criteria import (
    CLOSED_VALUES,
    CoverageCriteria,
    DateFilter,
    FindingCriteria,
    MapFilter,
    NumberFilter,
    PackageFilter,
    PortRangeFilter,
    StringFilter,
    _base,
    _filters,
)
from inspector_kit.errors import CriteriaError, CriteriaUsageError
from inspector_kit.models import FindingStatus, ResourceType, Severity

from .service_model import service_model, shape

UTC = timezone.utc
JST = timezone(timedelta(hours=9))
T0 = datetime(2024, 1, 1, tzinfo=UTC)

# The filter kind of each item shape the two criteria structures use.
KIND_OF_SHAPE = {
    "StringFilter": "string",
    "NumberFilter": "number",
    "DateFilter": "date",
    "MapFilter": "map",
    "PortRangeFilter": "port",
    "PackageFilter": "package",
    "CoverageStringFilter": "string",
    "CoverageNumberFilter": "number",
    "CoverageDateFilter": "date",
    "CoverageMapFilter": "map",
}
CONVERTER_OF_KIND = {
    "string": _base.strings,
    "number": _base.numbers,
    "date": _base.dates,
    "map": _base.maps,
    "port": _base.ports,
    "package": _base.packages,
}


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def validation_report(operation: str, criteria: FindingCriteria | CoverageCriteria) -> str:
    input_shape = service_model().operation_model(operation).input_shape
    report = ParamValidator().validate({"filterCriteria": criteria.to_api()}, input_shape)
    return report.generate_report() if report.has_errors() else ""


def check_error(path: str, reason: str, build: Any) -> None:
    with pytest.raises(CriteriaError) as info:
        build()
    assert info.value.path == path, (info.value.path, info.value.reason)
    assert reason in info.value.reason, info.value.reason


# ----------------------------------------------------------------------------- the model


@pytest.mark.parametrize(
    ("cls", "root"),
    [(FindingCriteria, "FilterCriteria"), (CoverageCriteria, "CoverageFilterCriteria")],
)
def test_one_field_per_model_member(cls: Any, root: str) -> None:
    structure = shape(root)
    assert isinstance(structure, StructureShape)
    expected = {}
    for api, member in structure.members.items():
        assert isinstance(member, ListShape)
        assert member.metadata == {"min": 1, "max": _limits.FILTER_LIST_MAX}
        expected[snake(api)] = (api, KIND_OF_SHAPE[member.member.name])
    assert list(cls._MEMBERS.items()) == list(expected.items())  # same members, same order
    assert {api: entry for entry, api in [((n, k), a) for n, (a, k) in expected.items()]} == dict(
        cls._BY_API
    )
    fields = attrs.fields(cls)
    assert [f.name for f in fields] == list(expected)
    for field in fields:
        assert field.kw_only
        assert field.default == ()
        assert field.metadata == {"api": expected[field.name][0]}, field.name
        assert field.converter is CONVERTER_OF_KIND[expected[field.name][1]], field.name
        assert field.converter.takes_field, field.name  # errors name the field's API member
    if root == "FilterCriteria":
        assert len(fields) == 69


def test_filter_classes_match_their_shapes() -> None:
    samples: dict[str, dict[str, Any]] = {
        "StringFilter": StringFilter("x").to_api(),
        "CoverageStringFilter": StringFilter("x").to_api(),
        "NumberFilter": NumberFilter(gte=1, lte=2).to_api(),
        "CoverageNumberFilter": NumberFilter(gte=1, lte=2).to_api(),
        "DateFilter": DateFilter(start=T0, end=T0).to_api(),
        "CoverageDateFilter": DateFilter(start=T0, end=T0).to_api(),
        "MapFilter": MapFilter("k", "v").to_api(),
        "CoverageMapFilter": MapFilter("k", "v").to_api(),
        "PortRangeFilter": PortRangeFilter(begin=1, end=2).to_api(),
        "PackageFilter": PackageFilter(
            name="n",
            version="v",
            epoch=NumberFilter(gte=0),
            release="r",
            architecture="a",
            source_layer_hash="h",
            source_lambda_layer_arn="l",
            file_path="f",
            runtime_reachability=StringFilter.not_equals("NOT_REACHABLE"),
            runtime_reachability_reason="PROCESS_OBSERVED_IN_EC2_RUNTIME",
            purl_qualifier=MapFilter("distro", "amazon-2023"),
        ).to_api(),
    }
    for name, payload in samples.items():
        structure = shape(name)
        assert isinstance(structure, StructureShape)
        assert set(payload) == set(structure.members), name
        assert set(structure.required_members) <= set(payload), name
    package = shape("PackageFilter")
    assert isinstance(package, StructureShape)
    assert list(_filters._PACKAGE_MEMBERS.values()) == list(package.members)
    special = {
        "epoch": "NumberFilter",
        "runtimeReachability": "RuntimeReachabilityFilter",
        "runtimeReachabilityReason": "RuntimeReachabilityReasonFilter",
        "purlQualifier": "PurlQualifierFilter",
    }
    assert {api: m.name for api, m in package.members.items()} == {
        api: special.get(api, "StringFilter") for api in package.members
    }
    # The parts read as StringFilter/MapFilter take the comparisons of their own shapes.
    for name in ("RuntimeReachabilityFilter", "RuntimeReachabilityReasonFilter"):
        part = shape(name)
        assert isinstance(part, StructureShape)
        assert tuple(part.members["comparison"].enum) == _limits.RUNTIME_REACHABILITY_COMPARISONS
        assert set(part.required_members) == {"comparison", "value"}
    purl = shape("PurlQualifierFilter")
    assert isinstance(purl, StructureShape)
    assert tuple(purl.members["comparison"].enum) == _limits.MAP_COMPARISONS
    assert purl.members["value"].name == "MapValue"  # MAP_VALUE_LENGTH
    assert set(purl.required_members) == {"comparison", "key"}
    # The number types that decide whether coverage bounds must be whole.
    number = shape("NumberFilter")
    coverage_number = shape("CoverageNumberFilter")
    assert isinstance(number, StructureShape)
    assert isinstance(coverage_number, StructureShape)
    assert {m.type_name for m in number.members.values()} == {"double"}
    assert {m.type_name for m in coverage_number.members.values()} == {"long"}


# ----------------------------------------------------------------------------- botocore accepts it


def one_of_each(kind: str, api: str = "", *, coverage: bool = False) -> Any:
    closed = CLOSED_VALUES["CoverageFilterCriteria" if coverage else "FilterCriteria"]
    a, b = closed[api][:2] if api in closed else ("a", "b")
    return {
        "string": [StringFilter(a), StringFilter.not_equals(b)]
        + ([] if coverage else [StringFilter.prefix(a[:1])]),
        "number": NumberFilter(gte=1, lte=5),
        "date": [DateFilter(start=T0), DateFilter(end=T0.astimezone(JST))],
        "map": {"Environment": "prod", "Team": None},
        "port": PortRangeFilter(begin=22, end=22),
        "package": [
            PackageFilter(name="openssl", epoch=NumberFilter(gte=0)),
            PackageFilter(
                runtime_reachability="REACHABLE",
                runtime_reachability_reason=StringFilter.not_equals(
                    "PACKAGE_NOT_IN_DOCKERFILE_WORKLOAD_PATH"
                ),
                purl_qualifier=MapFilter("arch", "x86_64"),
            ),
            PackageFilter(purl_qualifier=MapFilter("distro")),
        ],
    }[kind]


def test_every_finding_criterion_set_passes_botocore_validation() -> None:
    crit = FindingCriteria(
        **{n: one_of_each(k, api) for n, (api, k) in FindingCriteria._MEMBERS.items()}
    )
    assert len(crit.fields_set()) == 69
    assert validation_report("ListFindings", crit) == ""
    assert FindingCriteria.from_api(crit.to_api()) == crit


def test_every_coverage_criterion_set_passes_botocore_validation() -> None:
    crit = CoverageCriteria(
        **{
            n: one_of_each(k, api, coverage=True)
            for n, (api, k) in CoverageCriteria._MEMBERS.items()
        }
    )
    assert crit.fields_set() == set(shape("CoverageFilterCriteria").members)
    assert validation_report("ListCoverage", crit) == ""
    assert validation_report("ListCoverageStatistics", crit) == ""
    assert CoverageCriteria.from_api(crit.to_api()) == crit


def test_botocore_serializes_dates_and_whole_numbers() -> None:
    model = service_model()
    serializer = create_serializer(model.metadata["protocol"])
    crit = FindingCriteria(first_observed_at=DateFilter(start=T0), severity="HIGH")
    request = serializer.serialize_to_request(
        {"filterCriteria": crit.to_api()}, model.operation_model("ListFindings")
    )
    body = json.loads(request["body"])
    assert body["filterCriteria"]["firstObservedAt"] == [{"startInclusive": T0.timestamp()}]
    coverage = CoverageCriteria(ecr_image_in_use_count=NumberFilter(gte=2.0, lte=3))
    assert coverage.to_api() == {"ecrImageInUseCount": [{"lowerInclusive": 2, "upperInclusive": 3}]}
    assert type(coverage.to_api()["ecrImageInUseCount"][0]["lowerInclusive"]) is int
    assert validation_report("ListCoverage", coverage) == ""


# ----------------------------------------------------------------------------- properties

texts = st.text(min_size=1, max_size=12)
zones = st.sampled_from([UTC, JST, timezone(timedelta(hours=-5, minutes=-30))])
instants = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2035, 12, 31), timezones=zones
)


def bounded(values: st.SearchStrategy[Any], build: Any) -> st.SearchStrategy[Any]:
    @st.composite
    def draw_range(draw: st.DrawFn) -> Any:
        low, high = draw(st.none() | values), draw(st.none() | values)
        if low is None and high is None:
            low = draw(values)
        if low is not None and high is not None and low > high:
            low, high = high, low
        return build(low, high)

    return draw_range()


def filters(*, coverage: bool) -> dict[str, st.SearchStrategy[Any]]:
    comparisons = _limits.COVERAGE_STRING_COMPARISONS if coverage else _limits.STRING_COMPARISONS
    strings = st.builds(StringFilter, texts, st.sampled_from(comparisons))
    plain_strings = texts | st.sampled_from([Severity.HIGH, FindingStatus.ACTIVE])
    numbers: st.SearchStrategy[Any] = (
        st.integers(-(2**40), 2**40)
        if coverage
        else st.integers(-1000, 1000) | st.floats(allow_nan=False, allow_infinity=False)
    )
    map_values = st.text(min_size=1 if coverage else 0, max_size=12)
    package_closed = CLOSED_VALUES["PackageFilter"]
    special_parts: dict[str, st.SearchStrategy[Any]] = {
        "epoch": bounded(numbers, lambda lo, hi: NumberFilter(gte=lo, lte=hi)),
        "runtime_reachability": closed_strings(
            package_closed["runtimeReachability"], coverage=True
        ),
        "runtime_reachability_reason": closed_strings(
            package_closed["runtimeReachabilityReason"], coverage=True
        ),
        "purl_qualifier": st.builds(
            MapFilter,
            st.sampled_from(package_closed["purlQualifier"]),
            st.none() | st.text(max_size=12),
        ),
    }
    package_parts = {
        name: special_parts.get(name, strings | texts) for name in _filters._PACKAGE_MEMBERS
    }
    return {
        "string": strings | plain_strings,
        "number": bounded(numbers, lambda lo, hi: NumberFilter(gte=lo, lte=hi)),
        "date": bounded(instants, lambda lo, hi: DateFilter(start=lo, end=hi)),
        "map": st.builds(MapFilter, texts, st.none() | map_values),
        "port": bounded(st.integers(0, 65535), lambda lo, hi: PortRangeFilter(begin=lo, end=hi)),
        "package": st.fixed_dictionaries({}, optional=package_parts)
        .filter(bool)
        .map(lambda parts: PackageFilter(**parts)),
    }


def closed_strings(values: tuple[str, ...], *, coverage: bool) -> st.SearchStrategy[Any]:
    """Filters on a closed-set criterion: values that can match, or unchecked ones."""
    comparisons = _limits.COVERAGE_STRING_COMPARISONS if coverage else _limits.STRING_COMPARISONS
    valid = st.sampled_from(values)
    exact = st.builds(
        StringFilter, valid, st.sampled_from([c for c in comparisons if c != "PREFIX"])
    )
    prefixes = valid.flatmap(lambda v: st.integers(1, len(v)).map(lambda n: v[:n]))
    unchecked = st.builds(
        lambda value, comparison: StringFilter(value, comparison, check=False),
        texts,
        st.sampled_from(comparisons),
    )
    options = [valid, exact, unchecked]
    if "PREFIX" in comparisons:
        options.append(prefixes.map(StringFilter.prefix))
    return st.one_of(options)


def criteria(cls: Any) -> st.SearchStrategy[Any]:
    coverage = cls is CoverageCriteria
    kinds = filters(coverage=coverage)
    closed = cls._RULES.closed
    names = list(cls._MEMBERS)

    @st.composite
    def build(draw: st.DrawFn) -> Any:
        chosen = draw(st.lists(st.sampled_from(names), max_size=4, unique=True))
        fields = {}
        for name in chosen:
            api, kind = cls._MEMBERS[name]
            strategy = kinds[kind]
            if api in closed:
                strategy = closed_strings(closed[api], coverage=coverage)
            fields[name] = draw(st.lists(strategy, min_size=1, max_size=3) | strategy)
        return cls(**fields)

    return build()


def _unchecked(crit: Any) -> bool:
    def parts(item: Any) -> list[Any]:
        if isinstance(item, PackageFilter):
            return [getattr(item, name) for name in _filters._PACKAGE_MEMBERS]
        return [item]

    return any(
        isinstance(part, StringFilter) and not part.check
        for name in crit._MEMBERS
        for item in getattr(crit, name)
        for part in parts(item)
    )


def json_default(value: object) -> str:
    assert isinstance(value, datetime)
    return value.isoformat()


@settings(max_examples=60)
@given(criteria(FindingCriteria))
def test_random_finding_criteria_validate_and_round_trip(crit: FindingCriteria) -> None:
    assert validation_report("ListFindings", crit) == ""
    check = not _unchecked(crit)
    again = FindingCriteria.from_api(crit.to_api(), check=check)
    assert again == crit
    assert hash(again) == hash(crit)
    # Saved as JSON (timestamps as ISO text) and read back: the same criteria.
    saved = json.loads(json.dumps(crit.to_api(), default=json_default))
    assert FindingCriteria.from_api(saved, check=check) == crit
    assert FindingCriteria(**{n: getattr(crit, n) for n in crit._MEMBERS}) == crit
    assert bool(crit) == bool(crit.to_api()) == bool(crit.fields_set())


@settings(max_examples=60)
@given(criteria(CoverageCriteria))
def test_random_coverage_criteria_validate_and_round_trip(crit: CoverageCriteria) -> None:
    assert validation_report("ListCoverage", crit) == ""
    again = CoverageCriteria.from_api(crit.to_api(), check=not _unchecked(crit))
    assert again == crit
    assert hash(again) == hash(crit)
    assert set(crit.to_api()) == crit.fields_set()


@settings(max_examples=30)
@given(criteria(FindingCriteria), criteria(FindingCriteria))
def test_combine_keeps_every_filter(a: FindingCriteria, b: FindingCriteria) -> None:
    try:
        both = a & b
    except CriteriaError as exc:  # more than 10 filters in one criterion
        assert "at most 10" in exc.reason
        return
    assert both.fields_set() == a.fields_set() | b.fields_set()
    for name in a._MEMBERS:
        combined = getattr(both, name)
        assert set(combined) == set(getattr(a, name)) | set(getattr(b, name))
        assert len(combined) == len(set(combined))


# ----------------------------------------------------------------------------- construction


def test_plain_values_enums_and_filters() -> None:
    crit = FindingCriteria(
        severity=[Severity.CRITICAL, "HIGH", StringFilter.not_equals(Severity.LOW)],
        finding_status=FindingStatus.ACTIVE,
        resource_type=(t for t in [ResourceType.AZURE_VIRTUAL_MACHINE]),
        vulnerability_id="CVE-2024-3094",
        inspector_score=NumberFilter(gte=7),
    )
    assert crit.severity == (
        StringFilter("CRITICAL"),
        StringFilter("HIGH"),
        StringFilter("LOW", "NOT_EQUALS"),
    )
    assert all(type(f.value) is str for f in crit.severity)  # plain values, not enum members
    assert crit.to_api() == {
        "severity": [
            {"comparison": "EQUALS", "value": "CRITICAL"},
            {"comparison": "EQUALS", "value": "HIGH"},
            {"comparison": "NOT_EQUALS", "value": "LOW"},
        ],
        "findingStatus": [{"comparison": "EQUALS", "value": "ACTIVE"}],
        "resourceType": [{"comparison": "EQUALS", "value": "Microsoft.Compute/virtualMachines"}],
        "inspectorScore": [{"lowerInclusive": 7}],
        "vulnerabilityId": [{"comparison": "EQUALS", "value": "CVE-2024-3094"}],
    }


# ----------------------------------------------------------------------------- closed sets
# Issue 14, item 5: a filter that can never match is an error, not "no findings".

# criterion -> the model member whose values it compares (an enum shape in the model)
CLOSED_SOURCES = {
    "FilterCriteria": {
        "findingType": ("Finding", "type"),
        "severity": ("Finding", "severity"),
        "findingStatus": ("Finding", "status"),
        "resourceType": ("Resource", "type"),
        "networkProtocol": ("NetworkReachabilityDetails", "protocol"),
        "fixAvailable": ("Finding", "fixAvailable"),
        "exploitAvailable": ("Finding", "exploitAvailable"),
        "lambdaFunctionRuntime": ("AwsLambdaFunctionDetails", "runtime"),
        "codeRepositoryProviderType": ("CodeRepositoryDetails", "providerType"),
    },
    "CoverageFilterCriteria": {
        "scanStatusCode": ("ScanStatus", "statusCode"),
        "scanStatusReason": ("ScanStatus", "reason"),
        "resourceType": ("CoveredResource", "resourceType"),
        "scanType": ("CoveredResource", "scanType"),
        "scanMode": ("CoveredResource", "scanMode"),
        "lambdaFunctionRuntime": ("LambdaFunctionMetadata", "runtime"),
    },
    "PackageFilter": {
        "runtimeReachability": ("RuntimeReachabilityFilter", "value"),
        "runtimeReachabilityReason": ("RuntimeReachabilityReasonFilter", "value"),
        "purlQualifier": ("PurlQualifierFilter", "key"),
    },
}


@pytest.mark.parametrize("criteria_shape", sorted(CLOSED_SOURCES))
def test_closed_sets_are_the_model_enums_of_the_members_they_compare(criteria_shape: str) -> None:
    sources = CLOSED_SOURCES[criteria_shape]
    assert set(CLOSED_VALUES[criteria_shape]) == set(sources)
    for api, (owner, member) in sources.items():
        owner_shape = shape(owner)
        assert isinstance(owner_shape, StructureShape)
        enum = list(owner_shape.members[member].enum)
        assert enum, f"{owner}.{member} is not an enum in the model"
        values = CLOSED_VALUES[criteria_shape][api]
        assert sorted(values) == sorted(enum), api


def _enum_members(root: str) -> dict[str, set[str]]:
    """Member name -> enum shapes of that name anywhere in the tree under ``root``."""
    found: dict[str, set[str]] = {}
    seen: set[str] = set()
    todo = [shape(root)]
    while todo:
        current = todo.pop()
        if current.name in seen:
            continue
        seen.add(current.name)
        if isinstance(current, StructureShape):
            for name, member in current.members.items():
                if getattr(member, "enum", None):
                    found.setdefault(name, set()).add(member.name)
                todo.append(member)
        elif hasattr(current, "member"):
            todo.append(current.member)
    return found


@pytest.mark.parametrize(
    ("criteria_shape", "root"),
    [("FilterCriteria", "Finding"), ("CoverageFilterCriteria", "CoveredResource")],
)
def test_every_criterion_named_like_an_enum_member_is_checked(
    criteria_shape: str, root: str
) -> None:
    # A criterion named after an enum member of the findings (coverage) tree, or after its
    # last word (lambdaFunctionRuntime -> runtime), compares a closed set: it must be checked.
    enums = _enum_members(root)
    structure = shape(criteria_shape)
    assert isinstance(structure, StructureShape)
    suspects = set()
    for api, member in structure.members.items():
        if not member.name.endswith("StringFilterList"):
            continue
        words = re.findall(r"[a-z]+|[A-Z][a-z]*", api)
        last = words[-1].lower()
        if api in enums or last in {n.lower() for n in enums}:
            suspects.add(api)
    unchecked = suspects - set(CLOSED_VALUES[criteria_shape])
    # Named like an enum member, but what they compare is free-form in the model, or the
    # model does not say which member they compare (so no closed set can be claimed):
    # componentType (Step.componentType, a string), vendorSeverity (a vendor's own words),
    # ecrImageArchitecture (ECR's "amd64", not Architecture's "X86_64"), and the
    # multi-cloud criteria (cloudProvider, cloudImageArchitecture,
    # cloudServerlessFunctionRuntime) whose finding members the model does not name.
    free = {
        "FilterCriteria": {
            "componentType",
            "vendorSeverity",
            "ecrImageArchitecture",
            "cloudProvider",
            "cloudImageArchitecture",
            "cloudServerlessFunctionRuntime",
        },
        "CoverageFilterCriteria": {"cloudProvider", "cloudServerlessFunctionRuntime"},
    }[criteria_shape]
    assert unchecked == free


@pytest.mark.parametrize(
    ("build", "path", "meant"),
    [
        (lambda: FindingCriteria(severity="critical"), "severity[0].value", "CRITICAL"),
        (lambda: FindingCriteria(resource_type="EC2"), "resourceType[0].value", "AWS_EC2_INSTANCE"),
        (lambda: FindingCriteria(fix_available="yes"), "fixAvailable[0].value", "YES"),
        (
            lambda: FindingCriteria(severity=["HIGH", StringFilter.not_equals("closed")]),
            "severity[1].value",
            None,
        ),
        (
            lambda: FindingCriteria(finding_status=StringFilter.not_equals("closed")),
            "findingStatus[0].value",
            "CLOSED",
        ),
        (
            lambda: FindingCriteria(finding_type="package"),
            "findingType[0].value",
            "PACKAGE_VULNERABILITY",
        ),
        (
            lambda: FindingCriteria(severity=StringFilter.prefix("crit")),
            "severity[0].value",
            "CRIT",
        ),
        (
            lambda: FindingCriteria.from_api(
                {"exploitAvailable": [{"comparison": "EQUALS", "value": "true"}]}
            ),
            "exploitAvailable[0].value",
            None,
        ),
        (lambda: CoverageCriteria(scan_type="package"), "scanType[0].value", "PACKAGE"),
        (
            lambda: CoverageCriteria(resource_type="EC2"),
            "resourceType[0].value",
            "AWS_EC2_INSTANCE",
        ),
        (lambda: CoverageCriteria(scan_mode="AGENTLESS"), "scanMode[0].value", "EC2_AGENTLESS"),
    ],
)
def test_a_filter_that_can_never_match_is_an_error(
    build: Any, path: str, meant: str | None
) -> None:
    with pytest.raises(CriteriaError) as caught:
        build()
    assert caught.value.path == path
    assert "Valid values:" in caught.value.reason
    if meant is not None:
        assert f"Did you mean {meant!r}?" in caught.value.reason
    else:
        assert "Did you mean" not in caught.value.reason


def test_values_that_can_match_pass_and_unknown_ones_need_check_false() -> None:
    ok = FindingCriteria(
        severity=[Severity.CRITICAL, "HIGH", StringFilter.not_equals("LOW")],
        finding_type=StringFilter.prefix("PACKAGE"),
        resource_type=ResourceType.AWS_EC2_INSTANCE,
    )
    assert validation_report("ListFindings", ok) == ""
    new = FindingCriteria(severity=StringFilter("SOMETHING_NEW", check=False))
    assert new.to_api() == {"severity": [{"comparison": "EQUALS", "value": "SOMETHING_NEW"}]}
    assert repr(new) == "FindingCriteria(severity=StringFilter('SOMETHING_NEW', check=False))"
    with pytest.raises(CriteriaError, match="SOMETHING_NEW"):
        FindingCriteria.from_api(new.to_api())
    assert FindingCriteria.from_api(new.to_api(), check=False) == new
    # Criteria that are not closed sets take any value, as before.
    assert FindingCriteria(vendor_severity="Important", vulnerability_source="UBUNTU_CVE")


def test_string_filter_helpers() -> None:
    assert StringFilter.equals("a") == StringFilter("a") == StringFilter("a", "EQUALS")
    assert StringFilter.prefix("a").to_api() == {"comparison": "PREFIX", "value": "a"}
    assert StringFilter.not_equals("a").to_api() == {"comparison": "NOT_EQUALS", "value": "a"}
    assert StringFilter("a", comparison=StringFilter.prefix("z").comparison).comparison == "PREFIX"
    assert repr(StringFilter.not_equals("a")) == "StringFilter.not_equals('a')"
    assert eval(repr(StringFilter.prefix("x")), {"StringFilter": StringFilter}) == (
        StringFilter.prefix("x")
    )


def test_dates_are_aware_and_stored_in_utc() -> None:
    local = datetime(2024, 1, 1, 9, tzinfo=JST)
    dates = DateFilter(start=local)
    assert dates.start == local
    assert dates.start is not None and dates.start.tzinfo is UTC
    check_error("startInclusive", "pass tzinfo", lambda: DateFilter(start=datetime(2024, 1, 1)))
    check_error(
        "firstObservedAt[0].endInclusive",
        "pass tzinfo",
        lambda: FindingCriteria.from_api(
            {"firstObservedAt": [{"endInclusive": datetime(2024, 1, 1)}]}
        ),
    )
    check_error("", "needs start", lambda: DateFilter())
    check_error("", "is after", lambda: DateFilter(start=T0, end=T0 - timedelta(seconds=1)))
    assert DateFilter(start=T0, end=T0).to_api() == {"startInclusive": T0, "endInclusive": T0}


def test_date_from_api_forms() -> None:
    for form in (
        T0,
        "2024-01-01T00:00:00Z",
        "2024-01-01T09:00:00+09:00",
        T0.timestamp(),
        1704067200,
    ):
        assert DateFilter.from_api({"startInclusive": form}) == DateFilter(start=T0), form
    check_error(
        "endInclusive", "not an ISO 8601", lambda: DateFilter.from_api({"endInclusive": "x"})
    )


def test_maps_take_a_mapping() -> None:
    crit = FindingCriteria(resource_tags={"Environment": "prod", "Team": None})
    assert crit.resource_tags == (MapFilter("Environment", "prod"), MapFilter("Team"))
    assert crit.to_api() == {
        "resourceTags": [
            {"comparison": "EQUALS", "key": "Environment", "value": "prod"},
            {"comparison": "EQUALS", "key": "Team"},
        ]
    }
    assert FindingCriteria(resource_tags=MapFilter("k", "")).resource_tags[0].value == ""


def test_boundaries_are_accepted() -> None:
    crit = FindingCriteria(
        title=["x" * 1024] + [str(i) for i in range(9)],
        resource_tags=MapFilter("k" * 128, "v" * 256),
        port_range=[PortRangeFilter(begin=0), PortRangeFilter(end=65535)],
        inspector_score=NumberFilter(gte=7, lte=7),
    )
    assert len(crit.title) == 10
    assert validation_report("ListFindings", crit) == ""
    coverage = CoverageCriteria(ec2_instance_tags=MapFilter("k" * 300, "v" * 300))
    assert validation_report("ListCoverage", coverage) == ""


# ----------------------------------------------------------------------------- limit violations


@pytest.mark.parametrize(
    ("path", "reason", "build"),
    [
        (
            "severity",
            "at most 10 filters per criterion, got 11",
            lambda: FindingCriteria(severity=[str(i) for i in range(11)]),
        ),
        ("severity", "got int", lambda: FindingCriteria(severity=5)),
        ("severity[1]", "got int", lambda: FindingCriteria(severity=["HIGH", 5])),
        ("severity", "got dict (use from_api", lambda: FindingCriteria(severity={"value": "HIGH"})),
        ("inspectorScore", "got int", lambda: FindingCriteria(inspector_score=7)),
        (
            "inspectorScore[0]",
            "got StringFilter",
            lambda: FindingCriteria(inspector_score=[StringFilter("x")]),
        ),
        ("firstObservedAt", "got datetime", lambda: FindingCriteria(first_observed_at=T0)),
        (
            "vulnerabilityId[2].value",
            "length must be 1..1024, got 1025",
            lambda: FindingCriteria(vulnerability_id=["a", "b", "x" * 1025]),
        ),
        ("title[0].value", "length must be 1..1024, got 0", lambda: FindingCriteria(title="")),
        (
            "inspectorScore[0]",
            "lowerInclusive 9 is above upperInclusive 7",
            lambda: FindingCriteria.from_api(
                {"inspectorScore": [{"lowerInclusive": 9, "upperInclusive": 7}]}
            ),
        ),
        (
            "severity[0].comparison",
            "EQUALS, PREFIX, NOT_EQUALS, got 'LIKE'",
            lambda: FindingCriteria.from_api({"severity": [{"comparison": "LIKE", "value": "x"}]}),
        ),
        (
            "portRange[0].beginInclusive",
            "0..65535, got 65536",
            lambda: FindingCriteria.from_api({"portRange": [{"beginInclusive": 65536}]}),
        ),
        (
            "portRange[0].endInclusive",
            "0..65535, got -1",
            lambda: FindingCriteria.from_api({"portRange": [{"endInclusive": -1}]}),
        ),
        (
            "portRange[0]",
            "beginInclusive 443 is above endInclusive 80",
            lambda: FindingCriteria.from_api(
                {"portRange": [{"beginInclusive": 443, "endInclusive": 80}]}
            ),
        ),
        ("portRange[0]", "needs begin", lambda: FindingCriteria.from_api({"portRange": [{}]})),
        ("epssScore[0]", "needs gte", lambda: FindingCriteria.from_api({"epssScore": [{}]})),
        ("updatedAt[0]", "needs start", lambda: FindingCriteria.from_api({"updatedAt": [{}]})),
        (
            "vulnerablePackages[0]",
            "needs at least one of",
            lambda: FindingCriteria.from_api({"vulnerablePackages": [{}]}),
        ),
        (
            "vulnerablePackages[1].version.value",
            "length must be 1..1024",
            lambda: FindingCriteria.from_api(
                {
                    "vulnerablePackages": [
                        {"name": {"comparison": "EQUALS", "value": "a"}},
                        {"version": {"comparison": "EQUALS", "value": ""}},
                    ]
                }
            ),
        ),
        (
            "vulnerablePackages[0].epoch",
            "needs gte",
            lambda: FindingCriteria.from_api({"vulnerablePackages": [{"epoch": {}}]}),
        ),
        (
            "resourceTags[0].key",
            "length must be 1..128, got 129",
            lambda: FindingCriteria(resource_tags={"k" * 129: "v"}),
        ),
        (
            "resourceTags[1].value",
            "length must be 0..256, got 257",
            lambda: FindingCriteria(resource_tags=[MapFilter("a"), MapFilter("b", "v" * 257)]),
        ),
        (
            "resourceTags[0].key",
            "length must be at least 1, got 0",
            lambda: FindingCriteria(resource_tags={"": "v"}),
        ),
        (
            "resourceTags[0].comparison",
            "must be one of EQUALS, got 'PREFIX'",
            lambda: FindingCriteria.from_api(
                {"resourceTags": [{"comparison": "PREFIX", "key": "k"}]}
            ),
        ),
        (
            "severity[0].value",
            "missing required StringFilter member",
            lambda: FindingCriteria.from_api({"severity": [{"comparison": "EQUALS"}]}),
        ),
        (
            "severity[0].valu",
            "unknown StringFilter member 'valu'",
            lambda: FindingCriteria.from_api({"severity": [{"comparison": "EQUALS", "valu": "x"}]}),
        ),
        (
            "severity[0]",
            "expected a StringFilter object, got str",
            lambda: FindingCriteria.from_api({"severity": ["HIGH"]}),
        ),
        (
            "severity",
            "expected a list, got str",
            lambda: FindingCriteria.from_api({"severity": "HIGH"}),
        ),
        (
            "severity",
            "at most 10",
            lambda: FindingCriteria.from_api(
                {"severity": [{"comparison": "EQUALS", "value": str(i)} for i in range(11)]}
            ),
        ),
        ("", "expected a FilterCriteria object, got list", lambda: FindingCriteria.from_api([])),
    ],
)
def test_finding_limit_violations_name_the_path(path: str, reason: str, build: Any) -> None:
    check_error(path, reason, build)


@pytest.mark.parametrize(
    ("path", "reason", "build"),
    [
        (
            "scanType[1].comparison",
            "EQUALS, NOT_EQUALS, got 'PREFIX'",
            lambda: CoverageCriteria(scan_type=["PACKAGE", StringFilter.prefix("C")]),
        ),
        (
            "resourceId[0].comparison",
            "got 'PREFIX'",
            lambda: CoverageCriteria.from_api(
                {"resourceId": [{"comparison": "PREFIX", "value": "i-"}]}
            ),
        ),
        (
            "ec2InstanceTags[0].value",
            "length must be at least 1, got 0",
            lambda: CoverageCriteria(ec2_instance_tags={"k": ""}),
        ),
        (
            "ecrImageInUseCount[0].upperInclusive",
            "whole numbers",
            lambda: CoverageCriteria(ecr_image_in_use_count=NumberFilter(lte=1.5)),
        ),
        (
            "ecrImageInUseCount[0].lowerInclusive",
            "out of range for a long",
            lambda: CoverageCriteria(ecr_image_in_use_count=NumberFilter(gte=2**63)),
        ),
        ("accountId", "at most 10", lambda: CoverageCriteria(account_id=["1"] * 11)),
        (
            "lastScannedAt",
            "got str",
            lambda: CoverageCriteria(last_scanned_at="2024"),
        ),
    ],
)
def test_coverage_limit_violations_name_the_path(path: str, reason: str, build: Any) -> None:
    check_error(path, reason, build)


@pytest.mark.parametrize(
    ("path", "reason", "build"),
    [
        ("comparison", "got 'LIKE'", lambda: StringFilter("x", "LIKE")),
        ("comparison", "expected a string, got None", lambda: StringFilter("x", None)),
        ("value", "expected a string, got int", lambda: StringFilter(5)),
        ("value", "length must be 1..1024, got 0", lambda: StringFilter("")),
        ("lowerInclusive", "expected a number, got str", lambda: NumberFilter(gte="7")),
        ("upperInclusive", "expected a number, got bool", lambda: NumberFilter(lte=True)),
        ("lowerInclusive", "finite", lambda: NumberFilter(gte=float("nan"))),
        ("upperInclusive", "finite", lambda: NumberFilter(lte=float("inf"))),
        ("lowerInclusive", "out of range for a double", lambda: NumberFilter(gte=10**400)),
        ("", "lowerInclusive 9 is above upperInclusive 7", lambda: NumberFilter(gte=9, lte=7)),
        ("", "needs gte", lambda: NumberFilter()),
        ("beginInclusive", "expected an int, got float", lambda: PortRangeFilter(begin=1.0)),
        ("", "needs begin", lambda: PortRangeFilter()),
        ("key", "expected a string, got None", lambda: MapFilter(None)),
        ("value", "expected a string, got int", lambda: MapFilter("k", 1)),
        ("comparison", "got 'NOT_EQUALS'", lambda: MapFilter("k", "v", "NOT_EQUALS")),
        (
            "startInclusive",
            "expected a timezone-aware datetime, got str",
            lambda: DateFilter(start="2024-01-01"),
        ),
        ("", "needs at least one of", lambda: PackageFilter()),
        ("name", "expected a string or a StringFilter, got int", lambda: PackageFilter(name=1)),
        (
            "sourceLayerHash.value",
            "length must be 1..1024",
            lambda: PackageFilter(source_layer_hash=""),
        ),
        ("epoch", "expected a NumberFilter, got int", lambda: PackageFilter(epoch=1)),
        (
            "runtimeReachability.comparison",
            "RuntimeReachabilityFilter comparison must be one of EQUALS, NOT_EQUALS, got 'PREFIX'",
            lambda: PackageFilter(runtime_reachability=StringFilter.prefix("REACH")),
        ),
        (
            "runtimeReachability.value",
            "'reachable' is not a runtimeReachability value: this filter can never match. "
            "Did you mean 'REACHABLE'?",
            lambda: PackageFilter(runtime_reachability="reachable"),
        ),
        (
            "runtimeReachabilityReason.value",
            "excludes nothing (always true)",
            lambda: PackageFilter(runtime_reachability_reason=StringFilter.not_equals("LOADED")),
        ),
        (
            "runtimeReachabilityReason.comparison",
            "got 'PREFIX'",
            lambda: PackageFilter(
                runtime_reachability_reason=StringFilter("PROCESS", "PREFIX", check=False)
            ),
        ),
        (
            "purlQualifier",
            "expected a MapFilter, got dict",
            lambda: PackageFilter(purl_qualifier={"arch": "x86_64"}),
        ),
        (
            "purlQualifier.key",
            "'Arch' is not a PURL qualifier key Inspector filters on: this filter can never "
            "match. Did you mean 'arch'?",
            lambda: PackageFilter(purl_qualifier=MapFilter("Arch", "x86_64")),
        ),
        (
            "purlQualifier.value",
            "length must be 0..256, got 257",
            lambda: PackageFilter(purl_qualifier=MapFilter("distro", "d" * 257)),
        ),
    ],
)
def test_filters_check_themselves(path: str, reason: str, build: Any) -> None:
    check_error(path, reason, build)


def test_unknown_members_are_named() -> None:
    check_error(
        "sevrity", "did you mean 'severity'", lambda: FindingCriteria.from_api({"sevrity": []})
    )
    check_error(
        "aws_account_id",
        "the FilterCriteria member is 'awsAccountId'",
        lambda: FindingCriteria.from_api({"aws_account_id": []}),
    )
    check_error(
        "findingArn",
        "unknown CoverageFilterCriteria member 'findingArn'",
        lambda: CoverageCriteria.from_api({"findingArn": []}),
    )
    assert FindingCriteria.from_api({"severity": None, "title": []}) == FindingCriteria()
    with pytest.raises(CriteriaUsageError, match="did you mean 'severity'"):
        FindingCriteria().where(sevrity="HIGH")
    with pytest.raises(TypeError):
        FindingCriteria(sevrity="HIGH")  # type: ignore[call-arg]


# ----------------------------------------------------------------------------- the criteria API


def test_where_replaces_criteria() -> None:
    base = FindingCriteria(finding_status="ACTIVE", severity="HIGH")
    changed = base.where(severity=["CRITICAL", "HIGH"], finding_status=())
    assert changed == FindingCriteria(severity=["CRITICAL", "HIGH"])
    assert base.severity == (StringFilter("HIGH"),)  # unchanged
    check_error("severity", "at most 10", lambda: base.where(severity=["x"] * 11))


def test_combine_concatenates_and_dedupes() -> None:
    a = FindingCriteria(severity="CRITICAL", finding_status="ACTIVE")
    b = FindingCriteria(severity=["HIGH", "CRITICAL"], inspector_score=NumberFilter(gte=7))
    both = a & b
    assert both == a.combine(b)
    assert both.severity == (StringFilter("CRITICAL"), StringFilter("HIGH"))
    assert both.fields_set() == {"severity", "findingStatus", "inspectorScore"}
    assert (a & FindingCriteria()) == a
    with pytest.raises(TypeError):
        a & CoverageCriteria()  # type: ignore[operator]
    with pytest.raises(CriteriaUsageError, match="cannot combine FindingCriteria with Cover"):
        a.combine(CoverageCriteria())  # type: ignore[arg-type]
    check_error(
        "vulnerabilityId",
        "at most 10 filters per criterion, got 11",
        lambda: (
            FindingCriteria(vulnerability_id=[str(i) for i in range(10)])
            & FindingCriteria(vulnerability_id="x")
        ),
    )


def test_bool_fields_set_and_repr() -> None:
    assert not FindingCriteria()
    assert not CoverageCriteria()
    assert FindingCriteria().fields_set() == frozenset()
    assert repr(FindingCriteria()) == "FindingCriteria()"
    crit = FindingCriteria(
        severity=["CRITICAL", "HIGH"],
        vulnerability_id=StringFilter.prefix("CVE-2024-"),
        inspector_score=NumberFilter(gte=7),
        resource_tags={"Env": "prod"},
        vulnerable_packages=PackageFilter(name="xz", version=StringFilter.prefix("5.6")),
    )
    assert crit
    text = repr(crit)
    assert text == (
        "FindingCriteria(severity=['CRITICAL', 'HIGH'], inspector_score=NumberFilter(gte=7), "
        "resource_tags=MapFilter('Env', 'prod'), "
        "vulnerability_id=StringFilter.prefix('CVE-2024-'), "
        "vulnerable_packages=PackageFilter(name='xz', version=StringFilter.prefix('5.6')))"
    )
    names = {
        "FindingCriteria": FindingCriteria,
        "StringFilter": StringFilter,
        "NumberFilter": NumberFilter,
        "MapFilter": MapFilter,
        "PackageFilter": PackageFilter,
    }
    assert eval(text, names) == crit  # the repr is also a constructor call


def test_criteria_are_frozen_hashable_and_picklable() -> None:
    crit = FindingCriteria(severity="HIGH", first_observed_at=DateFilter(start=T0))
    assert {crit: 1}[FindingCriteria(severity=["HIGH"], first_observed_at=[DateFilter(start=T0)])]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        crit.severity = ()  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(crit)) == crit
    coverage = CoverageCriteria(scan_status_code="ACTIVE")
    assert pickle.loads(pickle.dumps(coverage)) == coverage
    assert attrs.evolve(crit, severity="LOW").severity == (StringFilter("LOW"),)


def test_public_names() -> None:
    names = inspector_kit.criteria.__all__
    assert names == sorted(names)
    assert set(names) == {
        "CLOSED_VALUES",
        "CoverageCriteria",
        "DateFilter",
        "FindingCriteria",
        "MapFilter",
        "NumberFilter",
        "PackageFilter",
        "PortRangeFilter",
        "StringFilter",
        "check_closed",
    }


# ----------------------------------------------------------------------------- old import path


def test_the_old_module_is_a_deprecated_alias() -> None:
    import inspector_kit.fetch.criteria as old

    assert set(old.__all__) == set(inspector_kit.criteria.__all__)
    for name in old.__all__:
        with pytest.warns(DeprecationWarning, match=rf"import {name} from inspector_kit\.criteria"):
            assert getattr(old, name) is getattr(inspector_kit.criteria, name)
    with pytest.warns(DeprecationWarning, match="inspector_kit.fetch.criteria is deprecated"):
        from inspector_kit.fetch.criteria import StringFilter as Old
    assert Old is StringFilter
    with pytest.raises(AttributeError, match="no attribute '_strings'"):
        old._strings  # noqa: B018  private names were never part of the module's API
    assert "FindingCriteria" in dir(old)


def test_documented_spellings_do_not_warn() -> None:
    import warnings

    import inspector_kit.fetch

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert inspector_kit.FindingCriteria is FindingCriteria
        for name in ("FindingCriteria", "CoverageCriteria", "StringFilter", "PackageFilter"):
            assert getattr(inspector_kit.fetch, name) is getattr(inspector_kit.criteria, name)


def test_criteria_pickled_under_the_old_module_still_load() -> None:
    crit = FindingCriteria(severity="HIGH", port_range=PortRangeFilter(begin=22))
    data = pickle.dumps(crit, protocol=0)  # text protocol: module names are plain lines
    assert b"inspector_kit.criteria._finding\nFindingCriteria" in data
    old = data.replace(b"inspector_kit.criteria._finding\n", b"inspector_kit.fetch.criteria\n")
    with pytest.warns(DeprecationWarning, match="import FindingCriteria from"):
        assert pickle.loads(old) == crit
