"""The fast decoding paths give what the generic (slow, full) paths give: values and errors.

Issue 19, item 2: each model class gets a compiled decoder (``models._codec._compile``) and
RFC 3339 timestamps a C fast path (``models._time._fast_iso``). The slow paths stay in the
code: ``_decode_struct_generic`` walks each model's plan, and ``_parse_string`` is the full
timestamp parser. These tests switch the fast paths off (``slow_paths``) to get the
reference, and compare: the same model (``==``, ``repr``, ``to_api()``, pickling) or the
same error (class, message, field path).
"""

from __future__ import annotations

import copy
import json
import pickle
from collections import UserDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest

from inspector_kit import sample_estate_path
from inspector_kit.errors import FindingParseError, TimestampError
from inspector_kit.models import (
    AccountState,
    CoveredResource,
    Finding,
    FindingDetail,
    Member,
    Resource,
    _codec,
    _time,
    parse_timestamp,
)

UTC = timezone.utc
ESTATE = sample_estate_path()


@contextmanager
def slow_paths() -> Iterator[None]:
    """Decode with the generic walk and the full timestamp parser only."""
    saved = _codec._decode_struct, _time._fast_iso
    _codec._decode_struct = _codec._decode_struct_generic
    _time._fast_iso = lambda text: None
    try:
        yield
    finally:
        _codec._decode_struct, _time._fast_iso = saved


def _outcome(decode: Callable[[Any], Any], payload: Any) -> tuple[Any, ...]:
    """What decoding gives, in a form to compare: the model's views, or the error's."""
    try:
        model = decode(payload)
    except FindingParseError as exc:
        return ("error", type(exc), str(exc), exc.path)
    except TimestampError as exc:
        return ("error", type(exc), str(exc))
    return ("ok", type(model), repr(model), model.to_api(), model)


def _same(decode: Callable[[Any], Any], payload: Any) -> tuple[Any, ...]:
    fast = _outcome(decode, copy.deepcopy(payload))
    with slow_paths():
        slow = _outcome(decode, copy.deepcopy(payload))
    assert fast == slow
    return fast


def _findings() -> list[dict[str, Any]]:
    with (ESTATE / "findings.jsonl").open(encoding="utf-8") as stream:
        return [json.loads(line) for line in stream]


def test_the_slow_paths_really_are_switched_off() -> None:
    # The comparison proves something only if the two paths differ in code.
    raw = _findings()[0]
    calls: list[str] = []
    real = _codec._decode_struct_generic

    def spy(cls: type[Any], data: Any) -> Any:
        calls.append(cls.__name__)
        return real(cls, data)

    with slow_paths():
        _codec._decode_struct = spy
        Finding.from_api(raw)
        assert _time._fast_iso("2024-09-04T16:59:44.356Z") is None
    assert "Finding" in calls and "Resource" in calls
    calls.clear()
    Finding.from_api(raw)
    assert calls == []  # the compiled decoders do not go through the generic walk
    assert _time._fast_iso("2024-09-04T16:59:44.356Z") is not None


def test_every_sample_finding_decodes_the_same_both_ways() -> None:
    findings = _findings()
    assert len(findings) > 200
    for raw in findings:
        kind, _, _, api, model = _same(Finding.from_api, raw)
        assert kind == "ok"
        assert api == Finding.from_api(raw).to_api()
        assert pickle.loads(pickle.dumps(model)) == model
        assert hash(model) == hash(pickle.loads(pickle.dumps(model)))


def test_the_other_sample_records_decode_the_same_both_ways() -> None:
    coverage = json.loads((ESTATE / "coverage.json").read_text(encoding="utf-8"))
    for records in coverage["regions"].values():
        for raw in records:
            assert _same(CoveredResource.from_api, raw)[0] == "ok"
    details = json.loads((ESTATE / "finding_details.json").read_text(encoding="utf-8"))
    for raw in details:
        assert _same(FindingDetail.from_api, raw)[0] == "ok"
    settings = json.loads((ESTATE / "settings.json").read_text(encoding="utf-8"))
    for raw in settings["members"]:
        assert _same(Member.from_api, raw)[0] == "ok"


_BAD_VALUES: tuple[Any, ...] = (None, 1, 1.5, True, "x", [], {}, [1], {"k": 1}, float("inf"))


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))


def _replaced(payload: Any, path: tuple[Any, ...], value: Any) -> Any:
    out = copy.deepcopy(payload)
    target = out
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return out


