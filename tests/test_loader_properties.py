"""Property tests of load_findings over generated and mutated bytes (issue 14, "Proof").

For JSON Lines, concatenated documents, lists, ``{"findings": [...]}`` pages, EventBridge
events and gzip, with good findings mixed with bad records (valid JSON that is no finding,
garbage text, mutated bytes of a finding):

* only [`InspectorKitError`][inspector_kit.errors.InspectorKitError] subclasses escape, whatever the
  bytes;
* every good record is delivered, in order, where resynchronising can find it (records
  on lines of their own, pretty-printed documents and elements); wherever a good record is
  not delivered, an error reports the lines it was in ("delivered + reported covers the
  input");
* records that are valid JSON but not findings cost exactly one error each, in every layout.

Each property runs 150 examples under ``HYPOTHESIS_PROFILE=standard``, a quarter of that
under the fast default and 20 times as many under ``thorough`` (``tests/conftest.py``);
``LOADER_EXAMPLES`` (an environment variable) sets the number outright.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector_kit import Finding, InspectorKitError, load_findings

from .conftest import examples
from .payloads import minimal_payload
from .service_model import findings as model_findings

# 150 examples under the "standard" profile, scaled to the one loaded (conftest.examples);
# LOADER_EXAMPLES overrides.
EXAMPLES = int(os.environ.get("LOADER_EXAMPLES", examples(150)))
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Strings that stress the resynchronising scanner: brackets, quotes, escapes and line
# breaks inside JSON strings (json.dumps escapes the breaks and quotes, as it must).
TEXT = st.text(alphabet=st.sampled_from('ab {}[]",:\\\n\r\t\u00e9\u65e5\U0001f600'), max_size=24)

INVALID = [  # valid JSON, but no finding: one error each, in every layout
    {"findingArn": 1},
    {"findingArn": "x"},
    42,
    "text",
    None,
    {"detail-type": "Inspector2 Finding", "detail": {"severity": 5}},
    [{"findingArn": 2}],
]

GARBAGE = [  # not JSON; balanced or not
    "{oops}",
    "nonsense",
    '{"findingArn": ',
    "]",
    "}}",
    '"unterminated',
    "[[[[[",
    '{"a": [1, 2}',
    "\\",
    '{"a": "b\\"}',
    "9" * 5000,  # over Python's digit limit for int()
    '{"findingArn": "x", "n": -' + "9" * 5000 + "}",
]


def event(detail: Any) -> dict[str, Any]:
    return {
        "version": "0",
        "detail-type": "Inspector2 Finding",
        "source": "aws.inspector2",
        "detail": detail,
    }


@dataclass
class Record:
    kind: str  # "good", "invalid", "garbage" or "mutated"
    value: Any = None  # the payload (good, invalid, mutated) or the text (garbage)
    mutations: tuple[tuple[float, int, int], ...] = ()  # (where, op, byte)
    as_event: bool = False

    def text(self, indent: int | None) -> str:
        if self.kind == "garbage":
            return str(self.value)
        value = event(self.value) if self.as_event else self.value
        text = json.dumps(value, indent=indent)
        if self.kind != "mutated":
            return text
        data = bytearray(text.encode())
        for where, op, byte in self.mutations:
            at = min(int(where * len(data)), len(data) - 1)
            if op == 0:
                data[at] = byte
            elif op == 1:
                data.insert(at, byte)
            elif len(data) > 1:
                del data[at]
        return data.decode("utf-8", "surrogateescape")


@st.composite
def good_payloads(draw: st.DrawFn, n: int) -> dict[str, Any]:
    return minimal_payload(
        findingArn=f"arn:aws:inspector2:us-east-1:111122223333:finding/{n:032x}",
        description=draw(TEXT),
        title=draw(TEXT),
    )


@st.composite
def batches(draw: st.DrawFn, kinds: list[str], events: bool = True) -> list[Record]:
    size = draw(st.integers(2, 6))
    records = []
    for n in range(size):
        kind = "good" if n == 0 else draw(st.sampled_from(kinds))
        as_event = events and draw(st.booleans())
        if kind == "good":
            records.append(Record("good", draw(good_payloads(n)), as_event=as_event))
        elif kind == "invalid":
            records.append(Record("invalid", draw(st.sampled_from(INVALID))))
        elif kind == "garbage":
            garbage = st.sampled_from(GARBAGE) | TEXT.filter(lambda t: not yields_nothing(t))
            records.append(Record("garbage", draw(garbage)))
        else:
            mutations = draw(
                st.lists(
                    st.tuples(st.floats(0, 1), st.integers(0, 2), st.integers(0, 255)),
                    min_size=1,
                    max_size=3,
                )
            )
            records.append(
                Record("mutated", draw(good_payloads(n)), tuple(mutations), as_event=as_event)
            )
    return records


def _only_our_errors_escape_when_damaged(text: str, cut: float, flip: tuple[float, int]) -> None:
    """Strict or not, cut anywhere, gzip cut or damaged anywhere: ours or a result."""
    data = text.encode("utf-8", "surrogateescape")
    packed = gzip.compress(data)
    damaged = bytearray(packed)
    damaged[10 + int(flip[0] * (len(packed) - 11))] ^= flip[1]  # past the gzip header
    sources = (data[: int(cut * len(data))], packed[: int(cut * len(packed))], bytes(damaged))
    for source in sources:
        for strict in (False, True):
            try:
                found = list(load_findings(source, strict=strict))
            except InspectorKitError:
                continue
            assert all(isinstance(f, Finding) for f in found)


def count_lines(text: str) -> int:
    """Line breaks in ``text``: LF, CRLF or a lone CR, as the loader counts them."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


