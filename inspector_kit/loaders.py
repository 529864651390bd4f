"""Read findings from files and blobs, whatever shape they were saved in.

:func:`load_findings` accepts a path, a JSON string, bytes or a file object holding:

* a ListFindings page: ``{"findings": [...], "nextToken": ...}``;
* a findings-report JSON export (``CreateFindingsReport``): ``{"findings": [...]}``;
* a JSON list of findings, or of EventBridge events;
* JSON Lines (one finding or event per line), or any stream of concatenated JSON
  values, such as ``jq '.findings[]'`` prints;
* one EventBridge ``Inspector2 Finding`` event (its ``detail`` is the finding);
* one finding.

Sources may be gzip-compressed (sniffed from the magic bytes, not the file name).
Other EventBridge events (``Inspector2 Scan``, ``Inspector2 Coverage``) are skipped and
listed in :attr:`LoadedFindings.skipped`.

Streaming: findings are read and parsed one at a time. A ``{"findings": [...]}`` document
or a top-level list is decoded element by element with the standard library's
``json.JSONDecoder.raw_decode`` over a bounded buffer (this module only finds where each
element starts), so a 1 GB export never sits in memory as one string or one list.

Errors: a record that is not valid JSON, or not a valid finding, is reported in
:attr:`LoadedFindings.errors` with its index and line, and loading goes on; with
``strict=True`` the first bad record raises. A source that is not readable at all (not
JSON, not UTF-8, or JSON holding no findings) raises :class:`SourceFormatError`.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import os
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any

import attrs

from ._html import html_table
from .errors import FindingParseError, InspectorKitError, SourceFormatError
from .models.finding import Finding

__all__ = ["LoadedFindings", "RecordError", "SkippedRecord", "load_findings"]

logger = logging.getLogger("inspector_kit.loaders")

Source = str | bytes | bytearray | os.PathLike[str] | IO[bytes] | IO[str]

_CHUNK = 1 << 16
_GZIP_MAGIC = b"\x1f\x8b"
_FINDING_EVENT = "Inspector2 Finding"
_DECODER = json.JSONDecoder()
_WS = " \t\n\r"


@attrs.frozen
class RecordError:
    r"""A record that could not be loaded; the rest of the batch went on.

    Attributes:
        index: 0-based position of the record in the source (findings, events or lines,
            counting the bad ones too).
        line: 1-based line where the record starts, when known.
        error: What was wrong: a :class:`FindingParseError` (bad finding, with its field
            path) or a :class:`SourceFormatError` (bad JSON).

    Example:
        >>> loaded = load_findings('{"findingArn": "x"}\n{oops}\n')
        >>> list(loaded), [(e.index, e.line) for e in loaded.errors]
        ([], [(0, 1), (1, 2)])
    """

    index: int
    line: int | None
    error: InspectorKitError

    def __str__(self) -> str:
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

    Example:
        >>> loaded = load_findings('{"detail-type": "Inspector2 Scan", "detail": {}}')
        >>> list(loaded), loaded.skipped[0].reason
        ([], "EventBridge event 'Inspector2 Scan' holds no finding")
    """

    index: int
    line: int | None
    reason: str


