"""Every member of every modelled botocore shape, recursively, maps to a model attribute.

The modelled shapes are those reachable from ``Finding`` and from the outputs of the
non-finding operations the fetcher reads (``RESPONSE_ROOTS``).
"""

from __future__ import annotations

import inspect
import keyword
import re

import pytest
from botocore.model import ListShape, MapShape, Shape, StructureShape

from inspector_kit import models
from inspector_kit.models._codec import ApiModel, EnumCodec, ListCodec, ModelCodec

from .service_model import service_model, structures_from

#: Operation -> the output members whose items are modelled; ``()`` models the whole
#: response shape.
RESPONSE_ROOTS: dict[str, tuple[str, ...]] = {
    "ListCoverage": ("coveredResources",),
    "ListCoverageStatistics": ("countsByGroup",),
    "GetConfiguration": (),
    "GetEc2DeepInspectionConfiguration": (),
    "BatchGetAccountStatus": ("accounts", "failedAccounts"),
    "ListUsageTotals": ("totals",),
    "BatchGetFreeTrialInfo": ("accounts", "failedAccounts"),
    "ListMembers": ("members",),
    "BatchGetFindingDetails": ("findingDetails", "errors"),
    "ListFindingAggregations": ("responses",),
    "ListCodeSecurityIntegrations": ("integrations",),
    "GetCodeSecurityIntegration": (),
    "ListOnDemandScans": ("items",),
}

#: Shapes whose class is not named as the shape is: the whole responses, and the
#: integration summary (named for what it is, the details extend it).
CLASS_NAMES = {
    "GetConfigurationResponse": "Configuration",
    "GetEc2DeepInspectionConfigurationResponse": "DeepInspectionConfiguration",
    "CodeSecurityIntegrationSummary": "CodeSecurityIntegration",
    "GetCodeSecurityIntegrationResponse": "CodeSecurityIntegrationDetails",
}


def _response_root_shapes() -> list[str]:
    roots: list[str] = []
    for operation, members in RESPONSE_ROOTS.items():
        output = service_model().operation_model(operation).output_shape
        if not members:
            roots.append(output.name)
            continue
        for name in members:
            shape = output.members[name]
            roots.append(shape.member.name if isinstance(shape, ListShape) else shape.name)
    return roots


RESPONSE_ROOT_SHAPES = _response_root_shapes()
FINDING_STRUCTURES = structures_from("Finding")
STRUCTURES: dict[str, StructureShape] = dict(FINDING_STRUCTURES)
for _root in RESPONSE_ROOT_SHAPES:
    STRUCTURES.update(structures_from(_root))

_ALL_MODEL_CLASSES = [
    cls
    for cls in (getattr(models, name) for name in models.__all__)
    if isinstance(cls, type) and issubclass(cls, ApiModel) and cls.__api_shape__
]
MODEL_CLASSES: dict[str, type[ApiModel]] = {cls.__api_shape__: cls for cls in _ALL_MODEL_CLASSES}


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _attr_name(member_name: str) -> str:
    snake = _snake(member_name)
    return snake + "_" if keyword.iskeyword(snake) else snake  # ``lambda`` -> ``lambda_``


def test_the_walk_finds_the_whole_tree() -> None:
    # A guard on the walker itself: these are the detail kinds the issue names.
    for name in (
        "Finding",
        "Resource",
        "ResourceDetails",
        "AwsEc2InstanceDetails",
        "AwsEcrContainerImageDetails",
        "AwsLambdaFunctionDetails",
        "CodeRepositoryDetails",
        "MachineImageDetails",
        "Vm",
        "Image",
        "ServerlessFunction",
        "CvssScoreDetails",
        "CvssScoreAdjustment",
        "VulnerablePackage",
        "Step",
        "CodeFilePath",
        "EpssDetails",
    ):
        assert name in FINDING_STRUCTURES


def test_the_walk_finds_the_response_trees() -> None:
    assert set(RESPONSE_ROOT_SHAPES) == {
        "CoveredResource",
        "Counts",
        "GetConfigurationResponse",
        "GetEc2DeepInspectionConfigurationResponse",
        "AccountState",
        "FailedAccount",
        "UsageTotal",
        "FreeTrialAccountInfo",
        "FreeTrialInfoError",
        "Member",
        "FindingDetail",
        "FindingDetailsError",
        "AggregationResponse",
        "CodeSecurityIntegrationSummary",
        "GetCodeSecurityIntegrationResponse",
        "OnDemandScan",
    }
    for name in (
        "ScanStatus",
        "ResourceScanMetadata",
        "EcrRepositoryMetadata",
        "EcrContainerImageMetadata",
        "Ec2Metadata",
        "LambdaFunctionMetadata",
        "CodeRepositoryMetadata",
        "Ec2ConfigurationState",
        "Ec2ScanModeState",
        "EcrConfigurationState",
        "State",
        "ResourceState",
        "Usage",
        "CisaData",
        "ExploitObserved",
        "Evidence",
        "AccountAggregationResponse",
        "TitleAggregationResponse",
        "SeverityCounts",
    ):
        assert name in STRUCTURES, name


