"""Text formats: CSV (formula-injection safe), JSON, JSON Lines and Markdown tables.

Also the two escapers every text writer shares: :func:`_markdown_text` (data as literal
Markdown text) and :func:`_printable` (data as text that is safe to print to a terminal).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspector_kit.models import Finding
from inspector_kit.models._time import format_timestamp

from ._records import to_records

if TYPE_CHECKING:
    import os

__all__ = [
    "to_csv",
    "to_json",
    "to_jsonl",
    "to_markdown",
    "write_csv",
    "write_json",
    "write_jsonl",
    "write_markdown",
]

# OWASP, "CSV Injection" (https://owasp.org/www-community/attacks/CSV_Injection): cells
# starting with these characters may be run as formulas by spreadsheet programs.
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(text: str) -> str:
    """Prefix ``'`` to text a spreadsheet would read as a formula (OWASP's advice)."""
    return "'" + text if text.startswith(_FORMULA_TRIGGERS) else text


# What a terminal may act on rather than show: the C0 and C1 control characters and DEL
# (ESC starts CSI/OSC sequences, 0x9B is an 8-bit CSI, CR and BS overwrite what is shown),
# lone surrogates (which cannot even be encoded), the bidirectional overrides and isolates
# of "Trojan Source" (CVE-2021-42574), and the Unicode line and paragraph separators.
_CONTROLS = r"\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNPRINTABLE = re.compile(f"[\\n{_CONTROLS}\\u2028\\u2029]")
_UNPRINTABLE_BUT_NEWLINE = re.compile(f"[{_CONTROLS}\\u2028\\u2029]")


_NAMED_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    named = _NAMED_ESCAPES.get(char)
    if named:
        return named
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _printable(value: Any) -> str:
    r"""``value`` as one line of text that is safe to print to a terminal.

    Every character a terminal could act on (see ``_UNPRINTABLE``), line breaks included,
    is replaced by its visible Python-style escape: ESC becomes ``\x1b``, a line feed
    ``\n``, U+202E ``\u202e``. Everything else, backslashes included, is unchanged, so
    escaping twice changes nothing more. Values are turned into text as in :func:`to_csv`.

    Example:
        >>> print(_printable("\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\ [red]x[/]"))
        \x1b]8;;http://evil\x1b\click\x1b]8;;\x1b\ [red]x[/]
        >>> _printable(None), _printable(True), _printable("line 1\nline 2")
        ('', 'true', 'line 1\\nline 2')
    """
    text = value if isinstance(value, str) else _text(value)
    return _UNPRINTABLE.sub(_escape_char, text)


def _printable_lines(text: str) -> str:
    r"""Like :func:`_printable`, but line breaks (``\n``, ``\r\n``) stay line breaks (``\n``).

    Example:
        >>> _printable_lines("a\r\nb\x1b[2J\n")
        'a\nb\\x1b[2J\n'
    """
    return _UNPRINTABLE_BUT_NEWLINE.sub(_escape_char, text.replace("\r\n", "\n"))


def _text(value: Any) -> str:
    """A record value as text: ISO 8601 dates, plain decimals, ``true``/``false``, ``""``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _header(rows: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(key for row in rows for key in row))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _api_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_timestamp(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _payloads(items: object) -> tuple[list[dict[str, Any]], bool]:
    """The API payloads when ``items`` is findings only, else records; and which it is."""
    if isinstance(items, Finding):
        return [items.to_api()], True
    convertible = hasattr(items, "to_records") or hasattr(items, "to_record")
    plain = isinstance(items, str | bytes | bytearray | Mapping)
    if convertible or plain or not isinstance(items, Iterable):
        return to_records(items), False
    listed = list(items)  # read once: the iterable may be a one-shot stream
    if listed and all(isinstance(item, Finding) for item in listed):
        return [item.to_api() for item in listed], True
    return to_records(listed), False


def to_csv(items: object) -> str:
    r"""CSV of :func:`to_records` (RFC 4180: a header row, ``\r\n`` line ends), spreadsheet-safe.

    Formula injection is neutralised as OWASP advises ("CSV Injection",
    https://owasp.org/www-community/attacks/CSV_Injection): a text cell starting with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``. Only text
    is changed: numbers (``int``, ``float``, ``Decimal``) are written as numbers, so
    ``-2`` stays ``-2``, while the *text* ``"-2+3"`` becomes ``'-2+3``. Header cells (the
    records' keys) are neutralised the same way.

    Cells: ``None`` is empty, datetimes and dates are ISO 8601, ``Decimal`` is plain
    (never exponent) notation, flags are ``true``/``false``. Columns are the union of
    the rows' keys, in first-seen order.

    Example:
        >>> import csv
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> f = Finding.from_api(finding_payload(title="=1+2", inspectorScore=7.5))
        >>> row = next(csv.DictReader(to_csv(f).splitlines()))
        >>> row["title"], row["inspector_score"], row["severity"]
        ("'=1+2", '7.5', 'HIGH')
    """
    rows = to_records(items)
    out = io.StringIO()
    # RFC 4180 line ends: the csv module then also quotes text holding a lone "\r".
    writer = csv.writer(out, lineterminator="\r\n")
    if rows:
        header = _header(rows)
        writer.writerow(_neutralise(name) for name in header)
        for row in rows:
            writer.writerow(
                _neutralise(v) if isinstance(v, str) else _text(v)
                for v in (row.get(name) for name in header)
            )
    return out.getvalue()


def to_json(items: object) -> str:
    """A JSON array: findings in their API shape, anything else as :func:`to_records`.

    When every item is a :class:`~inspector_kit.Finding` (or ``items`` is one), each is
    ``Finding.to_api()`` with RFC 3339 UTC timestamps, so
    :func:`inspector_kit.load_findings` reads the output back to equal findings. Other
    items give their records: datetimes and dates as ISO 8601, ``Decimal`` as a string
    (exact), ``None`` as ``null``.

    Example:
        >>> from inspector_kit import Finding, load_findings
        >>> from inspector_kit.testing import finding_payload
        >>> f = Finding.from_api(finding_payload())
        >>> list(load_findings(to_json([f]))) == [f]
        True
        >>> from inspector_kit.pricing import Usage, estimate
        >>> to_json(estimate(Usage(agent_based_hours=720), region="us-east-1"))[:60]
        '[{"region": "us-east-1", "item": "ec2_agent_based", "quantit'
    """
    payloads, api = _payloads(items)
    return json.dumps(payloads, default=_api_default if api else _json_default)


def to_jsonl(items: object) -> str:
    r"""JSON Lines: one object per line (each line ends with ``\n``), as :func:`to_json`.

    Example:
        >>> from inspector_kit import Finding, load_findings
        >>> from inspector_kit.testing import finding_payload
        >>> f = Finding.from_api(finding_payload())
        >>> text = to_jsonl([f, f])
        >>> text.count("\n"), list(load_findings(text)) == [f, f]
        (2, True)
        >>> to_jsonl([])
        ''
    """
    payloads, api = _payloads(items)
    default = _api_default if api else _json_default
    return "".join(json.dumps(p, default=default) + "\n" for p in payloads)


# Markdown: what would make text anything but literal text. Backslash-escaped (CommonMark
# lets any ASCII punctuation be escaped): the escape itself, code spans, emphasis,
# strikethrough, link and image brackets, and table pipes. As entities: HTML (tags,
# comments, autolinks) and entity references. ``_`` is left alone inside a word, where it
# can neither open nor close emphasis (so ``finding_arn`` stays readable).
_MD_ESCAPED = re.compile(r"[\\`*\[\]|~_]")
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_MD_ENTITY = re.compile("[&<>]")
# A line starting like a heading, a list item or a setext underline.
_MD_BLOCK_START = re.compile(r"\A(#|[-+=]|\d{1,9}(?=[.)]))")
_LINE_BREAK = re.compile("\r\n|[\n\r\u2028\u2029]")


def _markdown_text(value: Any) -> str:
    r"""``value`` as Markdown that renders as exactly its text, on one line.

    The one escaper of every Markdown inspector_kit writes (:func:`to_markdown`,
    ``CoverageReport.to_markdown()``): ``\`` `` ` `` ``*`` ``_`` ``[`` ``]`` ``|`` ``~``
    are backslash-escaped (``_`` only where it could start or end emphasis), ``&``,
    ``<`` and ``>`` become entities (so no raw HTML gets through), a leading ``#``,
    ``-``, ``+``, ``=`` or ``1.`` is escaped, and every line break (``\n``, ``\r\n``,
    a bare ``\r``) becomes ``<br>``. Numbers, flags and dates are written as in
    :func:`to_csv`, unescaped (they hold none of these characters where it matters).

    Example:
        >>> print(_markdown_text('<img src=x onerror="alert(1)"> [a](http://x) a\\|b'))
        &lt;img src=x onerror="alert(1)"&gt; \[a\](http://x) a\\\|b
        >>> print(_markdown_text("finding_arn _x_ line 1\r2"))
        finding_arn \_x\_ line 1<br>2
    """
    if not isinstance(value, str):
        return _text(value)
    text = _MD_ESCAPED.sub(_escape_markdown_char, value)
    text = _MD_ENTITY.sub(lambda m: _MD_ENTITIES[m.group()], text)
    text = _MD_BLOCK_START.sub(_escape_block_start, text)
    return _LINE_BREAK.sub("<br>", text)


def _escape_markdown_char(match: re.Match[str]) -> str:
    char, text, at = match.group(), match.string, match.start()
    if char == "_" and 0 < at < len(text) - 1 and text[at - 1].isalnum() and text[at + 1].isalnum():
        return char  # inside a word: neither opens nor closes emphasis
    return "\\" + char


def _escape_block_start(match: re.Match[str]) -> str:
    marker = match.group()
    # "1." and "1)" start an ordered list: the escape goes between the number and the dot.
    return marker + "\\" if marker.isdigit() else "\\" + marker


def to_markdown(items: object) -> str:
    r"""A GitHub-flavoured Markdown table of :func:`to_records` (``""`` when there are none).

    ``|`` and ``\`` are backslash-escaped and line breaks become ``<br>``, so every row
    stays one table row; cells are written as in :func:`to_csv` (without the ``'``).

    Example:
        >>> from inspector_kit import Finding
        >>> from inspector_kit.triage import rank
        >>> from inspector_kit.testing import finding_payload
        >>> f = Finding.from_api(finding_payload(title="a|b"))
        >>> print(to_markdown(f).splitlines()[2].split(" | ")[6])
        a\|b
        >>> print(to_markdown(rank([f])).splitlines()[0][:40])
        | rank | score | severity | vulnerabilit
    """
    rows = to_records(items)
    if not rows:
        return ""
    header = _header(rows)
    lines = [
        "| " + " | ".join(_markdown_text(name) for name in header) + " |",
        "| " + " | ".join("---" for _ in header) + " |",
    ]
    lines.extend(
        "| " + " | ".join(_markdown_text(row.get(name)) for name in header) + " |" for row in rows
    )
    return "\n".join(lines) + "\n"


def _write(text: str, path: str | os.PathLike[str]) -> None:
    Path(path).write_text(text, encoding="utf-8", newline="")


def write_csv(items: object, path: str | os.PathLike[str]) -> None:
    """Write :func:`to_csv` to ``path`` (UTF-8, replaced if it exists).

    Example:
        >>> import pathlib, tempfile
        >>> from inspector_kit import sample_findings
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "findings.csv"
        >>> write_csv(sample_findings(), path)
        >>> len(path.read_text(encoding="utf-8").splitlines())
        275
    """
    _write(to_csv(items), path)


def write_json(items: object, path: str | os.PathLike[str]) -> None:
    """Write :func:`to_json` to ``path`` (UTF-8, replaced if it exists).

    Example:
        >>> import pathlib, tempfile
        >>> from inspector_kit import load_findings, sample_findings
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "findings.json"
        >>> write_json(sample_findings(), path)
        >>> len(list(load_findings(path)))
        274
    """
    _write(to_json(items), path)


def write_jsonl(items: object, path: str | os.PathLike[str]) -> None:
    """Write :func:`to_jsonl` to ``path`` (UTF-8, replaced if it exists).

    Example:
        >>> import pathlib, tempfile
        >>> from inspector_kit import load_findings, sample_findings
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "findings.jsonl"
        >>> write_jsonl(sample_findings(), path)
        >>> len(list(load_findings(path)))
        274
    """
    _write(to_jsonl(items), path)


def write_markdown(items: object, path: str | os.PathLike[str]) -> None:
    """Write :func:`to_markdown` to ``path`` (UTF-8, replaced if it exists).

    Example:
        >>> import pathlib, tempfile
        >>> from inspector_kit.sample import sample_inventory
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "coverage.md"
        >>> write_markdown(sample_inventory().analyze(), path)
        >>> path.read_text(encoding="utf-8").startswith("| account_id | region |")
        True
    """
    _write(to_markdown(items), path)


def to_html(items: object, *, limit: int | None = 50, caption: str | None = None) -> str:
    """An HTML table of :func:`to_records`, every string escaped, severities coloured.

    For notebooks: ``IPython.display.HTML(to_html(findings))`` shows any collection
    (a list of findings, a ranking) the way single results show themselves. At most
    ``limit`` rows are rendered (``None``: all), with a count of the rest.

    Example:
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> f = Finding.from_api(finding_payload(title="<script>alert(1)</script>"))
        >>> html = to_html([f])
        >>> "<script>" in html, "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        (False, True)
    """
    from inspector_kit._html import html_table

    rows = to_records(items)
    severity = "severity" if rows and "severity" in rows[0] else None
    return html_table(rows, caption=caption, limit=limit, severity_column=severity)


def write_html(items: object, path: str | os.PathLike[str], *, limit: int | None = None) -> None:
    """Write :func:`to_html` (every row by default) to ``path`` as UTF-8.

    Example:
        >>> import pathlib, tempfile
        >>> from inspector_kit import sample_findings
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "findings.html"
        >>> write_html(sample_findings(), path)
        >>> path.read_text(encoding="utf-8").startswith("<table")
        True
    """
    _write(to_html(items, limit=limit), path)