class _Buffer:
    """A sliding window over a text stream, decoding one JSON value at a time."""

    def __init__(self, stream: IO[str], name: str) -> None:
        self.stream = stream
        self.name = name
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.line_base = 1  # line number of buf[0]
        self.chunk = _CHUNK
        # Start of the record being read, kept in the window so that a bad record can be
        # skipped from its start. None while streaming a list (the window must slide).
        self.mark: int | None = None
        # Newlines counted so far, so that line numbers cost O(text), not O(window) a record.
        self._counted_pos = 0
        self._counted_line = 1

    def line_at(self, pos: int) -> int:
        """The 1-based line number of window position ``pos``."""
        if pos < self._counted_pos:  # rare: after skipping back to a mark
            self._counted_pos, self._counted_line = 0, self.line_base
        self._counted_line += self.buf.count("\n", self._counted_pos, pos)
        self._counted_pos = pos
        return self._counted_line

    def fill(self, size: int | None = None) -> bool:
        """Read more text; drop what was consumed. False at end of stream."""
        if self.eof:
            return False
        try:
            chunk = self.stream.read(size or self.chunk)
        except UnicodeDecodeError as exc:
            raise SourceFormatError(f"not UTF-8 text: {exc.reason}", source=self.name) from exc
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise SourceFormatError(f"cannot read: {exc}", source=self.name) from exc
        keep = self.pos if self.mark is None else min(self.pos, self.mark)
        if keep:
            self.line_base = self.line_at(keep)
            self._counted_pos = 0
            self.buf = self.buf[keep:]
            self.pos -= keep
            if self.mark is not None:
                self.mark -= keep
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        return True

    def peek(self) -> str | None:
        """The next non-whitespace character (not consumed), or None at the end."""
        while True:
            buf, pos = self.buf, self.pos
            while pos < len(buf) and buf[pos] in _WS:
                pos += 1
            self.pos = pos
            if pos < len(buf):
                return buf[pos]
            if not self.fill():
                return None

    def take(self, char: str) -> None:
        if self.peek() != char:  # pragma: no cover - callers peek first
            raise AssertionError(char)
        self.pos += 1

    def next_item(self, close: str) -> bool:
        """After a list item or object member: True at ``,`` (more follow), False at ``close``.

        Raises json.JSONDecodeError for anything else.
        """
        nxt = self.peek()
        if nxt == "," or nxt == close:
            self.pos += 1
            return nxt == ","
        raise json.JSONDecodeError(f"expected ',' or {close!r}", self.buf, self.pos)

    def value(self) -> tuple[Any, int]:
        """Decode the next JSON value; returns it and the line it started on.

        Raises json.JSONDecodeError (with the position) for malformed input.
        """
        if self.peek() is None:
            raise json.JSONDecodeError("unexpected end of input", self.buf, self.pos)
        size = self.chunk
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except RecursionError:
                raise json.JSONDecodeError("nested too deeply", self.buf, self.pos) from None
            except json.JSONDecodeError as exc:
                # Maybe the value is cut by the window: read more (growing geometrically,
                # so a huge value costs O(n log n), not O(n^2)) and try again. A bad
                # character well inside the window is a real error: reading on would pull
                # the rest of a large file into memory for nothing.
                cut = exc.pos >= len(self.buf) - 6 or exc.msg.startswith("Unterminated string")
                if cut and self.fill(size):
                    size *= 2
                    continue
                raise
            if end == len(self.buf) and not self.eof and self.fill(size):
                continue  # a number or literal may go on in the next chunk
            line = self.line_at(self.pos)
            self.pos = end
            return value, line

    def skip_record(self) -> None:
        """After a bad record, resume at the next line that starts a new JSON value.

        The search starts at the bad record's start (the mark, if set), so a record that
        swallowed following lines as its values does not take them down with it.
        """
        if self.mark is not None:
            self.pos = self.mark
            self.mark = None
        while True:
            nl = self.buf.find("\n", self.pos)
            while nl != -1:
                if nl + 1 < len(self.buf) and self.buf[nl + 1] in "{[":
                    self.pos = nl + 1
                    return
                if nl + 1 == len(self.buf):
                    break
                nl = self.buf.find("\n", nl + 1)
            self.pos = len(self.buf) if nl == -1 else nl
            if not self.fill():
                self.pos = len(self.buf)
                return


def _is_event(obj: Mapping[str, Any]) -> bool:
    return "detail-type" in obj and "detail" in obj


