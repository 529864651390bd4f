"""Every conversion of a record value to text, in one module (a leaf of the package).

The value convention is [`RecordValue`][inspector_kit.formats.RecordScalar]; these functions turn
one value into the text of one cell of a format:

* ``_text``: CSV, plain-text tables and Markdown cells (ISO 8601 dates, plain
  decimals, ``true``/``false``, ``""`` for ``None``);
* ``_neutralise``: CSV and Excel text (OWASP formula injection);
* ``_printable`` and ``_printable_lines``: text that is safe to print to a terminal;
* ``_markdown_text``: Markdown that renders as exactly its text;
* ``_json_default``: JSON values (the API shape's timestamps are
  ``inspector_kit.formats._values._api_default``, which needs the models);
* ``html_cell_text`` and ``html_escape``: HTML cells (``yes``/``no`` flags, for
  people), from the leaf module ``inspector_kit._html``, re-exported here so that every
  conversion is found from this one module.

It imports only the standard library, [`inspector_kit.errors`][inspector_kit.errors] and
``inspector_kit._html``: the records protocol (``inspector_kit._records``) renders with
it, and the models render their records through that protocol, so it must not import the
models or [`inspector_kit.formats`][inspector_kit.formats] (``inspector_kit.formats._values``
re-exports it).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from inspector_kit._html import cell_text as html_cell_text
from inspector_kit._html import escape as html_escape
from inspector_kit.errors import RecordsError

__all__ = [
    "_json_default",
    "_markdown_text",
    "_neutralise",
    "_printable",
    "_printable_lines",
    "_text",
    "html_cell_text",
    "html_escape",
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
    escaping twice changes nothing more. Values are turned into text as in
    [`to_csv`][inspector_kit.formats.to_csv].

    Examples:
        >>> print(_printable("\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\ [red]x[/]"))
        \x1b]8;;http://evil\x1b\click\x1b]8;;\x1b\ [red]x[/]
        >>> _printable(None), _printable(True), _printable("line 1\nline 2")
        ('', 'true', 'line 1\\nline 2')
    """
    text = value if isinstance(value, str) else _text(value)
    return _UNPRINTABLE.sub(_escape_char, text)


def _printable_lines(text: str) -> str:
    r"""Like ``_printable``, but line breaks (``\n``, ``\r\n``) stay line breaks (``\n``).

    Examples:
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


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    raise RecordsError(f"{type(value).__name__} is not JSON serialisable")


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

    The one escaper of every Markdown inspector_kit writes
    ([`to_markdown`][inspector_kit.formats.to_markdown], ``CoverageReport.to_markdown()``): ``\`` ``
    ` `` ``*`` ``_`` ``[`` ``]`` ``|`` ``~`` are backslash-escaped (``_`` only where it could start
    or end emphasis), ``&``, ``<`` and ``>`` become entities (so no raw HTML gets through), a
    leading ``#``, ``-``, ``+``, ``=`` or ``1.`` is escaped, and every line break (``\n``, ``\r\n``,
    a bare ``\r``) becomes ``<br>``. Numbers, flags and dates are written as in
    [`to_csv`][inspector_kit.formats.to_csv], unescaped (they hold none of these characters where it
    matters).

    Examples:
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