def test_model_classes_are_exactly_the_reachable_structures() -> None:
    assert set(MODEL_CLASSES) == set(STRUCTURES)


def test_each_shape_has_one_class() -> None:
    assert len(MODEL_CLASSES) == len(_ALL_MODEL_CLASSES)


@pytest.mark.parametrize("shape_name", sorted(STRUCTURES))
def test_every_structure_has_a_model_class(shape_name: str) -> None:
    assert shape_name in MODEL_CLASSES, f"no model class for shape {shape_name}"
    assert MODEL_CLASSES[shape_name].__name__ == CLASS_NAMES.get(shape_name, shape_name)


@pytest.mark.parametrize("shape_name", sorted(STRUCTURES))
def test_every_member_maps_to_an_attribute(shape_name: str) -> None:
    shape = STRUCTURES[shape_name]
    cls = MODEL_CLASSES[shape_name]
    specs = {spec.api: spec for spec in cls.__api_fields__}
    assert set(specs) == set(shape.members), (
        f"{shape_name}: missing {set(shape.members) - set(specs)}, "
        f"unknown {set(specs) - set(shape.members)}"
    )
    required = set(shape.required_members)
    for member_name, member_shape in shape.members.items():
        spec = specs[member_name]
        assert spec.attr == _attr_name(member_name), (shape_name, member_name, spec.attr)
        assert spec.required == (member_name in required), (shape_name, member_name)
        _assert_codec_matches(spec.codec, member_shape, f"{shape_name}.{member_name}")


def _assert_codec_matches(codec: object, shape: Shape, where: str) -> None:
    if isinstance(shape, StructureShape):
        assert isinstance(codec, ModelCodec), where
        assert codec.model.__api_shape__ == shape.name, where
    elif isinstance(shape, ListShape):
        assert isinstance(codec, ListCodec), where
        _assert_codec_matches(codec.item, shape.member, where + "[]")
    elif isinstance(shape, MapShape):
        assert codec.shape_type == "map", where  # type: ignore[attr-defined]
    elif getattr(shape, "enum", None):
        assert isinstance(codec, EnumCodec), f"{where} is an enum in the model"
        assert codec.enum.__name__ == shape.name, f"{where}: enum named after its shape"
        assert [m.value for m in codec.enum] == list(shape.enum) or {
            m.value for m in codec.enum
        } == set(shape.enum), f"{where}: enum values differ from the model"
    else:
        expected = {"long": "integer", "float": "double"}.get(shape.type_name, shape.type_name)
        assert codec.shape_type == expected, (where, codec.shape_type, shape.type_name)  # type: ignore[attr-defined]


PUBLIC_ENUMS = sorted(
    (
        cls
        for cls in (getattr(models, name) for name in models.__all__)
        if isinstance(cls, type) and issubclass(cls, models.ApiEnum) and cls is not models.ApiEnum
    ),
    key=lambda cls: cls.__name__,
)


def test_public_enums_pin_the_model_values() -> None:
    assert PUBLIC_ENUMS
    model = service_model()
    for enum_cls in PUBLIC_ENUMS:
        assert {m.value for m in enum_cls} == set(model.shape_for(enum_cls.__name__).enum), enum_cls


def test_every_enum_in_a_modelled_shape_has_a_public_enum() -> None:
    used = {
        member.name
        for shape in STRUCTURES.values()
        for member in (m.member if isinstance(m, ListShape) else m for m in shape.members.values())
        if getattr(member, "enum", None)
    }
    assert used == {cls.__name__ for cls in PUBLIC_ENUMS}


def test_response_roots_carry_a_region() -> None:
    for shape_name, cls in MODEL_CLASSES.items():
        regional = issubclass(cls, models.RegionalModel)
        assert regional == (shape_name in RESPONSE_ROOT_SHAPES), shape_name


def test_every_model_attribute_is_documented_with_its_api_member() -> None:
    for shape_name, cls in MODEL_CLASSES.items():
        # A member inherited from another model (the integration details extend the summary)
        # is documented where it is declared.
        source = "".join(
            inspect.getsource(base)
            for base in cls.__mro__
            if issubclass(base, ApiModel) and "__api_shape__" in vars(base)
        )
        for spec in cls.__api_fields__:
            assert f"API ``{spec.api}``" in source, f"{shape_name}.{spec.attr} lacks its doc"


@pytest.mark.parametrize("shape_name", sorted(set(STRUCTURES) - set(FINDING_STRUCTURES)))
def test_every_response_model_has_an_example(shape_name: str) -> None:
    doc = inspect.getdoc(MODEL_CLASSES[shape_name])
    assert doc
    assert ">>>" in doc, f"{shape_name} has no example"
