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
        assert error.end_line == error.line + json.dumps(bad, indent=2).count("\n")
        assert str(error).startswith(
            f"record 1 (lines {error.line}-{error.end_line}): "
            "resources[0].details.awsEc2Instance.launchedAt"
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
            (b"\x1f\x8b\x08\x00garbage", "cannot read"),
        ],
    )
    def test_source_format_errors(self, source: Any, message: str) -> None:
        with pytest.raises(SourceFormatError, match=re.escape(message)) as info:
            list(load_findings(source))
        assert isinstance(info.value, InspectorKitError) and isinstance(info.value, ValueError)

    @pytest.mark.parametrize(
        ("source", "message", "good"),
        [
            (  # truncated
                b'{"findings": [' + json.dumps(THREE[0]).encode(),
                "line 1: not valid JSON: the source ends before the closing ']'",
                1,
            ),
            (
                b"[" + json.dumps(THREE[0]).encode() + b' {"b": 2}]',
                "line 1: not valid JSON: expected ',' or ']'",
                1,
            ),
            (b"[" + json.dumps(THREE[0]).encode() + b", {oops}]", "line 1: not valid JSON", 1),
        ],
    )
    def test_errors_inside_one_document_are_per_record(
        self, source: bytes, message: str, good: int
    ) -> None:
        loaded = load_findings(source)
        assert list(loaded) == EXPECTED[:good]
        assert loaded.errors and loaded.errors[0].index == 1
        with pytest.raises(SourceFormatError, match=re.escape(message)):
            list(load_findings(source, strict=True))

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
    loaded = load_findings(
        "[" + json.dumps(THREE[0]) + "," + deep + "," + json.dumps(THREE[1]) + "]"
    )
    assert list(loaded) == EXPECTED[:2]
    assert "nested too deeply" in str(loaded.errors[0])
    with pytest.raises(SourceFormatError, match="nested too deeply"):
        list(load_findings("[" + json.dumps(THREE[0]) + "," + deep + "]", strict=True))


# ----------------------------------------------------------------------------- hardening
# Issue 14, items 10-12: no foreign exception, no silent loss after a bad record, bounded cost.


def lines_of(*records: str, sep: str = "\n") -> str:
    return sep.join(records)


GOOD = [json.dumps(p) for p in THREE]


