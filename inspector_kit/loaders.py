"""Read findings from files and blobs, whatever shape they were saved in.

[`load_findings`][inspector_kit.loaders.load_findings] accepts a path, a JSON string, bytes or a
file object holding:

* a ListFindings page: ``{"findings": [...], "nextToken": ...}``;
* a findings-report JSON export (``CreateFindingsReport``): ``{"findings": [...]}``;
* a JSON list of findings, or of EventBridge events;
* JSON Lines (one finding or event per line), or any stream of concatenated JSON
  values, such as ``jq '.findings[]'`` prints;
* one EventBridge ``Inspector2 Finding`` event (its ``detail`` is the finding), or
  ``OnDemand AMI Scan Findings`` event (source ``inspector2.ami.ondemand``: a finding of an
  on-demand machine image scan, which reaches you only this way; its ``scanId`` is kept, read
  it with [`on_demand_scan_id`][inspector_kit.models.on_demand_scan_id]);
* one finding;
* Security Hub ASFF: a ``GetFindings`` response ``{"Findings": [...]}``, a list or a saved
  ``{"findings": [...]}`` of ASFF records, or ``Security Hub Findings - Imported`` EventBridge
  events. Amazon Inspector's records are read as findings (what ASFF cannot carry is listed in
  ``inspector_kit.formats.ASFF_NOT_CARRIED``); other products' records are skipped.
* OCSF Vulnerability Finding records (Security Hub's ``GetFindingsV2``, its ``Findings
  Imported V2`` events, Amazon Security Lake), also in the Parquet files Security Lake writes
  (sniffed from the magic bytes ``PAR1``; needs the ``arrow`` extra).

It also accepts those shapes already decoded: a ``dict`` or a ``list`` (a Lambda handler's
``event``). Sources may be gzip-compressed (sniffed from the magic bytes, not the file
name). Other EventBridge events (``Inspector2 Scan``, ``Inspector2 Coverage``) are skipped
and listed in ``LoadedFindings.skipped``. An ``Inspector2 OnDemand Scan Complete`` event is
recognised: it is listed in ``skipped`` (it holds no finding) and read into
``LoadedFindings.scan_completions`` as an
[`OnDemandScanCompletion`][inspector_kit.models.OnDemandScanCompletion].

Streaming: findings are read and parsed one at a time. A ``{"findings": [...]}`` document
or a top-level list is decoded element by element with the standard library's
``json.JSONDecoder.raw_decode`` over a bounded buffer (this module only finds where each
element starts), so a 1 GB export never sits in memory as one string or one list. One
record (a finding or an event) may hold at most ``max_record_size`` characters of JSON
(``MAX_RECORD_SIZE`` by default); a longer one is reported and skipped without being
read into memory.

Errors: a record that is not valid JSON, or not a valid finding, is reported in
``LoadedFindings.errors`` with its index and lines, and loading goes on at the next
record (the loader resynchronises on the JSON structure and on line starts); with
``strict=True`` the first bad record raises. A source that is not readable at all (not
JSON, not UTF-8 from its first byte, gzip data that is damaged, a read that fails, or a
JSON object holding no findings) raises
[`SourceFormatError`][inspector_kit.errors.SourceFormatError].
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import os
import re
import sys
import zlib
from collections.abc import Generator, Iterator, Mapping
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from typing import IO, Any

import attrs

from .errors import (
    FindingParseError,
    InspectorKitError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    SourceFormatError,
    _short_repr,
)
from .formats._foreign import SHAPES, shape_of
from .models import (
    ON_DEMAND_COMPLETE_EVENT,
    ON_DEMAND_FINDINGS_EVENT,
    Finding,
    OnDemandScanCompletion,
)

__all__ = [
    "MAX_RECORD_SIZE",
    "LoadedFindings",
    "RecordIssue",
    "SkippedRecord",
    "load_findings",
]

# Deprecated spellings: name -> (the new name, the object). Read by __getattr__ below.
_DEPRECATED = {"RecordError": "RecordIssue"}

logger = logging.getLogger("inspector_kit.loaders")

Source = (
    str
    | bytes
    | bytearray
    | memoryview
    | os.PathLike[str]
    | IO[bytes]
    | IO[str]
    | Mapping[str, Any]
    | list[Any]
    | tuple[Any, ...]
)

#: The default cap on one record (a finding or an event), in characters of JSON text.
#: Inspector's largest findings are a few hundred kilobytes and an EventBridge event is at
#: most 256 KB, so 16 MiB leaves room while keeping a hostile file from filling memory.
#: Override it per call with ``load_findings(..., max_record_size=...)`` (``None``: no cap).
MAX_RECORD_SIZE = 16 * 1024 * 1024

_CHUNK = 1 << 16
_GZIP_MAGIC = b"\x1f\x8b"
_PARQUET_MAGIC = b"PAR1"  # Security Lake's OCSF files (docs/facts.md#ocsf)
_FINDING_EVENT = "Inspector2 Finding"
# Events whose detail is a finding: continuous scanning's, and on-demand AMI scans' (whose
# detail also has a ``scanId``, kept in ``Finding.extra``; docs/facts.md#ami).
_FINDING_EVENTS = frozenset({_FINDING_EVENT, ON_DEMAND_FINDINGS_EVENT})
_ASFF_EVENT = "Security Hub Findings - Imported"
_PAGE_KEYS = ("findings", "Findings")  # Inspector's pages and reports; Security Hub's GetFindings
_DECODER = json.JSONDecoder()
_WS = " \t\n\r"
_NAME_MAX = 200

_SPAN = 1 << 10  # the least text given to the decoder at once (see _Buffer.value)
_WHOLE = 1 << 20  # a list or object in a stream longer than this is read element by element

_NON_WS = re.compile(r"[^ \t\n\r]")
_NOT_INDENT = re.compile(r"[^ \t]")
# What the resynchronising scanner stops at, in and out of a string (one character class
# each: an alternation is ten times slower). Runs of brackets are then taken in one step,
# so that a megabyte of "[[[[" costs a few regex calls, not a loop.
_IN_STRING = re.compile(r'["\\\n\r]')
_STRUCTURE = re.compile(r'["\n\r\[\]{}]')
_STRUCTURE_COMMA = re.compile(r'["\n\r,\[\]{}]')
_OPENERS = re.compile(r"[\[{]+")
_CLOSERS = re.compile(r"[\]}]+")
# Bytes that are not UTF-8 are decoded with "surrogateescape": each becomes one of these.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


# _BadJSON and _TooLarge are private control flow inside the reader (raised and caught
# within this module, never seen by a caller: each becomes a SourceFormatError on a
# RecordIssue), so they stay here and do not derive from InspectorKitError.
class _BadJSON(Exception):
    """Internal: malformed JSON at window position ``pos`` (cheaper than JSONDecodeError)."""

    def __init__(self, msg: str, pos: int) -> None:
        super().__init__(msg)
        self.msg = msg
        self.pos = pos


class _TooLarge(Exception):
    """Internal: the value at the reader's position is longer than the record size cap."""


