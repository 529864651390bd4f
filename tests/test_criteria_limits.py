"""The criteria limits in inspector_kit._limits are the botocore model's."""

from __future__ import annotations

import ast
import inspect

from botocore.model import ListShape, StructureShape

from inspector_kit import _limits

from .service_model import shape


def _length(name: str) -> tuple[int, int | None]:
    meta = shape(name).metadata
    return meta.get("min", 0), meta.get("max")


def _enum(name: str) -> tuple[str, ...]:
    return tuple(shape(name).enum)


def test_filter_lists_are_1_to_max_long() -> None:
    for root in ("FilterCriteria", "CoverageFilterCriteria"):
        structure = shape(root)
        assert isinstance(structure, StructureShape)
        for api, member in structure.members.items():
            assert isinstance(member, ListShape), api
            assert member.metadata == {"min": 1, "max": _limits.FILTER_LIST_MAX}, api


def test_comparisons_match_the_model() -> None:
    assert _enum("StringComparison") == _limits.STRING_COMPARISONS
    assert _enum("CoverageStringComparison") == _limits.COVERAGE_STRING_COMPARISONS
    assert _limits.MAP_COMPARISONS == _enum("MapComparison") == _enum("CoverageMapComparison")


def test_lengths_match_the_model() -> None:
    assert _limits.STRING_VALUE_LENGTH == _length("StringInput") == _length("CoverageStringInput")
    assert _length("MapKey") == _limits.MAP_KEY_LENGTH
    assert _length("MapValue") == _limits.MAP_VALUE_LENGTH
    coverage_map = shape("CoverageMapFilter")
    assert isinstance(coverage_map, StructureShape)
    assert _length(coverage_map.members["key"].name) == _limits.COVERAGE_MAP_KEY_LENGTH
    assert _length(coverage_map.members["value"].name) == _limits.COVERAGE_MAP_VALUE_LENGTH


def test_number_ranges_match_the_model() -> None:
    port = shape("Port").metadata
    assert (port["min"], port["max"]) == _limits.PORT_RANGE
    # CoverageNumberFilter bounds are "long" with no limit in the model: the range is the
    # wire type's, a signed 64-bit integer.
    coverage_number = shape("CoverageNumberFilter")
    assert isinstance(coverage_number, StructureShape)
    for member in coverage_number.members.values():
        assert member.type_name == "long"
        assert "min" not in member.metadata and "max" not in member.metadata
    low, high = _limits.LONG_RANGE
    assert (low, high) == (-0x8000000000000000, 0x7FFFFFFFFFFFFFFF)


def test_limits_is_a_leaf_module() -> None:
    # It imports nothing from the package, only the standard library's typing, so any
    # module can import it without a cycle.
    tree = ast.parse(inspect.getsource(_limits))
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    ]
    assert set(imported) <= {"__future__", "typing"}, imported
