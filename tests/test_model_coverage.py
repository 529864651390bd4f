"""Every member of the botocore Finding shape, recursively, maps to a model attribute."""

from __future__ import annotations

import re

import pytest
from botocore.model import ListShape, MapShape, Shape, StructureShape

from inspector_kit import models
from inspector_kit.models._codec import ApiModel, EnumCodec, ListCodec, ModelCodec

from .service_model import service_model, structures_from

STRUCTURES = structures_from("Finding")
MODEL_CLASSES: dict[str, type[ApiModel]] = {
    cls.__api_shape__: cls
    for cls in vars(models).values()
    if isinstance(cls, type) and issubclass(cls, ApiModel) and cls is not ApiModel
}


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


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
        assert name in STRUCTURES


def test_model_classes_are_exactly_the_reachable_structures() -> None:
    assert set(MODEL_CLASSES) == set(STRUCTURES)


@pytest.mark.parametrize("shape_name", sorted(STRUCTURES))
def test_every_structure_has_a_model_class(shape_name: str) -> None:
    assert shape_name in MODEL_CLASSES, f"no model class for shape {shape_name}"
    assert MODEL_CLASSES[shape_name].__name__ == shape_name


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
        assert spec.attr == _snake(member_name), (shape_name, member_name, spec.attr)
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
        assert [m.value for m in codec.enum] == list(shape.enum) or {
            m.value for m in codec.enum
        } == set(shape.enum), f"{where}: enum values differ from the model"
    else:
        expected = {"long": "integer", "float": "double"}.get(shape.type_name, shape.type_name)
        assert codec.shape_type == expected, (where, codec.shape_type, shape.type_name)  # type: ignore[attr-defined]


def test_public_enums_pin_the_model_values() -> None:
    model = service_model()
    for enum_cls in (
        models.FindingType,
        models.Severity,
        models.FindingStatus,
        models.ResourceType,
        models.Provider,
        models.Runtime,
        models.PackageType,
        models.Architecture,
        models.CodeRepositoryProviderType,
        models.NetworkProtocol,
        models.PackageManager,
        models.FixAvailable,
        models.ExploitAvailable,
    ):
        assert {m.value for m in enum_cls} == set(model.shape_for(enum_cls.__name__).enum), enum_cls


def test_every_model_attribute_is_documented_with_its_api_member() -> None:
    import inspect

    for shape_name, cls in MODEL_CLASSES.items():
        source = inspect.getsource(cls)
        for spec in cls.__api_fields__:
            assert f"API ``{spec.api}``" in source, f"{shape_name}.{spec.attr} lacks its doc"