class _HugeInt:
    """An integer literal longer than Python's ``int(str)`` digit limit, kept as text."""

    __slots__ = ("digits",)

    def __init__(self, digits: str) -> None:
        self.digits = digits

    def __repr__(self) -> str:
        return f"<integer of {len(self.digits.lstrip('-'))} digits: {self.digits[:12]}...>"


def _int_limit() -> str:
    # sys.get_int_max_str_digits() is Python 3.11+ (and 3.10.7+); int() has no limit before.
    get = getattr(sys, "get_int_max_str_digits", None)
    return f"{get()} digits" if callable(get) else "digits"


def _parse_int(text: str) -> int | _HugeInt:
    try:
        return int(text)
    except ValueError:  # over sys.get_int_max_str_digits(): reported per record
        return _HugeInt(text)


_LENIENT_DECODER = json.JSONDecoder(parse_int=_parse_int)


@attrs.frozen
class RecordIssue:
    r"""A record that could not be loaded; the rest of the batch went on.

    A value, not an exception; its old name ``RecordError`` is a deprecated alias.

    Attributes:
        index: 0-based position of the record in the source (findings, events or lines,
            counting the bad ones too; a stretch of unreadable text counts as one).
        line: 1-based line where the record starts, when known.
        error: What was wrong: a [`FindingParseError`][inspector_kit.errors.FindingParseError] (bad
            finding, with its field path) or a
            [`SourceFormatError`][inspector_kit.errors.SourceFormatError] (bad JSON, not UTF-8, or a
            record over the size cap).
        end_line: The record's last line when it ran over more than one (a
            pretty-printed finding, or text the loader skipped to find the next record:
            anything that started in those lines was lost with this one); else ``None``.

    Examples:
        >>> loaded = load_findings('{"findingArn": "x"}\n{oops}\n')
        >>> list(loaded), [(e.index, e.line) for e in loaded.errors]
        ([], [(0, 1), (1, 2)])
        >>> loaded = load_findings('{"findingArn": "x",\n  "severity": oops\n}')
        >>> _ = list(loaded); print(loaded.errors[0])
        record 0 (lines 1-3): not valid JSON: Expecting value
    """

    index: int
    line: int | None
    error: InspectorKitError
    end_line: int | None = None

    def __str__(self) -> str:
        if self.line and self.end_line and self.end_line > self.line:
            where = f"record {self.index} (lines {self.line}-{self.end_line})"
        else:
            where = f"record {self.index}" + (f" (line {self.line})" if self.line else "")
        # A SourceFormatError names the source and line itself; say them once.
        what = self.error.message if isinstance(self.error, SourceFormatError) else self.error
        return f"{where}: {what}"


@attrs.frozen
class SkippedRecord:
    """A record that is valid but holds no finding (e.g. an ``Inspector2 Scan`` event).

    Attributes:
        index: 0-based position of the record in the source.
        line: 1-based line where the record starts, when known.
        reason: Why it was skipped.

    Examples:
        >>> loaded = load_findings('{"detail-type": "Inspector2 Scan", "detail": {}}')
        >>> list(loaded), loaded.skipped[0].reason
        ([], "EventBridge event 'Inspector2 Scan' holds no finding")
    """

    index: int
    line: int | None
    reason: str


def _all_json_whitespace(text: str) -> bool:
    """Whether ``text`` is only JSON whitespace; ~1 ns a character, where a regex takes 5."""
    return (
        text.isascii()
        and text.isspace()
        and not any(c in text for c in "\x0b\x0c\x1c\x1d\x1e\x1f")  # isspace() says yes
    )


def _indent(buf: str, start: int) -> int:
    """How many spaces and tabs follow ``start`` in ``buf``."""
    m = _NOT_INDENT.search(buf, start)
    return (m.start() if m else len(buf)) - start


def _last_break(buf: str, end: int, breaks: str = "\r\n") -> int:
    """Position of the last line break (CR or LF) before ``end``, or -1.

    ``breaks`` names the characters the text has used so far, so that an LF-only text is
    not searched back to its start for a CR (and a CR-only one for an LF) on every call.
    """
    lf = buf.rfind("\n", 0, end) if "\n" in breaks else -1
    if "\r" not in breaks:
        return lf
    return max(lf, buf.rfind("\r", lf + 1, end))