LAST_LINES: list[int] = []


def layout(records: list[Record], shape: str, sep: str, indent: str) -> tuple[str, list[int]]:
    """The source text, and the line where each record starts.

    ``LAST_LINES`` gets the line where each one ends.
    """
    LAST_LINES.clear()
    pretty = 2 if shape in ("pretty", "pretty_list", "pretty_page") else None
    texts = [r.text(pretty) for r in records]
    if shape in ("jsonl", "pretty", "back_to_back"):
        joiner = "" if shape == "back_to_back" else sep + (indent if shape == "jsonl" else "")
        head = indent if shape == "jsonl" else ""
        text, starts = head, []
        for i, piece in enumerate(texts):
            if i:  # back to back: '}{', but '42 42' (4242 would be one number)
                text += joiner or ("" if text[-1:] in "]}" and piece[:1] in "[{" else " ")
            starts.append(count_lines(text) + 1)
            text += piece
            LAST_LINES.append(count_lines(text) + 1)
        return text, starts
    # lists and pages: elements indented by the pretty printer's rules
    inner = "\n  " if shape == "pretty_list" else "\n    " if shape == "pretty_page" else ""
    text = '{"findings": [' if shape.endswith("page") else "["
    starts = []
    for i, piece in enumerate(texts):
        text += ("," if i else "") + (inner or (" " if i else ""))
        starts.append(count_lines(text) + 1)
        text += piece.replace("\n", inner or "\n") if pretty else piece
        LAST_LINES.append(count_lines(text) + 1)
    text += ("\n" if pretty else "") + "]"
    if shape.endswith("page"):
        text += ', "nextToken": "t"}'
    return text, starts


def expected(record: Record) -> Finding:
    return Finding.from_api(record.value)


def load(data: bytes) -> tuple[list[Finding], Any]:
    loaded = load_findings(data)
    try:
        found = list(loaded)
    except InspectorKitError:
        return [], None  # allowed: only our errors escape
    return found, loaded


def unmatched(wanted: list[tuple[Finding, int]], found: list[Finding]) -> list[int]:
    """The start lines of the wanted findings that ``found`` does not hold, in order."""
    missing, at = [], 0
    for finding, start in wanted:
        try:
            at = found.index(finding, at) + 1
        except ValueError:
            missing.append(start)
    return missing