@pytest.mark.parametrize("which", [0, 1, 5, 40, 120])
def test_every_member_spoilt_every_way_fails_or_decodes_the_same(which: int) -> None:
    # Each path of a real finding (a network one, package ones, Lambda and ECR ones),
    # replaced by values of every JSON type: the same model or the same error, path included.
    raw = _findings()[which]
    seen_errors = 0
    for path in _leaves(raw):
        if not path:
            continue
        for bad in _BAD_VALUES:
            outcome = _same(Finding.from_api, _replaced(raw, path, bad))
            seen_errors += outcome[0] == "error"
    assert seen_errors > 20


def test_errors_name_the_path() -> None:
    raw = _findings()[0]
    raw["resources"][0]["details"]["awsEc2Instance"]["launchedAt"] = "not a time"
    fast = _same(Finding.from_api, raw)
    assert fast[0] == "error"
    assert fast[3] == "resources[0].details.awsEc2Instance.launchedAt"
    assert fast[2].endswith("not a timestamp in any known format (value: 'not a time')")


class _Str(str):
    __slots__ = ()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda r: r.update(newMember={"a": [1, {"b": None}]}), id="extra-member"),
        pytest.param(lambda r: r.update(title=None), id="null-optional"),
        pytest.param(lambda r: r.update(severity=None), id="null-required"),
        pytest.param(lambda r: r.pop("severity"), id="missing-required"),
        pytest.param(lambda r: r.update(severity="SOMEDAY"), id="unknown-enum"),
        pytest.param(lambda r: r.update(title=_Str("a str subclass")), id="str-subclass"),
        pytest.param(lambda r: r["resources"][0].update(tags={}), id="empty-tags"),
        pytest.param(lambda r: r["resources"][0].update(tags={"k": _Str("v")}), id="tag-subclass"),
        pytest.param(lambda r: r["resources"][0].update(tags={"k": 1}), id="bad-tag"),
        pytest.param(lambda r: r.update(resources=[]), id="no-resources"),
        pytest.param(lambda r: r.update(resources=(r["resources"][0],)), id="tuple-list"),
        pytest.param(
            lambda r: r.update(resources=[Resource.from_api(r["resources"][0])]),
            id="model-instance-in-list",
        ),
        pytest.param(
            lambda r: r["resources"][0]["details"]["awsEc2Instance"].update(
                ipV4Addresses=["10.0.0.1", _Str("10.0.0.2")]
            ),
            id="string-list-subclass",
        ),
        pytest.param(
            lambda r: r["resources"][0]["details"]["awsEc2Instance"].update(ipV4Addresses=["a", 2]),
            id="string-list-bad-item",
        ),
        pytest.param(
            lambda r: r.update(firstObservedAt=datetime(2024, 9, 4, 16, 59)),
            id="naive-datetime",
        ),
        pytest.param(lambda r: r.update(firstObservedAt=1725468784.356), id="epoch-float"),
        pytest.param(lambda r: r.update(firstObservedAt=Decimal("1725468784")), id="decimal"),
        pytest.param(lambda r: r.update(extra={"a": 1}), id="member-named-extra"),
    ],
)
def test_edge_payloads_decode_the_same(change: Callable[[dict[str, Any]], Any]) -> None:
    raw = _findings()[0]
    change(raw)
    _same(Finding.from_api, raw)


def test_a_mapping_that_is_not_a_dict_decodes_the_same() -> None:
    raw = _findings()[1]
    payload = UserDict(raw)
    payload["resources"] = [UserDict(raw["resources"][0])]
    assert _same(Finding.from_api, payload)[0] == "ok"
    assert _same(Finding.from_api, ["not", "an", "object"])[0] == "error"


def test_lenient_decoding_is_unchanged_by_the_compiled_decoder() -> None:
    raw = {
        "accountId": "111122223333",
        "state": {"status": "ENABLED"},
        "resourceState": {"ec2": {"status": "ENABLED"}, "ecr": {"status": "DISABLED"}},
    }
    fast = AccountState.from_api_lenient(raw)
    with slow_paths():
        slow = AccountState.from_api_lenient(raw)
    assert fast[0] == slow[0] and [str(p) for p in fast[1]] == [str(p) for p in slow[1]]
    assert fast[1] and fast[0].to_api() == raw


def test_repeated_strings_are_shared_and_the_arn_is_not() -> None:
    first, second = (Finding.from_api(json.loads(line)) for line in _twice())
    assert first == second
    assert first.title is second.title  # interned
    assert first.resources[0].id is second.resources[0].id
    assert first.finding_arn == second.finding_arn
    assert first.finding_arn is not second.finding_arn  # unique per finding: not interned


def _twice() -> list[str]:
    line = (ESTATE / "findings.jsonl").read_text(encoding="utf-8").splitlines()[1]
    return [line, line]


# --------------------------------------------------------------------------- timestamps