class _Buffer:
    """A sliding window over a text stream, decoding one JSON value at a time.

    Line breaks are LF, CRLF or a lone CR. ``limit`` caps one value (see
    ``MAX_RECORD_SIZE``); ``check_bytes`` is set when the text was decoded from bytes
    with ``surrogateescape``, so that bytes which are not UTF-8 can be found per record.
    """

    def __init__(self, stream: IO[str], name: str, *, limit: int | None, check_bytes: bool) -> None:
        self.stream = stream
        self.name = name
        self.limit = limit
        self.check_bytes = check_bytes
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.tail = ""  # the last character read
        self.breaks = ""  # the line break characters ("\r", "\n") read so far
        self.chunk = _CHUNK
        self._span = _SPAN
        #: Absolute position (in characters from the start of the stream) of buf[0].
        self.offset = 0
        # Start of a document being read, kept in the window so that a bad document can be
        # skipped from its start. None while the window may slide freely.
        self.mark: int | None = None
        #: Set for good once a value held an integer too long for int(): records are then
        #: searched for it. Likewise for bytes that are not UTF-8.
        self.huge_numbers = False
        self.bad_bytes = False
        # Line numbers: line of buf[0], and line breaks counted so far (O(text) in all).
        self.line_base = 1
        self._base_after_cr = False
        self._counted_pos = 0
        self._counted_line = 1
        self._after_cr = False  # the last counted character was a CR (a CRLF may be split)
        # Indentation of the line holding buf[0]; None while buf[0] starts a line.
        self._base_indent: int | None = None
        #: Indentation of the last good top-level value that started a line: a line start
        #: this indented is a place to resume, whatever the bad record's own line is like.
        self.record_indent = 0

    def line_at(self, pos: int) -> int:
        """The 1-based line number of window position ``pos``."""
        if pos < self._counted_pos:  # rare: back to a document's start
            self._counted_pos, self._counted_line = 0, self.line_base
            self._after_cr = self._base_after_cr
        start = self._counted_pos
        if pos > start:
            buf = self.buf
            if "\r" not in self.breaks:  # no CR read so far: one pass, for LF only
                self._counted_line += buf.count("\n", start, pos)
                self._counted_pos = pos
                return self._counted_line
            breaks = buf.count("\n", start, pos) + buf.count("\r", start, pos)
            breaks -= buf.count("\r\n", start, pos)
            if self._after_cr and buf[start] == "\n":
                breaks -= 1
            self._counted_line += breaks
            self._after_cr = buf[pos - 1] == "\r"
            self._counted_pos = pos
        return self._counted_line

    def start_indent(self) -> int | None:
        """The indentation of the value at the position if it starts a line, else None.

        O(indentation): only the characters just before the position are looked at.
        """
        buf, pos = self.buf, self.pos
        start = pos
        while start and buf[start - 1] in " \t":
            start -= 1
        if (start and buf[start - 1] in "\r\n") or (not start and self._base_indent is None):
            return pos - start
        return None

    def end_line(self, how: str) -> int:
        """The last line a skip that stopped as ``how`` (see ``skip``) went through."""
        line = self.line_at(self.pos)
        if how in ("line", "item") or (how == "eof" and self.tail in ("\n", "\r")):
            line -= 1
        return line

    def indent_at(self, pos: int) -> int:
        """The indentation (spaces and tabs) of the line holding window position ``pos``."""
        brk = _last_break(self.buf, pos, self.breaks)
        if brk >= 0:
            return _indent(self.buf, brk + 1)
        return _indent(self.buf, 0) if self._base_indent is None else self._base_indent

    def fill(self, size: int | None = None) -> bool:
        """Read more text; drop what was consumed. False at end of stream.

        While a long stretch is kept (a document's start), reads grow with it, so that
        refilling costs O(n) in all rather than a copy of the kept window per chunk.
        """
        if self.eof:
            return False
        if self.mark is not None and self.limit is not None and self.pos - self.mark > self.limit:
            self.mark = None  # a document too long to be one record: stop keeping its start
        keep = self.pos if self.mark is None else min(self.pos, self.mark)
        kept = len(self.buf) - keep
        if self.limit is not None:
            kept = min(kept, self.limit)
        try:
            chunk = self.stream.read(max(size or self.chunk, kept))
        except UnicodeDecodeError as exc:
            raise SourceFormatError(
                f"not UTF-8 text: {exc.reason}", source=self.name, line=self.line_at(self.pos)
            ) from exc
        except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
            raise SourceFormatError(
                f"cannot read: {exc}", source=self.name, line=self.line_at(self.pos)
            ) from exc
        except InspectorKitError:
            raise  # e.g. a FetchError from an S3 body stream
        except Exception as exc:  # "I/O operation on closed file", a driver's own error...
            raise SourceFormatError(
                f"cannot read: {type(exc).__name__}: {exc}", source=self.name
            ) from exc
        if keep:
            self._slide(keep)
        if not chunk:
            self.eof = True
            return False
        if (
            self.check_bytes
            and not self.bad_bytes
            and not chunk.isascii()  # O(1): most chunks stop here
            and _ESCAPED_BYTE.search(chunk)
        ):
            self.bad_bytes = True
        self.buf += chunk
        self.tail = chunk[-1]
        if len(self.breaks) < 2:
            self.breaks = "".join(c for c in "\r\n" if c in self.breaks or c in chunk)
        return True

    def _slide(self, keep: int) -> None:
        """Drop ``buf[:keep]``, keeping line numbers and indentation right."""
        buf = self.buf
        self.line_base = self.line_at(keep)
        self._base_after_cr = self._after_cr
        brk = _last_break(buf, keep, self.breaks)
        if brk == keep - 1:
            self._base_indent = None
        elif brk >= 0:
            self._base_indent = _indent(buf, brk + 1)
        elif self._base_indent is None:
            self._base_indent = _indent(buf, 0)
        self.buf = buf[keep:]
        self.offset += keep
        self.pos -= keep
        self._counted_pos = 0
        if self.mark is not None:
            self.mark -= keep

    def peek(self) -> str | None:
        """The next non-whitespace character (not consumed), or None at the end."""
        while True:
            buf, pos = self.buf, self.pos
            if pos < len(buf) and buf[pos] not in _WS:
                return buf[pos]
            if not pos and _all_json_whitespace(buf):  # a window of blanks: skip it whole
                self.pos = len(buf)
                if not self.fill():
                    return None
                continue
            m = _NON_WS.search(buf, pos)
            if m is not None:
                self.pos = m.start()
                return self.buf[self.pos]
            self.pos = len(self.buf)
            if not self.fill():
                return None

    def take(self, char: str) -> None:
        if self.peek() != char:  # pragma: no cover - callers peek first
            raise AssertionError(char)
        self.pos += 1

    @staticmethod
    def _decode(piece: str) -> tuple[Any, int, bool]:
        """``raw_decode(piece)``, and whether it held an integer too long for ``int()``."""
        try:
            value, end = _DECODER.raw_decode(piece)
            return value, end, False
        except RecursionError:
            raise _BadJSON("nested too deeply", 0) from None
        except json.JSONDecodeError:
            raise
        except ValueError:  # an integer over Python's digit limit: decode it as text
            try:
                value, end = _LENIENT_DECODER.raw_decode(piece)
                return value, end, True
            except RecursionError:
                raise _BadJSON("nested too deeply", 0) from None

    def value(self, limit: int | None = -1) -> tuple[Any, int]:
        """Decode the next JSON value; returns it and the line it started on.

        Raises _BadJSON (with the position) for malformed input, and _TooLarge, with the
        position still at the value's start, for a value longer than ``limit`` characters
        (the record cap unless given), before reading much more.

        The decoder is given a copy of the text from the value's start, a little longer
        than the last value: the standard library's error counts the lines of all the text
        before the error, which over the whole window made a run of small bad records
        cost O(window) each.
        """
        if limit == -1:
            limit = self.limit
        if self.peek() is None:
            raise _BadJSON("unexpected end of input", self.pos)
        size = self.chunk
        span = self._span
        while True:
            pos, buf = self.pos, self.buf
            stop = min(len(buf), pos + span)
            piece = buf if not pos and stop == len(buf) else buf[pos:stop]
            try:
                value, end, huge = self._decode(piece)
            except json.JSONDecodeError as exc:
                # Maybe the value is cut by the piece or the window: take more (growing
                # geometrically, so a huge value costs O(n), not O(n^2)) and try again. A
                # bad character well inside is a real error: reading on would pull the
                # rest of a large file into memory for nothing.
                if exc.pos >= len(piece) - 6 or exc.msg.startswith("Unterminated string"):
                    if stop < len(buf):
                        span *= 2
                        continue
                    if self._grow(size, limit):
                        size *= 2
                        span = max(span * 2, len(self.buf) - self.pos)
                        continue
                at = self.pos + exc.pos  # self.pos: a fill may have slid the window
                if exc.pos < len(piece) and _ESCAPED_BYTE.match(piece[exc.pos]):
                    raise _BadJSON(_not_utf8(piece[exc.pos]), at) from None
                raise _BadJSON(exc.msg, at) from None
            except _BadJSON as exc:
                raise _BadJSON(exc.msg, self.pos) from None
            if end == len(piece) and piece[-1] not in '"]}':  # a number or literal may go on
                if stop < len(buf):
                    span *= 2
                    continue
                if not self.eof and self._grow(size, limit):
                    size *= 2
                    span = max(span * 2, len(self.buf) - self.pos)
                    continue
            if limit is not None and end > limit:
                raise _TooLarge  # it fitted in the window read so far, but is over the cap
            self.huge_numbers = self.huge_numbers or huge
            self._span = max(_SPAN, 2 * end)
            line = self.line_at(self.pos)  # not pos: a fill may have slid the window
            self.pos += end
            return value, line

    def _grow(self, size: int, limit: int | None) -> bool:
        have = len(self.buf) - self.pos
        if limit is not None:
            if have > limit:
                raise _TooLarge
            size = min(size, limit + 1 - have)
        return self.fill(size)

    def skip(self, *, closer: str | None, outer: int, item: int | None = None) -> str:
        """Move past a bad (or oversized) value that starts at the position; say how it ended.

        Tracks strings and brackets, so that a bad value with balanced brackets is
        skipped exactly, whatever its line breaks; and since a JSON string never holds a
        raw line break, each line start is a place to resume: a line starting with ``{``
        or ``[`` no more indented than ``outer`` starts a new top-level value, one no more
        indented than ``item`` a new element of the list being read. Streams: memory stays
        flat however long the skipped text is.

        Args:
            closer: ``None`` in a stream of values; ``"]"`` or ``"}"`` for an element of
                a list or a member of an object, which ends at a ``,`` or at the closer.
            outer: Indentation at or below which a line start begins a new top-level value.
            item: Indentation at or below which a line start begins a new element.

        Returns:
            ``"end"`` (the value's brackets closed; position after it), ``"start"`` (a new
            value starts at the position), ``"line"`` (a new top-level value starts at a
            line start), ``"item"`` (a new element starts at a line start), ``"sep"``
            (after the ``,``), ``"close"`` (after the closer) or ``"eof"``.
        """
        origin = self.offset + self.pos
        outer = max(outer, self.record_indent)
        depth = 0
        in_str = escaped = line_start = False
        indent = 0
        while True:
            buf, p = self.buf, self.pos
            if p >= len(buf):
                if not self.fill():
                    return "eof"
                continue
            if escaped:
                escaped = False
                if buf[p] not in "\n\r":
                    self.pos = p + 1
                continue
            if line_start:
                m = _NOT_INDENT.search(buf, p)
                if m is None:
                    indent += len(buf) - p
                    self.pos = len(buf)
                    continue
                indent += m.start() - p
                p = self.pos = m.start()
                line_start = False
                if buf[p] in "{[":
                    if indent <= outer:
                        return "line"
                    if item is not None and indent <= item:
                        return "item"
            if in_str:
                pattern = _IN_STRING
            else:
                pattern = _STRUCTURE_COMMA if closer and not depth else _STRUCTURE
            m = pattern.search(buf, p)
            if m is None:
                self.pos = len(buf)
                continue
            p = m.start()
            c = buf[p]
            if c in "[{":
                m = _OPENERS.match(buf, p)
            elif c in "]}":
                m = _CLOSERS.match(buf, p)
            assert m is not None
            c = m.group()
            self.pos = m.end()
            if c in ("\n", "\r"):
                in_str, line_start, indent = False, True, 0
            elif in_str:
                if c == '"':
                    in_str = False
                elif p + 1 < len(buf):  # a backslash: skip what it escapes
                    if buf[p + 1] not in "\n\r":
                        self.pos = p + 2
                else:
                    escaped = True
            elif c == '"':
                in_str = True
            elif c == ",":
                return "sep"  # only searched for at depth 0 in a list or an object
            elif c[0] in "{[":
                if not depth and closer is None and self.offset + p > origin:
                    self.pos = p
                    return "start"
                depth += len(c)
            else:  # a run of closing brackets
                taken = min(depth, len(c))
                depth -= taken
                if taken and not depth and closer is None:
                    self.pos = p + taken
                    return "end"
                if closer is not None and not depth:
                    at = buf.find(closer, p + taken, m.end())
                    if at >= 0:
                        self.pos = at + 1
                        return "close"
                # closers that close nothing here are junk: go on