class LoadedFindings:
    """A lazy, streaming iterable of :class:`Finding` from :func:`load_findings`.

    Iterate it once (it reads its source as it goes). Bad records do not stop it: after
    (or during) iteration, :attr:`errors` lists them and :attr:`skipped` lists valid
    records that hold no finding. Reaching the end with errors logs one warning, so a
    failure is never silent; :meth:`raise_for_errors` turns them into an exception.

    Example:
        >>> from inspector_kit import load_findings
        >>> loaded = load_findings(b'[{"findingArn": 1}]')
        >>> list(loaded)
        []
        >>> print(loaded.errors[0])
        record 0 (line 1): findingArn: expected a string, got int (value: 1)
    """

    def __init__(self, source: Source, *, strict: bool = False) -> None:
        self._source = source
        self.strict = strict
        #: Records that could not be loaded, in source order.
        self.errors: list[RecordError] = []
        #: Valid records holding no finding (other EventBridge events), in source order.
        self.skipped: list[SkippedRecord] = []
        #: How many findings were yielded so far.
        self.count = 0
        self._index = 0
        self._started = False
        self._name = _describe(source)

    @property
    def name(self) -> str:
        """A description of the source: its path, ``<bytes>``, ``<string>`` or ``<file>``."""
        return self._name

    def __iter__(self) -> Iterator[Finding]:
        if self._started:
            raise InspectorKitError(
                f"{self._name}: a LoadedFindings can be iterated only once "
                "(call load_findings() again, or keep the list)"
            )
        self._started = True
        with _open_text(self._source, self._name) as stream:
            yield from self._findings(_Buffer(stream, self._name))
        if self.errors:
            logger.warning(
                "%s: %d record(s) could not be loaded; first: %s",
                self._name,
                len(self.errors),
                self.errors[0],
            )

    def raise_for_errors(self) -> None:
        """Raise the first record error, if any (all of them stay in :attr:`errors`).

        Example:
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
        return html_table(rows, columns=["record", "line", "error"], caption=caption)

    # ------------------------------------------------------------------ internals

    def _findings(self, reader: _Buffer) -> Iterator[Finding]:
        first = reader.peek()
        if first is None:
            return  # an empty source holds no findings
        if first == "[":
            yield from self._array(reader)
        elif first == "{":
            line = reader.line_at(reader.pos)
            reader.mark = reader.pos
            try:
                yield from self._document(reader)
            except json.JSONDecodeError as exc:
                self._bad_json(reader, exc, line)
            reader.mark = None
        else:
            raise SourceFormatError(
                f"not JSON: starts with {first!r}",
                source=self._name,
                line=reader.line_at(reader.pos),
            )
        # Whatever follows the first value is a stream of values: JSON Lines, or JSON
        # documents one after another (as jq prints them).
        while reader.peek() is not None:
            line = reader.line_at(reader.pos)
            try:
                record, line = reader.value()
            except json.JSONDecodeError as exc:
                self._bad_json(reader, exc, line)
                continue
            yield from self._records(record, line)

    def _document(self, reader: _Buffer) -> Iterator[Finding]:
        """Read the first top-level object, streaming its ``findings`` list if it has one."""
        line = reader.line_at(reader.pos)
        reader.take("{")
        fields: dict[str, Any] = {}
        streamed = False
        if reader.peek() == "}":
            reader.take("}")
        else:
            while True:
                key, _ = reader.value()
                if not isinstance(key, str) or reader.peek() != ":":
                    raise json.JSONDecodeError("expected a key and ':'", reader.buf, reader.pos)
                reader.take(":")
                if key == "findings" and reader.peek() == "[" and not streamed:
                    streamed = True
                    reader.mark = None  # a page or report: let the window slide
                    yield from self._array(reader)
                else:
                    fields[key] = reader.value()[0]
                if not reader.next_item("}"):
                    break
        if streamed:
            return
        if not (_is_event(fields) or "findingArn" in fields):
            raise SourceFormatError(
                f"a JSON object with keys {sorted(fields)[:8]} is not a ListFindings page, a "
                "findings report, an EventBridge event or a finding",
                source=self._name,
                line=line,
            )
        yield from self._records(fields, line)

    def _array(self, reader: _Buffer) -> Iterator[Finding]:
        """Stream the elements of a JSON list of findings or events."""
        reader.take("[")
        if reader.peek() == "]":
            reader.take("]")
            return
        while True:
            line = reader.line_at(reader.pos)
            try:
                record, line = reader.value()
            except json.JSONDecodeError as exc:
                # Inside one JSON document a syntax error leaves no safe place to resume.
                raise SourceFormatError(
                    f"not valid JSON in record {self._index}: {exc.msg}",
                    source=self._name,
                    line=line,
                ) from None
            yield from self._records(record, line)
            try:
                if not reader.next_item("]"):
                    return
            except json.JSONDecodeError as exc:
                raise SourceFormatError(
                    f"not valid JSON: {exc.msg} in the list",
                    source=self._name,
                    line=reader.line_at(reader.pos),
                ) from None

    def _records(self, record: Any, line: int | None) -> Iterator[Finding]:
        """One decoded value: a page or list (each element a record), an event or a finding."""
        if isinstance(record, list):
            for item in record:
                yield from self._records(item, line)
            return
        if isinstance(record, Mapping) and isinstance(record.get("findings"), list):
            for item in record["findings"]:
                yield from self._records(item, line)
            return
        index = self._index
        self._index += 1
        payload = record
        if isinstance(record, Mapping) and _is_event(record):
            kind = record.get("detail-type")
            if kind != _FINDING_EVENT:
                reason = f"EventBridge event {kind!r} holds no finding"
                self.skipped.append(SkippedRecord(index, line, reason))
                return
            payload = record["detail"]
        try:
            finding = Finding.from_api(payload)
        except FindingParseError as exc:
            if payload is not record:
                exc._prepend("detail")
            self._bad(index, line, exc)
            return
        self.count += 1
        yield finding

    def _bad_json(self, reader: _Buffer, exc: json.JSONDecodeError, line: int) -> None:
        error = SourceFormatError(f"not valid JSON: {exc.msg}", source=self._name, line=line)
        index = self._index
        self._index += 1
        self._bad(index, line, error)
        reader.skip_record()

    def _bad(self, index: int, line: int | None, error: InspectorKitError) -> None:
        if self.strict:
            raise error
        self.errors.append(RecordError(index, line, error))


def _describe(source: Source) -> str:
    if isinstance(source, (bytes, bytearray)):
        return "<bytes>"
    if isinstance(source, os.PathLike):
        return os.fspath(source)
    if isinstance(source, str):
        return "<string>" if _looks_like_json(source) else source
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else "<file>"


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


def _sniff_gzip(raw: IO[bytes]) -> IO[bytes]:
    """Wrap ``raw`` in a gunzipping reader when it starts with the gzip magic bytes."""
    peek = getattr(raw, "peek", None)
    seekable = getattr(raw, "seekable", None)
    if callable(peek):
        head = bytes(peek(2)[:2])
    elif callable(seekable) and seekable():
        where = raw.tell()
        head = raw.read(2)
        raw.seek(where)
    else:
        head = raw.read(2)
        raw = io.BufferedReader(_Prefixed(head, raw))
    if head == _GZIP_MAGIC:
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    return raw


@contextmanager
def _open_text(source: Source, name: str) -> Iterator[IO[str]]:
    """Open any accepted source as a UTF-8 text stream; never closes a caller's file."""
    if isinstance(source, str) and _looks_like_json(source):
        yield io.StringIO(source.lstrip("\ufeff"))
        return
    with ExitStack() as stack:
        raw: IO[bytes]
        if isinstance(source, (bytes, bytearray)):
            raw = io.BytesIO(bytes(source))
        elif isinstance(source, (str, os.PathLike)):
            try:
                raw = stack.enter_context(Path(source).open("rb"))
            except OSError as exc:
                raise SourceFormatError(f"cannot open: {exc.strerror}", source=name) from exc
        elif isinstance(source.read(0), str):
            yield source  # type: ignore[misc]
            return
        else:
            raw = source  # type: ignore[assignment]
        binary = _sniff_gzip(raw)
        if binary is not raw:
            stack.callback(binary.close)  # closes the gzip layer, not the caller's file
        text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
        try:
            yield text
        finally:
            text.detach()


def load_findings(source: Source, *, strict: bool = False) -> LoadedFindings:
    """Read findings from a file or blob in any of the shapes Inspector data is saved in.

    Args:
        source: A path (``str`` or ``os.PathLike``), a JSON/JSON Lines string (a ``str``
            that is blank or whose first non-blank character is ``{`` or ``[``; any other
            ``str`` is a path), ``bytes``, or a binary or text file object. Gzip is
            detected.
        strict: Raise on the first bad record instead of reporting it and going on.

    Returns:
        A lazy :class:`LoadedFindings`: iterate it (once) for the findings; then check
        ``.errors`` (bad records, with index and line) and ``.skipped``.

    Raises:
        SourceFormatError: the source is not readable as findings at all. Raised when
            iteration starts, like any I/O problem.

    Example:
        >>> from inspector_kit import load_findings, sample_estate_path
        >>> findings = list(load_findings(sample_estate_path() / "findings.jsonl"))
        >>> len(findings) > 100
        True
    """
    return LoadedFindings(source, strict=strict)
