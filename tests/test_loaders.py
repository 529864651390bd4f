"""load_findings: every shape Inspector data is saved in, streamed, bad records reported."""

from __future__ import annotations

import gzip
import io
import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector_kit import (
    Finding,
    FindingParseError,
    InspectorKitError,
    SourceFormatError,
    load_findings,
    loaders,
)

from .payloads import minimal_payload


def finding(n: int) -> dict[str, Any]:
    return minimal_payload(
        findingArn=f"arn:aws:inspector2:us-east-1:111122223333:finding/{n:032x}",
        description=f"finding {n}",
    )


def event(detail: Any, kind: str = "Inspector2 Finding") -> dict[str, Any]:
    return {
        "version": "0",
        "id": "e",
        "detail-type": kind,
        "source": "aws.inspector2",
        "account": "111122223333",
        "time": "2024-09-04T17:00:36Z",
        "region": "us-east-1",
        "resources": [],
        "detail": detail,
    }


THREE = [finding(i) for i in range(3)]
EXPECTED = [Finding.from_api(p) for p in THREE]


def arns(loaded: Any) -> list[str]:
    return [f.finding_arn for f in loaded]


SHAPES = {
    "list_findings_page": json.dumps({"findings": THREE, "nextToken": "abc"}),
    "page_token_first": json.dumps({"nextToken": "abc", "findings": THREE}),
    "report_export": json.dumps({"findings": THREE}, indent=2),
    "list": json.dumps(THREE),
    "jsonl": "\n".join(json.dumps(p) for p in THREE) + "\n",
    "jsonl_crlf_blank_lines": "\r\n\r\n".join(json.dumps(p) for p in THREE),
    "concatenated_pretty": "\n".join(json.dumps(p, indent=2) for p in THREE),
    "events_list": json.dumps([event(p) for p in THREE]),
    "events_jsonl": "\n".join(json.dumps(event(p)) for p in THREE),
    "pages_jsonl": json.dumps({"findings": THREE[:2]}) + "\n" + json.dumps({"findings": THREE[2:]}),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize(
    "kind", ["str", "bytes", "path", "path_str", "binary_file", "text_file", "gzip_path"]
)
def test_every_shape_from_every_source(shape: str, kind: str, tmp_path: Path) -> None:
    text = SHAPES[shape]
    path = tmp_path / "f.json"
    path.write_text(text, encoding="utf-8")
    source: Any
    if kind == "str":
        source = text
    elif kind == "bytes":
        source = text.encode()
    elif kind == "path":
        source = path
    elif kind == "path_str":
        source = str(path)
    elif kind == "binary_file":
        source = io.BytesIO(text.encode())
    elif kind == "text_file":
        source = io.StringIO(text)
    else:
        source = tmp_path / "f.json.gz"
        source.write_bytes(gzip.compress(text.encode()))
    loaded = load_findings(source, strict=True)
    assert list(loaded) == EXPECTED
    assert loaded.errors == [] and loaded.count == 3


def test_single_finding_and_single_event() -> None:
    assert arns(load_findings(json.dumps(THREE[0]))) == [EXPECTED[0].finding_arn]
    assert arns(load_findings(json.dumps(event(THREE[1]), indent=1))) == [EXPECTED[1].finding_arn]


def test_gzip_bytes_and_bom() -> None:
    assert list(load_findings(gzip.compress(SHAPES["jsonl"].encode()))) == EXPECTED
    assert list(load_findings(b"\xef\xbb\xbf" + SHAPES["list"].encode())) == EXPECTED
    assert list(load_findings("\ufeff" + SHAPES["list"])) == EXPECTED


def test_non_seekable_binary_stream() -> None:
    class Pipe(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

        def readinto(self, b: Any) -> int:
            chunk = self.data.read(len(b))
            b[: len(chunk)] = chunk
            return len(chunk)

        def read(self, n: int = -1) -> bytes:
            return self.data.read(n)

    assert list(load_findings(Pipe(gzip.compress(SHAPES["jsonl"].encode())))) == EXPECTED  # type: ignore[arg-type]
    assert list(load_findings(Pipe(SHAPES["list"].encode()))) == EXPECTED  # type: ignore[arg-type]


def test_empty_sources_hold_no_findings() -> None:
    for source in ("", "   \n", b"", "[]", '{"findings": []}'):
        loaded = load_findings(source)
        assert list(loaded) == [] and loaded.errors == []


def test_callers_file_is_not_closed(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_text(SHAPES["jsonl"])
    with path.open("rb") as handle:
        assert len(list(load_findings(handle))) == 3
        assert not handle.closed


def test_other_eventbridge_events_are_skipped_not_errors() -> None:
    records = [
        event(THREE[0]),
        event({"scan-status": "INITIAL_SCAN_COMPLETE"}, "Inspector2 Scan"),
        event({"statusCodeValue": "ACTIVE"}, "Inspector2 Coverage"),
        event(THREE[1]),
    ]
    loaded = load_findings(json.dumps(records), strict=True)
    assert arns(loaded) == [EXPECTED[0].finding_arn, EXPECTED[1].finding_arn]
    assert [(s.index, s.reason) for s in loaded.skipped] == [
        (1, "EventBridge event 'Inspector2 Scan' holds no finding"),
        (2, "EventBridge event 'Inspector2 Coverage' holds no finding"),
    ]
    assert loaded.errors == []


class TestBadRecords:
    def test_bad_json_line_is_reported_and_the_rest_goes_on(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        text = "\n".join(
            [
                json.dumps(THREE[0]),
                '{"findingArn": oops}',
                "",
                json.dumps(THREE[1]),
                "nonsense",
                json.dumps(THREE[2]),
            ]
        )
        loaded = load_findings(text)
        with caplog.at_level(logging.WARNING, logger="inspector_kit.loaders"):
            assert list(loaded) == EXPECTED
        assert [(e.index, e.line) for e in loaded.errors] == [(1, 2), (3, 5)]
        assert all(isinstance(e.error, SourceFormatError) for e in loaded.errors)
        assert "not valid JSON" in str(loaded.errors[0])
        assert "2 record(s) could not be loaded" in caplog.text

    def test_first_line_bad(self) -> None:
        text = '{"findingArn": \n' + "\n".join(json.dumps(p) for p in THREE)
        loaded = load_findings(text)
        assert list(loaded) == EXPECTED
        assert [(e.index, e.line) for e in loaded.errors] == [(0, 1)]

    def test_invalid_finding_names_index_line_and_field_path(self) -> None:
        bad = finding(9)
        bad["resources"][0]["details"] = {"awsEc2Instance": {"launchedAt": "yesterday"}}
        text = json.dumps({"findings": [THREE[0], bad, THREE[1]]}, indent=2)
        loaded = load_findings(text)
        assert list(loaded) == EXPECTED[:2]
        (error,) = loaded.errors
        assert error.index == 1
        starts = [n for n, line in enumerate(text.splitlines(), start=1) if line == "    {"]
        assert error.line == starts[1]  # where the second finding starts
        assert isinstance(error.error, FindingParseError)
        assert error.error.path == "resources[0].details.awsEc2Instance.launchedAt"
        assert str(error).startswith(
            f"record 1 (line {error.line}): resources[0].details.awsEc2Instance.launchedAt"
        )

    def test_event_detail_errors_are_prefixed(self) -> None:
        loaded = load_findings(json.dumps([event({**THREE[0], "severity": 5})]))
        assert list(loaded) == []
        assert loaded.errors[0].error.path == "detail.severity"  # type: ignore[attr-defined]

    def test_non_object_records(self) -> None:
        loaded = load_findings(json.dumps([THREE[0], 42, "x", None, THREE[1]]))
        assert list(loaded) == EXPECTED[:2]
        assert [e.index for e in loaded.errors] == [1, 2, 3]

    def test_strict_raises_the_first_bad_record(self) -> None:
        loaded = load_findings(json.dumps([THREE[0], {"findingArn": 1}, THREE[1]]), strict=True)
        it = iter(loaded)
        assert next(it) == EXPECTED[0]
        with pytest.raises(FindingParseError, match="findingArn: expected a string"):
            next(it)

    def test_strict_raises_on_bad_json_line(self) -> None:
        with pytest.raises(SourceFormatError, match="line 2: not valid JSON"):
            list(load_findings(json.dumps(THREE[0]) + "\n{oops\n", strict=True))

    def test_raise_for_errors(self) -> None:
        loaded = load_findings(json.dumps([{"findingArn": 1}, {"findingArn": 2}]))
        list(loaded)
        with pytest.raises(FindingParseError):
            loaded.raise_for_errors()
        assert len(loaded.errors) == 2


class TestUnreadableSources:
    @pytest.mark.parametrize(
        ("source", "message"),
        [
            ("hello.json", "cannot open"),
            (b"hello", "not JSON: starts with 'h'"),
            (b'{"hello": "world"}', "a JSON object with keys ['hello'] is not a ListFindings page"),
            (b"\xff\xfe{}", "not UTF-8"),
            (
                b'{"findings": [' + json.dumps(THREE[0]).encode(),
                "line 1: not valid JSON",
            ),  # truncated
            (b'[{"a": 1} {"b": 2}]', "expected ',' or ']'"),
            (b"[" + json.dumps(THREE[0]).encode() + b", {oops}]", "not valid JSON in record 1"),
            (b"\x1f\x8b\x08\x00garbage", "cannot read"),
        ],
    )
    def test_source_format_errors(self, source: Any, message: str) -> None:
        with pytest.raises(SourceFormatError, match=re.escape(message)) as info:
            list(load_findings(source))
        assert isinstance(info.value, InspectorKitError) and isinstance(info.value, ValueError)

    def test_iterating_twice_is_an_error(self) -> None:
        loaded = load_findings(SHAPES["list"])
        list(loaded)
        with pytest.raises(InspectorKitError, match="iterated only once"):
            list(loaded)

    def test_repr_and_name(self, tmp_path: Path) -> None:
        loaded = load_findings(SHAPES["list"])
        list(loaded)
        assert repr(loaded) == "<LoadedFindings <string>: 3 finding(s), 0 error(s), 0 skipped>"
        assert load_findings(tmp_path / "x.json").name == str(tmp_path / "x.json")
        assert load_findings(b"[]").name == "<bytes>"


class CountingReader(io.RawIOBase):
    """A binary stream that records how much has been read."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        chunk = self._data.read(len(b))
        b[: len(chunk)] = chunk
        self.consumed += len(chunk)
        return len(chunk)


@pytest.mark.parametrize("layout", ["page", "list", "jsonl"])
def test_streams_instead_of_reading_the_whole_source(layout: str) -> None:
    many = [finding(i) for i in range(3000)]
    if layout == "page":
        data = json.dumps({"findings": many, "nextToken": None}).encode()
    elif layout == "list":
        data = json.dumps(many).encode()
    else:
        data = "\n".join(json.dumps(p) for p in many).encode()
    reader = CountingReader(data)
    stream = io.BufferedReader(reader)
    it = iter(load_findings(stream))
    first = next(it)
    assert first.description == "finding 0"
    # Only a window of the source has been read when the first finding arrives.
    assert reader.consumed < 4 * loaders._CHUNK < len(data) / 4
    assert sum(1 for _ in it) == 2999


@given(chunk=st.integers(1, 64), layout=st.sampled_from(sorted(SHAPES)))
def test_any_window_size_gives_the_same_result(chunk: int, layout: str) -> None:
    original = loaders._CHUNK
    loaders._CHUNK = chunk
    try:
        loaded = load_findings(SHAPES[layout].encode(), strict=True)
        assert list(loaded) == EXPECTED
    finally:
        loaders._CHUNK = original


@given(chunk=st.integers(1, 32), bad_lines=st.sets(st.integers(0, 5), max_size=3))
def test_line_numbers_survive_window_boundaries(chunk: int, bad_lines: set[int]) -> None:
    lines = [("{broken" if i in bad_lines else json.dumps(finding(i))) for i in range(6)]
    original = loaders._CHUNK
    loaders._CHUNK = chunk
    try:
        loaded = load_findings("\n".join(lines))
        found = list(loaded)
    finally:
        loaders._CHUNK = original
    assert [f.description for f in found] == [
        f"finding {i}" for i in range(6) if i not in bad_lines
    ]
    assert sorted((e.index, e.line) for e in loaded.errors) == sorted((i, i + 1) for i in bad_lines)


def test_a_bad_line_does_not_pull_the_rest_of_the_file_into_memory() -> None:
    lines = [json.dumps(finding(i)) for i in range(3000)]
    lines[1] = '{"findingArn": "x", oops}'
    reader = CountingReader("\n".join(lines).encode())
    loaded = load_findings(io.BufferedReader(reader))
    it = iter(loaded)
    assert next(it).description == "finding 0"
    assert next(it).description == "finding 2"
    assert [(e.index, e.line) for e in loaded.errors] == [(1, 2)]
    assert reader.consumed < 4 * loaders._CHUNK


def test_absurd_nesting_is_a_bad_record_not_a_crash() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    loaded = load_findings("\n".join([json.dumps(THREE[0]), deep, json.dumps(THREE[1])]))
    assert list(loaded) == EXPECTED[:2]
    assert [(e.index, e.line) for e in loaded.errors] == [(1, 2)]
    assert "nested too deeply" in str(loaded.errors[0])
    with pytest.raises(SourceFormatError, match="nested too deeply"):
        list(load_findings("[" + json.dumps(THREE[0]) + "," + deep + "]"))