def _min(limit: int | None, other: int) -> int:
    return other if limit is None else min(limit, other)


def _not_utf8(char: str) -> str:
    return f"not UTF-8 text (byte 0x{ord(char) - 0xDC00:02x})"


def _json_message(msg: str) -> str:
    return msg if msg.startswith("not UTF-8") else f"not valid JSON: {msg}"


def _is_event(obj: Mapping[str, Any]) -> bool:
    return "detail-type" in obj and "detail" in obj


def _items(value: Any) -> list[Any] | tuple[Any, ...] | None:
    """The records a list or a page holds, or None for a single record."""
    if (
        type(value) is dict
        and "findingArn" in value
        and "findings" not in value
        and "Findings" not in value
    ):
        return None  # the common case, first: one Inspector finding
    if isinstance(value, (list, tuple)):
        return value
    if isinstance(value, Mapping):
        if value.get("detail-type") == _ASFF_EVENT and isinstance(value.get("detail"), Mapping):
            value = value["detail"]  # its "findings" are ASFF records
        for key in _PAGE_KEYS:
            findings = value.get(key)
            if isinstance(findings, (list, tuple)):
                return findings
        if "findingArn" in value or value.get("source") == "aws.inspector2":
            return None  # Inspector's own finding or event: no shape's wrapper, none loaded
        for shape in SHAPES:  # documents that wrap records their own way
            held = shape.items(value)
            if held is not None:
                return held
    return None


def _is_record(obj: Mapping[str, Any]) -> bool:
    """An event, an Inspector finding or a record of a foreign shape (ASFF...)."""
    return _is_event(obj) or "findingArn" in obj or shape_of(obj) is not None


def _flaw(record: Any, *, numbers: bool, text: bool) -> tuple[str, Any, bool] | None:
    """The first integer too long for int(), or string with bytes that are not UTF-8.

    Returns ``(path, value, is_number)``; iterative, so any depth is fine.
    """
    stack: list[tuple[Any, str]] = [(record, "")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            children: list[tuple[Any, str]] = []
            for key, item in value.items():
                sub = f"{path}.{key}" if path else str(key)
                if text and isinstance(key, str) and _ESCAPED_BYTE.search(key):
                    return sub, key, False
                children.append((item, sub))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{i}]") for i, item in reversed(list(enumerate(value))))
        elif numbers and isinstance(value, _HugeInt):
            return path, value, True
        elif text and isinstance(value, str) and _ESCAPED_BYTE.search(value):
            return path, value, False
    return None