def yields_nothing(text: str) -> bool:
    """Whether ``text`` is blank or JSON holding no record at all (``[]``, ``[[], []]``)."""
    try:
        value = json.loads(text)
    except ValueError:
        return not text.strip(" \t\n\r")
    stack = [value]
    while stack:
        item = stack.pop()
        if not isinstance(item, list):
            return False
        stack.extend(item)
    return True


def valid_stream(text: str) -> bool:
    """Whether ``text`` is JSON values one after another, and nothing else."""
    decoder, pos = json.JSONDecoder(), 0
    while True:
        while pos < len(text) and text[pos] in " \t\n\r":
            pos += 1
        if pos == len(text):
            return True
        try:
            _, pos = decoder.raw_decode(text, pos)
        except ValueError:
            return False


def covered(loaded: Any, line: int) -> bool:
    return any(e.line <= line <= (e.end_line or e.line) for e in loaded.errors)


SHAPES = ["jsonl", "pretty", "back_to_back", "list", "page", "pretty_list", "pretty_page"]
RESYNC_BY_LINE = {"jsonl", "pretty"}  # every good record is delivered, whatever the damage


@FAST
@given(
    records=batches(["good", "invalid", "garbage", "mutated"]),
    shape=st.sampled_from(SHAPES),
    sep=st.sampled_from(["\n", "\r\n", "\r"]),
    indent=st.sampled_from(["", "  ", "\t"]),
    compress=st.booleans(),
    cut=st.floats(0, 1),
    flip=st.tuples(st.floats(0, 1), st.integers(1, 255)),
)
def test_good_records_are_delivered_or_reported_and_damage_raises_only_ours(
    records: list[Record],
    shape: str,
    sep: str,
    indent: str,
    compress: bool,
    cut: float,
    flip: tuple[float, int],
) -> None:
    """One generated batch: its good records are delivered or reported; the same batch cut
    anywhere, or gzipped and then cut or damaged anywhere, strict or not, gives findings
    or raises an InspectorKitError, nothing else."""
    text, starts = layout(records, shape, sep, indent)
    _only_our_errors_escape_when_damaged(text, cut, flip)
    data = text.encode("utf-8", "surrogateescape")
    found, loaded = load(gzip.compress(data) if compress else data)
    goods = [(r, start) for r, start in zip(records, starts, strict=True) if r.kind == "good"]
    assert loaded is not None  # it starts with a good record: never unreadable as a whole
    missing = unmatched([(expected(r), start) for r, start in goods], found)
    # A good record on its own lines is delivered: unless garbage before it ends where a
    # value goes ('{"findingArn": ') and garbage after closes it: then it is valid JSON
    # (a bad finding holding it, reported with its lines, below).
    opens = any(r.kind == "garbage" and str(r.value).rstrip()[-1:] in ":,[{" for r in records)
    if shape in RESYNC_BY_LINE and not opens:
        assert missing == []
    if shape in ("list", "page", "back_to_back"):  # one line: the first bad one decides
        first_bad = next(i for i, r in enumerate([*records, Record("end")]) if r.kind != "good")
        assert found[: min(first_bad, len(found))] == [expected(r) for r in records[:first_bad]]
        assert not missing or loaded.errors
    else:
        assert all(covered(loaded, line) for line in missing), (missing, loaded.errors)
    # Every bad record is delivered as some finding (a harmless mutation), skipped (a
    # mutation of "detail-type"), or reported.
    others = len(found) - (len(goods) - len(missing)) + len(loaded.skipped)
    bad = sum(r.kind != "good" for r in records)
    assert others + len(loaded.errors) >= min(bad, 1)