_TIMESTAMPS: list[Any] = [
    # the forms the fast path takes, and near misses it must hand to the full parser
    *(f"2024-09-04T16:59:44.{'123456789'[:n]}Z" for n in range(1, 10)),
    *(f"2024-09-04T16:59:44,{'123456789'[:n]}Z" for n in range(1, 10)),
    "2024-09-04T16:59:44Z",
    "2024-09-04T16:59:44z",
    "2024-09-04t16:59:44Z",
    "2024-09-04t16:59:44.356z",
    "2024-09-05T01:59:44.356+09:00",
    "2024-09-04T09:59:44.356-07:00",
    "2024-09-04T16:59:44.356+00:00",
    "2024-09-04T16:59:44.356-00:00",
    "2024-09-04T16:59:44+23:59",
    "2024-09-04T16:59:44+24:00",
    "2024-09-04T16:59:44+09:60",
    "2024-09-04T16:59:44+09:00:30",
    "2024-09-04T16:59:44+0900",
    "2024-09-04T16:59:44+09",
    "2024-09-04T16:59:44",
    "2024-09-04 16:59:44Z",
    "2024-09-04T16:59:60Z",  # a leap second: refused today, with the same message
    "2024-09-04T16:59:60.5Z",
    "2024-09-04T24:00:00Z",
    "2024-02-30T00:00:00Z",
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:00:00+01:00",  # out of range once in UTC
    "9999-12-31T23:59:59-01:00",
    "9999-12-31T23:59:59.999999Z",
    "2024-09-04T16:59:44.Z",
    "2024-09-04T16:59:44.+09:00",
    "2024-09-04T16:59:44.12a4Z",
    "2024-09-04T16:59:44.1 Z",
    " 2024-09-04T16:59:44Z",
    "2024-09-04T16:59:44Z ",
    "2024-09-04T16:59:44ZZ",
    "2024-09-04T16:59:4\u0664Z",  # a non-ASCII digit
    "\u0662\u0660\u0662\u0664-09-04T16:59:44Z",
    "2024-09-04T16:59:44\u202fZ",
    "+024-09-04T16:59:44Z",
    "2024-W36-3T16:59:44Z",
    "20240904T165944Z",
    "2024-09-04T16:59:44.356+09:00Z",
    "Wed Sep 04 16:59:44.356 UTC 2024",
    "Dec 3, 2021, 6:02:30 PM",
    "1725468784.356",
    "",
    "yesterday",
    "x" * 40,
    1725468784,
    1725468784.356,
    1725468784356,
    -1.5,
    10**16,
    float("nan"),
    float("inf"),
    Decimal("1725468784.356"),
    Decimal("NaN"),
    True,
    None,
    [],
    datetime(2024, 9, 4, 16, 59, 44),
    datetime(2024, 9, 4, 16, 59, 44, tzinfo=UTC),
]


def _parse_outcome(value: Any) -> tuple[Any, ...]:
    try:
        result = parse_timestamp(value)
    except TimestampError as exc:
        return ("error", str(exc), exc.value is value)
    return ("ok", result, result.tzinfo is UTC)


@pytest.mark.parametrize("value", _TIMESTAMPS, ids=repr)
def test_timestamps_parse_the_same_both_ways(value: Any) -> None:
    fast = _parse_outcome(value)
    with slow_paths():
        slow = _parse_outcome(value)
    assert fast == slow
    if fast[0] == "ok":
        assert fast[2]  # always timezone.utc itself


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-09-04T16:59:44.356Z", datetime(2024, 9, 4, 16, 59, 44, 356000, tzinfo=UTC)),
        ("2024-09-04T16:59:44.123456789Z", datetime(2024, 9, 4, 16, 59, 44, 123456, tzinfo=UTC)),
        ("2024-09-04T16:59:44.1Z", datetime(2024, 9, 4, 16, 59, 44, 100000, tzinfo=UTC)),
        ("2024-09-05T01:59:44+09:00", datetime(2024, 9, 4, 16, 59, 44, tzinfo=UTC)),
        ("2024-09-04T09:59:44,5-07:00", datetime(2024, 9, 4, 16, 59, 44, 500000, tzinfo=UTC)),
    ],
)
def test_the_fast_path_takes_the_common_forms(text: str, expected: datetime) -> None:
    # An independent truth (written out by hand), and proof that the fast path answered.
    fast = _time._fast_iso(text)
    assert fast == expected
    assert fast is not None and fast.tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    ["2024-09-04t16:59:44Z", "2024-09-04T16:59:44", "2024-09-04T16:59:60Z", "2024-09-04T16:59Z"],
)
def test_the_fast_path_hands_other_forms_to_the_full_parser(text: str) -> None:
    assert _time._fast_iso(text) is None