class LoadedFindings:
    """A lazy, streaming iterable of ``Finding`` from ``load_findings``.

    Iterate it once (it reads its source as it goes). Bad records do not stop it: after
    (or during) iteration, ``errors`` lists them and ``skipped`` lists valid
    records that hold no finding. Reaching the end with errors logs one warning, so a
    failure is never silent;
    [`raise_for_errors`][inspector_kit.loaders.LoadedFindings.raise_for_errors] turns them into an
    exception.

    Examples:
        >>> from inspector_kit import load_findings
        >>> loaded = load_findings(b'[{"findingArn": 1}]')
        >>> list(loaded)
        []
        >>> print(loaded.errors[0])
        record 0 (line 1): findingArn: expected a string, got int (value: 1)
    """

    def __init__(
        self,
        source: Source,
        *,
        strict: bool = False,
        max_record_size: int | None = MAX_RECORD_SIZE,
    ) -> None:
        if not _is_source(source):
            raise InvalidArgumentTypeError(
                "load_findings() takes a path, JSON text, bytes, a file object, or a dict or "
                f"list of findings or events; got {type(source).__name__}"
            )
        if max_record_size is not None and (
            not isinstance(max_record_size, int)
            or isinstance(max_record_size, bool)
            or max_record_size < 1
        ):
            raise InvalidArgumentError(
                f"max_record_size must be a positive int or None, got {max_record_size!r}"
            )
        self._source = source
        self.strict = strict
        #: The cap on one record, in characters of JSON text (``None``: no cap).
        self.max_record_size = max_record_size
        #: Records that could not be loaded, in source order.
        self.errors: list[RecordIssue] = []
        #: Valid records holding no finding (other EventBridge events), in source order.
        self.skipped: list[SkippedRecord] = []
        #: The ``Inspector2 OnDemand Scan Complete`` events read, in source order (each is
        #: also in ``skipped``).
        self.scan_completions: list[OnDemandScanCompletion] = []
        #: How many findings were yielded so far.
        self.count = 0
        #: How many of them each shape held, by the shape's name ("Inspector finding",
        #: "EventBridge event", or a foreign shape's ``name``, e.g. "Security Hub ASFF").
        self.shapes: dict[str, int] = {}
        self._index = 0
        self._started = False
        self._name = _describe(source)
        self._reader: _Buffer | None = None

    @property
    def name(self) -> str:
        r"""A description of the source: its path (escaped), ``<bytes>``, ``<string>``...

        ``<file>`` for a file object without a name, ``<dict>`` or ``<list>`` for decoded
        JSON; control characters in a path are escaped (``\x1b``).
        """
        return self._name

    def __iter__(self) -> Iterator[Finding]:
        if self._started:
            raise InspectorKitError(
                f"{self._name}: a LoadedFindings can be iterated only once "
                "(call load_findings() again, or keep the list)"
            )
        self._started = True
        source = self._source
        if isinstance(source, (Mapping, list, tuple)):
            yield from self._objects(source)
        else:
            with _open_text(source, self._name) as (stream, from_bytes):
                if isinstance(stream, _Parquet):
                    yield from self._parquet(stream)
                else:
                    self._reader = _Buffer(
                        stream, self._name, limit=self.max_record_size, check_bytes=from_bytes
                    )
                    yield from self._findings(self._reader)
        if self.errors:
            logger.warning(
                "%s: %d record(s) could not be loaded; first: %s",
                self._name,
                len(self.errors),
                self.errors[0],
            )

    def raise_for_errors(self) -> None:
        """Raise the first record error, if any (all of them stay in ``errors``).

        Examples:
            >>> from inspector_kit import load_findings
            >>> loaded = load_findings(b"[]")
            >>> _ = list(loaded); loaded.raise_for_errors()  # nothing to raise
        """
        if self.errors:
            raise self.errors[0].error

    def __repr__(self) -> str:
        return (
            f"<LoadedFindings {self._name}: {self.count} finding(s), "
            f"{len(self.errors)} error(s), {len(self.skipped)} skipped>"
        )

    def _repr_html_(self) -> str:
        # Status only: rendering the findings would consume this single-pass stream (and
        # break the caller's next ``list(loaded)``). Keep ``list(loaded)`` to see them.
        state = "read so far" if self._started else "not read yet (iterate it to load)"
        caption = (
            f"{self._name}: {self.count} finding(s) {state}, {len(self.errors)} error(s), "
            f"{len(self.skipped)} skipped"
        )
        rows = [{"record": e.index, "line": e.line, "error": str(e.error)} for e in self.errors]
        rows += [{"record": s.index, "line": s.line, "error": s.reason} for s in self.skipped]
        from ._html import html_table  # the notebook view only: not at import

        return html_table(rows, columns=["record", "line", "error"], caption=caption)

    # ------------------------------------------------------------------ internals

    def _objects(
        self, source: Mapping[str, Any] | list[Any] | tuple[Any, ...]
    ) -> Iterator[Finding]:
        """Records already decoded (a Lambda handler's event): a page, list, event or finding."""
        if isinstance(source, Mapping) and _items(source) is None and not _is_record(source):
            raise SourceFormatError(
                _not_findings(type(source).__name__, list(source)), source=self._name
            )
        yield from self._records(source, None)

    def _parquet(self, parquet: _Parquet) -> Iterator[Finding]:
        """A Parquet file's rows (Security Lake's OCSF records), a row group at a time."""
        from .formats._ocsf import iter_parquet_records

        for row in iter_parquet_records(parquet.seekable(), self._name):
            if isinstance(row, InspectorKitError):  # an unreadable row group
                self._bad(self._next_index(), None, row)
            else:
                yield from self._records(row, None)

    def _findings(self, reader: _Buffer) -> Iterator[Finding]:
        first = reader.peek()
        if first is None:
            return  # an empty source holds no findings
        if reader.check_bytes and _ESCAPED_BYTE.match(first):
            raise SourceFormatError(
                f"{_not_utf8(first)}: is it UTF-16, or binary?",
                source=self._name,
                line=reader.line_at(reader.pos),
            )
        indent = reader.start_indent()
        if first == "[":
            yield from self._array(reader)
        elif first == "{":
            yield from self._document(reader, first=True)
        else:
            raise SourceFormatError(
                f"not JSON: starts with {first!r}",
                source=self._name,
                line=reader.line_at(reader.pos),
            )
        # Whatever follows the first value is a stream of values: JSON Lines, or JSON
        # documents one after another (as jq prints them).
        if indent is not None and not self.errors:
            reader.record_indent = indent  # where good top-level values start, as a rule
        while (char := reader.peek()) is not None:
            indent = reader.start_indent()
            line = reader.line_at(reader.pos)
            try:
                # Decoded whole when small (fast); a large list or object is read element
                # by element below, so that the window stays small whatever the cap.
                limit = reader.limit if char not in "[{" else _min(reader.limit, _WHOLE)
                record, line = reader.value(limit)
            except (_BadJSON, _TooLarge) as exc:
                # Read a list or an object element by element instead: a page over the
                # cap is fine (its findings are the records), and a syntax error inside
                # it loses one element, not the page.
                if char == "[":
                    yield from self._array(reader)
                elif char == "{":
                    known = None if isinstance(exc, _TooLarge) else _json_message(exc.msg)
                    yield from self._document(reader, first=False, known=known)
                else:
                    self._skip_bad(reader, line, self._problem(exc), closer=None)
                continue
            if indent is not None:
                reader.record_indent = indent
            yield from self._records(record, line, reader.line_at(reader.pos))

    def _problem(self, exc: Exception) -> str:
        if isinstance(exc, _BadJSON):
            return _json_message(exc.msg)
        return (
            f"the record is larger than max_record_size ({self.max_record_size} characters); "
            "it was skipped unread (pass a larger max_record_size to load it)"
        )

    def _skip_bad(
        self,
        reader: _Buffer,
        line: int,
        message: str,
        *,
        closer: str | None,
        outer: int | None = None,
        item: int | None = None,
    ) -> str:
        """Report the bad value at the position as one record, and skip it."""
        index = self._next_index()
        if self.strict:
            raise SourceFormatError(message, source=self._name, line=line)
        here = reader.indent_at(reader.pos)
        how = reader.skip(closer=closer, outer=here if outer is None else outer, item=item)
        end = reader.end_line(how)
        error = SourceFormatError(message, source=self._name, line=line)
        self.errors.append(RecordIssue(index, line, error, end if end > line else None))
        return how

    def _next_index(self) -> int:
        index = self._index
        self._index += 1
        return index

    def _document(
        self, reader: _Buffer, *, first: bool, known: str | None = None
    ) -> Iterator[Finding]:
        """Read one top-level object member by member, streaming its ``findings`` list.

        An object that is not a page is one record: its members are kept (up to the
        cap) to make the finding or event. After a problem, the members are read on for
        a ``findings`` list; a bad object that is no page is then skipped from its start.
        """
        line = reader.line_at(reader.pos)
        outer = reader.indent_at(reader.pos)
        start = reader.offset + reader.pos
        reader.mark = reader.pos
        reader.take("{")
        fields: dict[str, Any] | None = {}
        keys: list[str] = []
        streamed = False
        problem: tuple[str, int] | None = None  # message, line
        limit = self.max_record_size
        how = "close"
        if reader.peek() == "}":
            reader.take("}")
        else:
            while True:
                reader.peek()
                at = reader.line_at(reader.pos)
                try:
                    if reader.peek() != '"':
                        raise _BadJSON(
                            "Expecting property name enclosed in double quotes", reader.pos
                        )
                    key, _ = reader.value()
                    if not isinstance(key, str) or reader.peek() != ":":
                        raise _BadJSON("expected a key and ':'", reader.pos)
                    reader.take(":")
                    if len(keys) < 8:
                        keys.append(key)
                    if key in _PAGE_KEYS and reader.peek() == "[" and not streamed:
                        streamed = True
                        reader.mark = None  # a page or report: let the window slide
                        how = yield from self._array(reader)
                        if how != "close":
                            break  # the list ran to the end, or into the next document
                    else:
                        value, _ = reader.value()
                        if fields is not None:
                            fields[key] = value
                    how = self._after(reader, "}")
                except (_BadJSON, _TooLarge) as exc:
                    if problem is None:
                        # The whole-document decode that failed saw the first error.
                        if streamed:  # it may have been in the list, reported there
                            known = None
                        problem = known or self._problem(exc), at
                        if self.strict and not streamed:
                            raise SourceFormatError(
                                problem[0], source=self._name, line=at
                            ) from None
                    fields = None
                    how = reader.skip(closer="}", outer=outer)
                too_big = limit is not None and reader.offset + reader.pos - start > limit
                if reader.mark is not None and too_big:
                    reader.mark = None  # too big to be one record: stop keeping it
                    fields = None
                if how != "sep":
                    break
        if streamed:
            if problem is not None:  # a broken member of a page, after or before its list
                index = self._next_index()
                error = SourceFormatError(problem[0], source=self._name, line=problem[1])
                end = reader.end_line(how)
                self._bad(index, problem[1], error, end if end > problem[1] else None)
            return
        if problem is not None or fields is None:
            message = problem[0] if problem else self._problem(_TooLarge())
            if reader.mark is not None:  # skip the document from its start instead
                reader.pos, reader.mark = reader.mark, None
                self._skip_bad(reader, line, message, closer=None, outer=outer)
            else:
                index = self._next_index()
                error = SourceFormatError(message, source=self._name, line=line)
                end = reader.end_line(how)
                self._bad(index, line, error, end if end > line else None)
            return
        reader.mark = None
        if first and not _is_record(fields):
            raise SourceFormatError(
                _not_findings("JSON object", keys), source=self._name, line=line
            )
        yield from self._records(fields, line, reader.line_at(reader.pos))

    def _after(self, reader: _Buffer, closer: str) -> str:
        """After an element or member: ``"sep"`` at ``,``, ``"close"`` at the closer."""
        char = reader.peek()
        if char == ",":
            reader.pos += 1
            return "sep"
        if char == closer:
            reader.pos += 1
            return "close"
        if char is None:
            msg = f"the source ends before the closing {closer!r}"
        else:
            msg = f"expected ',' or {closer!r}"
        raise _BadJSON(msg, reader.pos)

    def _array(self, reader: _Buffer) -> Generator[Finding, None, str]:
        """Stream the elements of a JSON list of findings or events.

        A bad element is reported and skipped up to the next ``,`` (or line that starts
        an element); returns how the list ended: ``"close"``, ``"line"`` (a new top-level
        value starts, the list was cut) or ``"eof"``.
        """
        outer = reader.indent_at(reader.pos)
        opened = reader.line_at(reader.pos)
        reader.take("[")
        if reader.peek() == "]":
            reader.take("]")
            return "close"
        while True:
            reader.peek()
            line = reader.line_at(reader.pos)
            try:
                record, line = reader.value()
            except (_BadJSON, _TooLarge) as exc:
                item = reader.indent_at(reader.pos)
                how = self._skip_bad(
                    reader, line, self._problem(exc), closer="]", outer=outer, item=item
                )
            else:
                yield from self._records(record, line, reader.line_at(reader.pos))
                try:
                    how = self._after(reader, "]")
                except _BadJSON as exc:
                    line = reader.line_at(reader.pos)
                    if reader.peek() is None:  # the list is cut: say where it started
                        message = _json_message(exc.msg)
                        error = SourceFormatError(message, source=self._name, line=opened)
                        self._bad(
                            self._next_index(), opened, error, line if line > opened else None
                        )
                        return "eof"
                    message = _json_message(exc.msg)
                    indent = reader.start_indent()
                    if indent is not None and indent <= max(outer, reader.record_indent):
                        # A line as little indented as the list: a new top-level value
                        # starts, the list was cut. One error for the list; read on.
                        message += "; the list is not closed"
                        error = SourceFormatError(message, source=self._name, line=opened)
                        self._bad(self._next_index(), opened, error, line - 1)
                        return "line"
                    if reader.peek() in ("{", "["):  # a missing comma: report it, read on
                        error = SourceFormatError(message, source=self._name, line=line)
                        self._bad(self._next_index(), line, error)
                        continue
                    item = reader.indent_at(reader.pos)
                    how = self._skip_bad(reader, line, message, closer="]", outer=outer, item=item)
            if how in ("sep", "item"):
                continue
            return "eof" if how == "eof" else "line" if how in ("line", "start") else "close"

    def _records(self, record: Any, line: int | None, end: int | None = None) -> Iterator[Finding]:
        """One decoded value: a page or list (each element a record), an event or a finding.

        ``line`` and ``end`` are the value's first and last lines. Nested lists and pages
        are flattened without recursion; a list that contains itself (only possible for
        Python objects) is an error, not a hang.
        """
        if line is not None and end is not None and end <= line:
            end = None
        items = _items(record)
        if items is None:
            yield from self._record(record, line, end)
            return
        stack: list[tuple[Iterator[Any], int]] = [(iter(items), id(items))]
        while stack:
            item = next(stack[-1][0], _END)
            if item is _END:
                stack.pop()
                continue
            inner = _items(item)
            if inner is None:
                yield from self._record(item, line, end)
            elif any(id(inner) == seen for _, seen in stack):
                error = FindingParseError("a list that contains itself", item)
                self._bad(self._next_index(), line, error, end)
            else:
                stack.append((iter(inner), id(inner)))

    def _record(self, record: Any, line: int | None, end: int | None) -> Iterator[Finding]:
        index = self._next_index()
        reader = self._reader
        if reader is not None and (reader.huge_numbers or reader.bad_bytes):
            flaw = _flaw(record, numbers=reader.huge_numbers, text=reader.bad_bytes)
            if flaw is not None:
                path, value, is_number = flaw
                path = _printable(path)  # a key may hold the undecodable bytes
                error: InspectorKitError
                if is_number:
                    digits = len(value.digits.lstrip("-"))
                    reason = f"an integer of {digits} digits, over Python's limit of {_int_limit()}"
                    error = FindingParseError(reason, value, path)
                else:
                    char = _ESCAPED_BYTE.search(value)
                    assert char is not None
                    error = SourceFormatError(
                        f"{_not_utf8(char.group())} in {path or '<root>'}",
                        source=self._name,
                        line=line,
                    )
                self._bad(index, line, error, end)
                return
        payload = record
        shape_name = "Inspector finding"  # counted in .shapes
        if type(record) is dict and "findingArn" in record and "inspectorScore" in record:
            # Inspector's own finding: not an event, and no foreign shape has both (ECR's
            # enhanced findings carry an ARN but "score", never "inspectorScore").
            pass
        elif isinstance(record, Mapping) and _is_event(record):
            shape_name = "EventBridge event"
            kind = record.get("detail-type")
            if kind == ON_DEMAND_COMPLETE_EVENT:
                self._completion(record, index, line, end)
                return
            if kind not in _FINDING_EVENTS:
                reason = f"EventBridge event {_short_repr(kind)} holds no finding"
                self.skipped.append(SkippedRecord(index, line, reason))
                return
            payload = record["detail"]
        elif (shape := shape_of(record)) is not None:
            shape_name = shape.name
            try:
                converted = shape.to_api(record)
            except FindingParseError as exc:
                self._bad(index, line, exc, end)
                return
            if isinstance(converted, str):  # another product's finding
                self.skipped.append(SkippedRecord(index, line, converted))
                return
            payload = converted
        try:
            finding = Finding.from_api(payload)
        except FindingParseError as exc:
            if payload is not record and _is_event(record):
                exc._prepend("detail")
            self._bad(index, line, exc, end)
            return
        self.count += 1
        self.shapes[shape_name] = self.shapes.get(shape_name, 0) + 1
        yield finding

    def _completion(
        self, record: Mapping[str, Any], index: int, line: int | None, end: int | None
    ) -> None:
        """An on-demand scan's completion event: recognised, read, listed as skipped."""
        try:
            done = OnDemandScanCompletion.from_event(record)
        except FindingParseError as exc:
            self._bad(index, line, exc, end)
            return
        self.scan_completions.append(done)
        outcome = str(done.scan_status)
        if done.scan_status_reason is not None:
            outcome += f" ({done.scan_status_reason})"
        reason = (
            f"EventBridge event {ON_DEMAND_COMPLETE_EVENT!r}: on-demand scan {done.scan_id} of "
            f"{done.resource_id} {outcome}; holds no finding (see .scan_completions)"
        )
        self.skipped.append(SkippedRecord(index, line, reason))

    def _bad(
        self, index: int, line: int | None, error: InspectorKitError, end: int | None = None
    ) -> None:
        if self.strict:
            raise error
        self.errors.append(RecordIssue(index, line, error, end))