class TestForeignExceptions:
    """Bad input gives our errors (per record where possible), never a builtin one."""

    BIG = "9" * 5000  # over Python's 4,300-digit limit for int(str)

    @pytest.mark.parametrize(
        ("bad", "path"),
        [
            ('{"findingArn": %s}', "findingArn"),
            ('{"findingArn": "x", "resources": [{"id": %s}]}', "resources[0].id"),
        ],
    )
    def test_integer_over_the_digit_limit_is_a_per_record_error(self, bad: str, path: str) -> None:
        for text in (
            lines_of(GOOD[0], bad % self.BIG, GOOD[1]),
            "[" + ",".join([GOOD[0], bad % self.BIG, GOOD[1]]) + "]",
            json.dumps({"findings": [THREE[0]]})[:-2] + "," + bad % self.BIG + "," + GOOD[1] + "]}",
        ):
            loaded = load_findings(text)
            assert list(loaded) == EXPECTED[:2]
            (error,) = loaded.errors
            assert error.index == 1 and isinstance(error.error, FindingParseError)
            assert error.error.path == path
            assert "5000 digits" in str(error)

    def test_huge_integer_in_an_unknown_member_or_event_detail(self) -> None:
        unknown = dict(THREE[1], newMember=1)
        text = lines_of(
            GOOD[0],
            json.dumps(unknown).replace('"newMember": 1', '"newMember": -' + self.BIG),
            json.dumps(event(THREE[2])).replace('"detail": {', f'"detail": {{"n": {self.BIG}, '),
        )
        loaded = load_findings(text)
        assert list(loaded) == EXPECTED[:1]
        assert [(e.index, e.error.path) for e in loaded.errors] == [  # type: ignore[attr-defined]
            (1, "newMember"),
            (2, "detail.n"),
        ]
        with pytest.raises(FindingParseError, match="newMember"):
            list(load_findings(text, strict=True))

    def test_a_huge_integer_in_a_page_member_that_holds_no_finding_is_ignored(self) -> None:
        text = f'{{"nextToken": {self.BIG}, "findings": {json.dumps(THREE)}}}'
        loaded = load_findings(text, strict=True)
        assert list(loaded) == EXPECTED

    @pytest.mark.parametrize(
        "damage",
        ["corrupt_deflate", "truncated", "bad_crc", "trailing_garbage"],
    )
    def test_damaged_gzip_is_a_source_format_error(self, damage: str) -> None:
        data = bytearray(gzip.compress(SHAPES["jsonl"].encode() * 50))
        if damage == "corrupt_deflate":
            data[20:40] = b"\xff" * 20
        elif damage == "truncated":
            data = data[: len(data) // 2]
        elif damage == "bad_crc":
            data[-8] ^= 0xFF
        else:
            data += b"garbage!"
        with pytest.raises(SourceFormatError, match="cannot read") as info:
            list(load_findings(bytes(data)))
        assert "<bytes>" in str(info.value)

    def test_read_errors_are_source_format_errors(self, tmp_path: Path) -> None:
        class Failing(io.RawIOBase):
            def __init__(self) -> None:
                self.calls = 0

            def readable(self) -> bool:
                return True

            def readinto(self, b: Any) -> int:
                self.calls += 1
                if self.calls > 1:
                    raise OSError(5, "Input/output error")
                data = (GOOD[0] + "\n").encode()
                b[: len(data)] = data
                return len(data)

        loaded = load_findings(Failing())  # type: ignore[arg-type]
        it = iter(loaded)
        with pytest.raises(SourceFormatError, match=r"cannot read: .*Input/output error"):
            list(it)
        (tmp_path / "f.json").write_text(SHAPES["jsonl"])
        handle = (tmp_path / "f.json").open("rb")
        handle.close()
        with pytest.raises(SourceFormatError, match=r"cannot read: ValueError: .*closed file"):
            list(load_findings(handle))

        class DriverError(Exception):
            pass

        class Flaky(io.RawIOBase):
            def readable(self) -> bool:
                return True

            def readinto(self, b: Any) -> int:
                raise DriverError("connection reset")

        with pytest.raises(SourceFormatError, match="cannot read: DriverError: connection"):
            list(load_findings(io.BufferedReader(Flaky())))

        class Ours(Flaky):
            def readinto(self, b: Any) -> int:
                raise InspectorKitError("an S3 read failed")  # e.g. a FetchError: kept

        with pytest.raises(InspectorKitError, match="an S3 read failed") as info:
            list(load_findings(io.BufferedReader(Ours())))
        assert not isinstance(info.value, SourceFormatError)

    @pytest.mark.parametrize("source", [None, 42, 4.2, object(), {1, 2}, iter([THREE[0]])])
    def test_unsupported_objects_are_a_type_error_at_the_call(self, source: Any) -> None:
        with pytest.raises(TypeError, match="load_findings"):
            load_findings(source)

    @pytest.mark.parametrize("path", ["bad\x00name.json", Path("bad\x00name.json")])
    def test_path_with_nul_is_a_source_format_error(self, path: Any) -> None:
        loaded = load_findings(path)
        with pytest.raises(SourceFormatError, match=r"cannot open: .*NUL") as info:
            list(loaded)
        assert "\x00" not in str(info.value) and "\\x00" in loaded.name

    def test_control_characters_in_a_path_are_escaped_in_the_name(self, tmp_path: Path) -> None:
        path = tmp_path / "a\x1b[31mred\nx.json"
        path.write_text(SHAPES["jsonl"])
        loaded = load_findings(path)
        assert list(loaded) == EXPECTED
        assert "\x1b" not in loaded.name and "\n" not in loaded.name
        assert loaded.name.endswith("a\\x1b[31mred\\nx.json")

    def test_invalid_utf8_inside_a_record_is_that_record_only(self) -> None:
        bad = json.dumps(finding(7)).encode().replace(b"finding 7", b"finding \xff7")
        data = b"\n".join([GOOD[0].encode(), bad, GOOD[1].encode(), b"\xfe\xfe", GOOD[2].encode()])
        loaded = load_findings(data)
        assert list(loaded) == EXPECTED
        assert [(e.index, e.line) for e in loaded.errors] == [(1, 2), (3, 4)]
        assert all("not UTF-8" in str(e) for e in loaded.errors)
        assert "description" in str(loaded.errors[0])
        bad_key = GOOD[1].encode().replace(b'"status"', b'"sta\xfftus"')
        loaded = load_findings(b"\n".join([GOOD[0].encode(), bad_key]))
        assert list(loaded) == EXPECTED[:1]
        assert str(loaded.errors[0]).endswith("not UTF-8 text (byte 0xff) in sta\\udcfftus")
        str(loaded.errors[0]).encode()  # printable: no lone surrogate left in the message


class TestPythonObjects:
    """A dict or list is a batch already decoded, e.g. a Lambda handler's ``event``."""

    @pytest.mark.parametrize(
        "source",
        [
            {"findings": THREE, "nextToken": "t"},
            THREE,
            tuple(THREE),
            [event(p) for p in THREE],
            [{"findings": THREE[:2]}, {"findings": THREE[2:]}],
        ],
    )
    def test_batches(self, source: Any) -> None:
        loaded = load_findings(source, strict=True)
        assert list(loaded) == EXPECTED
        assert loaded.name == f"<{type(source).__name__}>"

    def test_one_event_or_finding(self) -> None:
        assert list(load_findings(event(THREE[0]))) == EXPECTED[:1]
        assert list(load_findings(THREE[1])) == EXPECTED[1:2]

    def test_bad_items_are_reported_and_the_rest_loads(self) -> None:
        scan = event({}, "Inspector2 Scan")
        loaded = load_findings([THREE[0], {"findingArn": 1}, None, scan, THREE[1]])
        assert list(loaded) == EXPECTED[:2]
        assert [(e.index, e.line) for e in loaded.errors] == [(1, None), (2, None)]
        assert [s.index for s in loaded.skipped] == [3]

    def test_a_dict_holding_no_findings_is_a_source_format_error(self) -> None:
        with pytest.raises(SourceFormatError, match=r"keys \['Records'\] is not a ListFindings"):
            list(load_findings({"Records": []}))

    def test_a_list_containing_itself_is_an_error_not_a_hang(self) -> None:
        looped: list[Any] = [THREE[0]]
        looped.append(looped)
        looped.append(THREE[1])
        loaded = load_findings(looped)
        assert list(loaded) == EXPECTED[:2]
        assert "contains itself" in str(loaded.errors[0])


class TestResynchronisation:
    """One bad record never takes the good ones after it down without a word (item 11)."""

    BAD = '{"findingArn": oops}'

    @pytest.mark.parametrize("sep", ["\n", "\r\n", "\r", "", " ", "\n  ", "\r  ", "\n\t"], ids=repr)
    def test_records_after_a_bad_one_are_delivered(self, sep: str) -> None:
        indent = sep.lstrip("\r\n") if sep.strip(" \t") else ""
        text = indent + sep.join([GOOD[0], self.BAD, GOOD[1], "nonsense", GOOD[2]])
        loaded = load_findings(text)
        assert list(loaded) == EXPECTED
        assert [e.index for e in loaded.errors] == [1, 3]
        if sep.strip(" \t"):  # one record a line: the lines are right whatever the line end
            assert [e.line for e in loaded.errors] == [2, 4]

    @pytest.mark.parametrize("sep", ["\n", "\r", "\r\n", "\n  "], ids=repr)
    def test_a_truncated_line_does_not_swallow_the_next(self, sep: str) -> None:
        cut = GOOD[1][: len(GOOD[1]) // 2]
        indent = sep.lstrip("\r\n")
        text = indent + sep.join([GOOD[0], cut, GOOD[1], GOOD[2]])
        loaded = load_findings(text)
        assert list(loaded) == EXPECTED
        assert [(e.index, e.line) for e in loaded.errors] == [(1, 2)]

    def test_a_bad_pretty_printed_document_among_others(self) -> None:
        bad = json.dumps(finding(9), indent=2).replace('"finding 9"', "finding 9")
        docs = [json.dumps(p, indent=2) for p in THREE]
        text = "\n".join([docs[0], bad, docs[1], docs[2]])
        loaded = load_findings(text)
        assert list(loaded) == EXPECTED
        (error,) = loaded.errors
        first = docs[0].count("\n") + 2
        assert (error.index, error.line, error.end_line) == (1, first, first + bad.count("\n"))

    @pytest.mark.parametrize("indent", [None, 2])
    @pytest.mark.parametrize("wrap", ["list", "page", "page_token_first"])
    def test_a_syntax_error_inside_a_list_resumes_at_the_next_element(
        self, wrap: str, indent: int | None
    ) -> None:
        bad = {"findingArn": "MARK"}
        items = [json.dumps(x, indent=indent) for x in (THREE[0], bad, THREE[1], THREE[2])]
        body = "[" + ", ".join(items) + "]"
        if wrap == "page":
            body = '{"findings": ' + body + ', "nextToken": "t"}'
        elif wrap == "page_token_first":
            body = '{"nextToken": "t", "findings": ' + body + "}"
        text = body.replace('"MARK"', "MARK")
        loaded = load_findings(text + "\n" + GOOD[0])
        assert list(loaded) == EXPECTED + EXPECTED[:1]
        line = text[: text.index("MARK")].count("\n") + 1 - (indent is not None)
        assert [(e.index, e.line) for e in loaded.errors] == [(1, line)]
        assert loaded.errors[0].end_line == (None if indent is None else line + 2)
        with pytest.raises(SourceFormatError, match="not valid JSON"):
            list(load_findings(text, strict=True))

    def test_missing_comma_and_truncated_list(self) -> None:
        loaded = load_findings("[" + GOOD[0] + " " + GOOD[1] + ", " + GOOD[2] + "]")
        assert list(loaded) == EXPECTED
        assert [str(e) for e in loaded.errors] == [
            "record 1 (line 1): not valid JSON: expected ',' or ']'"
        ]
        loaded = load_findings(lines_of(GOOD[0], "[", GOOD[1], GOOD[2]))  # a stray '['
        assert list(loaded) == EXPECTED
        assert [(e.line, e.end_line) for e in loaded.errors] == [(2, 3)]
        assert "the list is not closed" in str(loaded.errors[0])
        loaded = load_findings('{"findings": [' + GOOD[0] + ", " + GOOD[1] + ', {"findingAr')
        assert list(loaded) == EXPECTED[:2]
        assert [e.index for e in loaded.errors] == [2]

    def test_a_broken_member_before_the_findings_of_a_page(self) -> None:
        text = '{"nextToken": oops, "findings": ' + json.dumps(THREE) + "}"
        loaded = load_findings(text)
        assert list(loaded) == EXPECTED
        assert len(loaded.errors) == 1 and "not valid JSON" in str(loaded.errors[0])

    def test_a_broken_page_in_json_lines_keeps_its_good_findings(self) -> None:
        page = json.dumps({"findings": [THREE[1], {"findingArn": "MARK"}, THREE[2]]})
        text = lines_of(GOOD[0], page.replace('"MARK"', "MARK"), GOOD[0])
        loaded = load_findings(text)
        assert list(loaded) == EXPECTED + EXPECTED[:1]
        assert [(e.index, e.line) for e in loaded.errors] == [(2, 2)]

    def test_a_record_that_holds_the_next_line_as_valid_json_reports_its_lines(self) -> None:
        # '{"findingArn": ' / a finding / '}' is one (bad) finding: valid JSON over 3 lines.
        loaded = load_findings(lines_of(GOOD[0], '{"findingArn": ', GOOD[1], "}", GOOD[2]))
        assert list(loaded) == [EXPECTED[0], EXPECTED[2]]
        assert [(e.index, e.line, e.end_line) for e in loaded.errors] == [(1, 2, 4)]

    def test_the_skipped_lines_are_reported(self) -> None:
        text = lines_of(GOOD[0], '{"findingArn": "x",', '  "severity": oops', "}", GOOD[1])
        loaded = load_findings(text)
        assert list(loaded) == EXPECTED[:2]
        (error,) = loaded.errors
        assert (error.line, error.end_line) == (2, 4)
        assert str(error).startswith("record 1 (lines 2-4): not valid JSON")


class TestBoundedCost:
    """Record size cap, bulk whitespace, linear refills (item 12)."""

    def test_a_record_over_the_cap_is_reported_and_skipped(self) -> None:
        big = finding(5)
        big["description"] = "x" * 5000
        for text in (
            lines_of(GOOD[0], json.dumps(big), GOOD[1]),
            json.dumps([THREE[0], big, THREE[1]]),
            json.dumps({"findings": [THREE[0], big, THREE[1]]}, indent=1),
            json.dumps([event(THREE[0]), event(big), event(THREE[1])]),
        ):
            loaded = load_findings(text, max_record_size=4096)
            assert list(loaded) == EXPECTED[:2]
            (error,) = loaded.errors
            assert error.index == 1 and isinstance(error.error, SourceFormatError)
            assert "larger than max_record_size (4096 characters)" in str(error)
            with pytest.raises(SourceFormatError, match="max_record_size"):
                list(load_findings(text, max_record_size=4096, strict=True))
            assert len(list(load_findings(text, max_record_size=8192, strict=True))) == 3

    def test_the_default_cap_is_documented_and_none_disables_it(self) -> None:
        assert loaders.MAX_RECORD_SIZE == 16 * 1024 * 1024
        assert f"{loaders.MAX_RECORD_SIZE:,}" in Path("docs/loading.md").read_text()
        loaded = load_findings(GOOD[0], max_record_size=None, strict=True)
        assert list(loaded) == EXPECTED[:1]
        with pytest.raises(ValueError, match="max_record_size"):
            load_findings(GOOD[0], max_record_size=0)

    def test_a_huge_first_document_that_is_not_a_page_is_reported(self) -> None:
        big = finding(5)
        big["description"] = "x" * 5000
        loaded = load_findings(lines_of(json.dumps(big), GOOD[0]), max_record_size=1000)
        assert list(loaded) == EXPECTED[:1]
        assert [(e.index, e.line) for e in loaded.errors] == [(0, 1)]
        # A page is not a record: its findings are, whatever the size of the page.
        page = json.dumps({"findings": [THREE[0]] * 50})
        assert len(list(load_findings(lines_of(GOOD[0], page), max_record_size=1000))) == 51

    @pytest.mark.parametrize("where", ["string", "whitespace", "number"])
    def test_a_gzip_bomb_does_not_inflate_past_the_cap(self, where: str) -> None:
        import tracemalloc

        size = 24 << 20
        if where == "string":
            bomb = b'{"findingArn": "' + b"a" * size + b'"}'
        elif where == "whitespace":
            bomb = b'{"findingArn": ' + b" " * size + b'"x"}'
        else:
            bomb = b"1" * size
        data = gzip.compress(b"\n".join([GOOD[0].encode(), bomb, GOOD[1].encode()]))
        assert len(data) < size // 200
        tracemalloc.start()
        try:
            loaded = load_findings(data, max_record_size=1 << 20)
            found = list(loaded)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert found == EXPECTED[:2]
        assert [(e.index, e.line) for e in loaded.errors] == [(1, 2)]
        assert peak < 8 << 20, peak

    def test_whitespace_is_skipped_in_bulk(self) -> None:
        # Megabytes of whitespace across many reader chunks, in and around a list. Its speed
        # (bulk skipping; the character loop was 8x slower) is in benchmarks/bench_scaling.py.
        data = (" \n\t\r" * (1 << 20)).encode()  # 4 MB of whitespace, three times
        text = GOOD[0].encode() + data + b"[" + data + GOOD[1].encode() + b"]" + data
        assert list(load_findings(text)) == EXPECTED[:2]

    def test_findings_after_megabytes_of_other_members_are_read(self) -> None:
        # Many window refills before the findings. That refills stay linear (copying the
        # whole kept window was quadratic) is in benchmarks/bench_scaling.py.
        member = '"k%d": "' + "v" * 1000 + '", '
        members = "".join(member % i for i in range((4 << 20) // 1010))  # 4 MB
        text = ("{" + members + '"findings": ' + json.dumps(THREE) + "}").encode()
        assert list(load_findings(text, strict=True)) == EXPECTED


def test_record_error_is_a_deprecated_alias_of_record_issue() -> None:
    import inspector_kit
    import inspector_kit.loaders as loaders

    for module in (loaders, inspector_kit):
        with pytest.warns(DeprecationWarning, match="RecordIssue"):
            assert module.RecordError is loaders.RecordIssue  # type: ignore[attr-defined]
    assert "RecordError" not in loaders.__all__ and "RecordError" not in inspector_kit.__all__
    assert not issubclass(loaders.RecordIssue, BaseException)  # a value, not an exception
    with pytest.raises(AttributeError, match="RecordProblem"):
        loaders.RecordProblem  # type: ignore[attr-defined]  # noqa: B018


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"source": 42}, "InvalidArgumentTypeError", "takes a path, JSON text"),
        ({"source": "[]", "max_record_size": 0}, "InvalidArgumentError", "max_record_size must"),
    ],
)
def test_bad_arguments_raise_input_errors(kwargs: dict[str, Any], error: str, match: str) -> None:
    import inspector_kit.errors as errors

    with pytest.raises(getattr(errors, error), match=match) as info:
        load_findings(**kwargs)
    assert isinstance(info.value, errors.InputError)


def test_configure_logging_stream_by_position_is_deprecated_but_works() -> None:
    # logs.py has no test module of its own in this area; the alias is tested here
    import logging

    from inspector_kit.logs import configure_logging

    stream = io.StringIO()
    with pytest.warns(DeprecationWarning, match="pass stream by keyword"):
        handler = configure_logging("WARNING", stream, fmt="%(message)s")  # type: ignore[misc]
    try:
        logging.getLogger("inspector_kit.test").warning("Credential=AKIAIOSFODNN7EXAMPLE/x")
    finally:
        logging.getLogger().removeHandler(handler)
    assert stream.getvalue() == "Credential=[REDACTED]/x\n"