@FAST
@given(
    records=batches(["good", "invalid"]),
    shape=st.sampled_from(SHAPES),
    sep=st.sampled_from(["\n", "\r\n", "\r"]),
    indent=st.sampled_from(["", "  "]),
)
def test_records_that_are_json_but_no_finding_cost_one_error_each(
    records: list[Record], shape: str, sep: str, indent: str
) -> None:
    text, starts = layout(records, shape, sep, indent)
    loaded = load_findings(text)
    assert list(loaded) == [expected(r) for r in records if r.kind == "good"]
    bad = [
        (i, start)
        for i, (r, start) in enumerate(zip(records, starts, strict=True))
        if r.kind != "good"
    ]
    assert [(e.index, e.line) for e in loaded.errors] == bad
    ends = [LAST_LINES[i] for i, _ in bad]
    assert [e.end_line or e.line for e in loaded.errors] == ends


@FAST
@given(records=batches(["good", "garbage"], events=False), sep=st.sampled_from(["\n", "\r"]))
def test_garbage_lines_cost_no_good_record(records: list[Record], sep: str) -> None:
    """Whole lines of garbage, balanced or not, between good JSON Lines.

    A good line is delivered, unless garbage around it made it part of valid JSON
    ('{"findingArn": ' / good / '}' is one bad finding over three lines): then the error
    of that record reports its lines.
    """
    records = [r for r in records if r.kind == "good" or (r.value and str(r.value).strip())]
    text = sep.join(r.text(None).replace("\n", " ").replace("\r", " ") for r in records)
    loaded = load_findings(text)
    found = list(loaded)
    wanted = [(expected(r), n + 1) for n, r in enumerate(records) if r.kind == "good"]
    assert all(covered(loaded, line) for line in unmatched(wanted, found))
    assert len(found) == len(wanted) - len(unmatched(wanted, found))
    lines = [n + 1 for n, r in enumerate(records) if r.kind != "good"]
    # Each run of garbage lines is reported by an error in it ('[' then '{oops}' is a list
    # holding a bad element: one error, on the second line; ':[' gives two, for ':' and '[').
    blocks: list[list[int]] = []
    for line in lines:
        if blocks and blocks[-1][-1] == line - 1:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    # Brackets may make valid JSON with the lines around them ('[' / good / ']' is a list
    # holding a good finding; '[' / ']' an empty one): only runs without any must be errors.
    blocks = [
        b for b in blocks if not any(c in str(records[n - 1].value) for n in b for c in "[]{}")
    ]
    spans = [(e.line or 0, e.end_line or e.line or 0) for e in loaded.errors]
    assert all(any(a <= b[-1] and b[0] <= z for a, z in spans) for b in blocks), (blocks, spans)
    if not valid_stream(text):
        assert loaded.errors
    assert {e.line for e in loaded.errors} <= set(lines)


@settings(max_examples=max(EXAMPLES // 10, 10), deadline=None)
@given(
    pairs=st.lists(model_findings(), min_size=1, max_size=3),
    bad=st.integers(0, 3),
    shape=st.sampled_from(["jsonl", "list", "page", "pretty"]),
)
def test_findings_from_the_service_model_survive_their_neighbours(
    pairs: list[tuple[dict[str, Any], dict[str, Any]]], bad: int, shape: str
) -> None:
    """Generated from the botocore model: every member, timestamps in every form."""
    records = [Record("good", json.loads(Finding.from_api(p).to_json())) for p, _ in pairs]
    records.insert(min(bad, len(records)), Record("garbage", '{"findingArn": oops}'))
    records.insert(0, Record("good", minimal_payload()))
    text, _ = layout(records, shape, "\n", "")
    loaded = load_findings(text)
    assert list(loaded) == [expected(r) for r in records if r.kind == "good"]
    assert len(loaded.errors) == 1


@FAST
@given(data=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_only_our_errors_escape_from_any_bytes(data: bytes) -> None:
    for source in (data, gzip.compress(data), b"[" + data, b'{"findings": [' + data):
        for strict in (False, True):
            loaded = load_findings(source, strict=strict)
            with contextlib.suppress(InspectorKitError):
                list(loaded)
            for error in loaded.errors:
                assert isinstance(error.error, InspectorKitError)