_END = object()


def _not_findings(what: str, keys: list[Any]) -> str:
    names = sorted(map(str, keys))
    for shape in SHAPES:
        hint = shape.hint(names)
        if hint is not None:
            return f"a {what} with keys {_short_repr(names[:8])} {hint}"
    return (
        f"a {what} with keys {_short_repr(sorted(map(str, keys))[:8])} is not a ListFindings "
        "page, a findings report, an EventBridge event or a finding"
    )


def _is_source(source: object) -> bool:
    if isinstance(
        source,
        (str, bytes, bytearray, memoryview, os.PathLike, Mapping, list, tuple),
    ):
        return True
    return callable(getattr(source, "read", None))


def _printable(text: str) -> str:
    """``text`` with control and other unprintable characters escaped, and shortened."""
    if not text.isprintable():
        text = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)
    if len(text) > _NAME_MAX:
        text = text[: _NAME_MAX // 2] + "..." + text[-_NAME_MAX // 2 :]
    return text


def _describe(source: Source) -> str:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return "<bytes>"
    if isinstance(source, (Mapping, list, tuple)):
        return f"<{type(source).__name__}>"
    if isinstance(source, os.PathLike):
        return _printable(os.fsdecode(source))
    if isinstance(source, str):
        return "<string>" if _looks_like_json(source) else _printable(source)
    name = getattr(source, "name", None)
    return _printable(name) if isinstance(name, str) else "<file>"


def _looks_like_json(text: str) -> bool:
    """A str is content (not a path) when it starts like JSON, or is blank."""
    head = text.lstrip(_WS + "\ufeff")[:1]
    return head in ("{", "[") or not head


class _Prefixed(io.RawIOBase):
    """A raw stream that replays bytes already read from a non-seekable stream."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class _Parquet:
    """A binary source that starts with Parquet's magic bytes (read with the ``arrow`` extra)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw

    def seekable(self) -> IO[bytes]:
        """The file, or its bytes in memory when it cannot seek (Parquet's footer is last)."""
        seekable = getattr(self.raw, "seekable", None)
        if callable(seekable) and seekable():
            return self.raw
        return io.BytesIO(self.raw.read())


def _sniff_gzip(raw: IO[bytes]) -> IO[bytes] | _Parquet:
    """Wrap ``raw`` in a gunzipping reader when it starts with the gzip magic bytes.

    A source that starts with Parquet's magic bytes is returned as a ``_Parquet``.
    """
    peek = getattr(raw, "peek", None)
    seekable = getattr(raw, "seekable", None)
    if callable(peek):
        head = bytes(peek(4)[:4])
    elif callable(seekable) and seekable():
        where = raw.tell()
        head = raw.read(4)
        raw.seek(where)
    else:
        head = raw.read(4)
        raw = io.BufferedReader(_Prefixed(head, raw))
    if head[:2] == _GZIP_MAGIC:
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    if head == _PARQUET_MAGIC:
        return _Parquet(raw)
    return raw


@contextmanager
def _open_text(source: Source, name: str) -> Iterator[tuple[IO[str] | _Parquet, bool]]:
    """Open a source as a text stream, and say whether it was decoded from bytes.

    A Parquet file (sniffed from its magic bytes) is given as a ``_Parquet`` instead.

    Bytes are decoded as UTF-8 with ``surrogateescape``, so that a byte that is not UTF-8
    spoils one record, not the stream. Never closes a caller's file.
    """
    if isinstance(source, str) and _looks_like_json(source):
        yield io.StringIO(source.lstrip("\ufeff")), False
        return
    with ExitStack() as stack:
        raw: IO[bytes] | None = None
        try:
            if isinstance(source, (bytes, bytearray, memoryview)):
                raw = io.BytesIO(bytes(source))
            elif isinstance(source, (str, os.PathLike)):
                raw = stack.enter_context(_open_path(source, name))
            elif not isinstance(source.read(0), str):  # type: ignore[union-attr]
                raw = source  # type: ignore[assignment]
            binary = None if raw is None else _sniff_gzip(raw)
        except InspectorKitError:
            raise
        except OSError as exc:
            raise SourceFormatError(f"cannot read: {exc}", source=name) from exc
        except Exception as exc:  # "I/O operation on closed file", a driver's own error...
            raise SourceFormatError(
                f"cannot read: {type(exc).__name__}: {exc}", source=name
            ) from exc
        if binary is None:  # a text file object: the caller decoded it
            yield source, False  # type: ignore[misc]
            return
        if isinstance(binary, _Parquet):
            yield binary, True
            return
        if binary is not raw:
            stack.callback(binary.close)  # closes the gzip layer, not the caller's file
        text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="surrogateescape", newline="")
        try:
            yield text, True
        finally:
            with suppress(ValueError):  # the caller closed their file while we read it
                text.detach()


