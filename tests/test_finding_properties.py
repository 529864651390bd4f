"""Property tests over payloads generated from the botocore service model itself."""

from __future__ import annotations

import copy
import json
import math
import pickle
from typing import Any

from hypothesis import assume, given, note
from hypothesis import strategies as st

from inspector_kit import Finding, FindingParseError, load_findings
from inspector_kit.models._codec import FrozenMap

from .service_model import (
    delete_at,
    findings,
    get_at,
    json_values,
    path_text,
    set_at,
    shape,
    sites,
    wrong_values,
)


@given(findings())
def test_a_valid_payload_parses_round_trips_and_is_left_alone(
    pair: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    """Every property of a valid payload, over one generated payload (generating a whole
    Finding from the service model is the expensive part, so it is done once)."""
    payload, expected = pair
    before = copy.deepcopy(payload)
    finding = Finding.from_api(payload)
    # Parsing does not mutate the payload.
    assert payload == before
    # The API form round-trips to the normal form; parsing that again is the identity,
    # and models stay hashable.
    assert finding.to_api() == expected
    again = Finding.from_api(finding.to_api())
    assert again == finding
    assert hash(again) == hash(finding)
    # The JSON form round-trips through the loader (twice in one stream).
    text = finding.to_json()
    assert list(load_findings(text + "\n" + text, strict=True)) == [finding, finding]
    # Models pickle.
    assert pickle.loads(pickle.dumps(finding)) == finding
    # Tags and extra members are read-only maps.
    for target in (finding.primary_resource.tags, finding.extra):
        if target is None:
            continue
        assert isinstance(target, FrozenMap)
        try:
            target["x"] = "y"  # type: ignore[index]
        except TypeError:
            pass
        else:
            raise AssertionError("FrozenMap accepted an assignment")


@st.composite
def mutated(draw: st.DrawFn) -> tuple[dict[str, Any], str, str]:
    """A valid payload with one member broken; returns it, the path and what was done."""
    payload, _ = draw(findings())
    candidates = list(sites(payload, shape("Finding")))
    path, member_shape, required = draw(st.sampled_from(candidates))
    kinds = ["wrong type"] + (
        ["delete", "null"] if required and not isinstance(path[-1], int) else []
    )
    if isinstance(path[-1], int):
        kinds.append("null")
    kind = draw(st.sampled_from(kinds))
    if kind == "delete":
        delete_at(payload, path)
    elif kind == "null":
        set_at(payload, path, None)
    else:
        bad = draw(st.sampled_from(wrong_values(member_shape)))
        set_at(payload, path, bad)
        if isinstance(bad, dict) and bad:  # a map with a non-string value: the key is named
            path = (*path, next(iter(bad)))
    return payload, path_text(path), kind


@given(mutated())
def test_a_broken_member_raises_finding_parse_error_naming_its_path(
    case: tuple[dict[str, Any], str, str],
) -> None:
    payload, path, kind = case
    note(f"{kind} at {path}")
    try:
        Finding.from_api(payload)
    except FindingParseError as exc:
        assert exc.path == path, (exc.path, path)
        assert str(exc).startswith(f"{path}: ")
        if kind == "delete":
            assert "missing" in exc.reason
    else:
        raise AssertionError(f"{kind} at {path} was accepted")


@st.composite
def fuzzed(draw: st.DrawFn) -> dict[str, Any]:
    """A valid payload with any node (member, item, extra) replaced by arbitrary JSON."""
    payload, _ = draw(findings())
    paths: list[tuple[Any, ...]] = []

    def walk(value: Any, here: tuple[Any, ...]) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                paths.append((*here, key))
                walk(item, (*here, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                paths.append((*here, index))
                walk(item, (*here, index))

    walk(payload, ())
    for _ in range(draw(st.integers(1, 3))):
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        try:
            parent = get_at(payload, path[:-1])
        except (KeyError, IndexError, TypeError):
            continue  # an earlier replacement removed it
        key = path[-1]
        if not (
            (isinstance(parent, dict) and isinstance(key, str))
            or (isinstance(parent, list) and isinstance(key, int) and key < len(parent))
        ):
            continue  # an earlier replacement changed its parent's type
        set_at(payload, path, draw(json_values))
    return payload


@given(fuzzed())
def test_arbitrary_corruption_raises_only_finding_parse_error(payload: dict[str, Any]) -> None:
    try:
        finding = Finding.from_api(payload)
    except FindingParseError as exc:
        assert exc.reason
        str(exc)  # renders, whatever the value
    else:
        # Whatever parses must round-trip to itself.
        assert Finding.from_api(finding.to_api()) == finding


@given(st.one_of(json_values, st.binary(), st.integers()))
def test_non_objects_are_rejected_at_the_root(value: Any) -> None:
    assume(not isinstance(value, dict))
    try:
        Finding.from_api(value)
    except FindingParseError as exc:
        assert exc.path == ""
        assert str(exc).startswith("<root>: expected an object")
    else:
        raise AssertionError("accepted a non-object")


def test_nan_and_infinity_are_not_numbers_here() -> None:
    from .payloads import minimal_payload

    for bad in (math.nan, math.inf, -math.inf):
        payload = minimal_payload(inspectorScore=bad)
        try:
            Finding.from_api(payload)
        except FindingParseError as exc:
            assert exc.path == "inspectorScore"
        else:
            raise AssertionError(bad)
    # NaN written by json.dumps is read back as NaN by json.loads: still rejected.
    text = json.dumps(minimal_payload(inspectorScore=math.nan))
    loaded = load_findings(text)
    assert list(loaded) == []
    assert loaded.errors[0].error.path == "inspectorScore"  # type: ignore[attr-defined]