@contextmanager
def _open_path(source: str | os.PathLike[str], name: str) -> Iterator[IO[bytes]]:
    path = os.fsdecode(source)
    if "\x00" in path:
        raise SourceFormatError("cannot open: the path contains a NUL character", source=name)
    try:
        handle = Path(path).open("rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise SourceFormatError(f"cannot open: {exc.strerror}", source=name) from exc
    with handle:
        yield handle


def load_findings(
    source: Source,
    *,
    strict: bool = False,
    max_record_size: int | None = MAX_RECORD_SIZE,
) -> LoadedFindings:
    """Read findings from a file or blob in any of the shapes Inspector data is saved in.

    Args:
        source: A path (``str`` or ``os.PathLike``), a JSON/JSON Lines string (a ``str``
            that is blank or whose first non-blank character is ``{`` or ``[``; any other
            ``str`` is a path), ``bytes``, a binary or text file object, or the decoded
            JSON itself: a ``dict`` (a page, an EventBridge event or a finding, such as a
            Lambda handler's ``event``) or a ``list`` of findings or events. Gzip is
            detected, and so is Parquet (Security Lake's OCSF files; extra ``arrow``).
        strict: Raise on the first bad record instead of reporting it and going on.
        max_record_size: The most characters of JSON one record (a finding or an event;
            not a page or a list, whose elements are the records) may have. A longer
            record is reported in ``.errors`` and skipped without being read into memory.
            Defaults to ``MAX_RECORD_SIZE`` (16 MiB); ``None`` for no cap.

    Returns:
        A lazy [`LoadedFindings`][inspector_kit.loaders.LoadedFindings]: iterate it (once) for the
        findings; then check ``.errors`` (bad records, with index and lines) and ``.skipped``.

    Raises:
        TypeError: ``source`` is none of the above (``None``, a number...); raised here.
        ValueError: ``max_record_size`` is not a positive int or ``None``.
        SourceFormatError: the source is not readable as findings at all (cannot be
            opened or read, damaged gzip data, not JSON, not UTF-8 from the start, or a
            JSON object holding no findings). Raised when iteration reaches the problem.

    Examples:
        >>> from inspector_kit import load_findings, sample_estate_path
        >>> findings = list(load_findings(sample_estate_path() / "findings.jsonl"))
        >>> len(findings) > 100
        True
        >>> event = {"detail-type": "Inspector2 Finding", "detail": findings[0].to_api()}
        >>> list(load_findings(event)) == findings[:1]  # a Lambda handler's event
        True
    """
    return LoadedFindings(source, strict=strict, max_record_size=max_record_size)


def __getattr__(name: str) -> Any:
    new = _DEPRECATED.get(name)
    if new is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import warnings

    warnings.warn(
        f"{__name__}.{name} is deprecated; use {__name__}.{new} (a value, not an exception)",
        DeprecationWarning,
        stacklevel=2,
    )
    return globals()[new]
