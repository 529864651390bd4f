"""A small, safe HTML table renderer for Jupyter's ``_repr_html_``.

Pure (standard library only): every string it is given (values, column names, the caption,
the footer) goes through ``html.escape``, so a finding whose description holds markup
renders as text. Styles are inline (no external assets, no ``<style>`` block that a
notebook sanitizer might drop).
"""

from __future__ import annotations

import html
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

__all__ = ["COLOURS", "NOWRAP_COLUMNS", "cell_text", "escape", "html_table", "nowrap"]

COLOURS: Mapping[str, str] = {
    # Finding severities.
    "CRITICAL": "#7b0000",
    "HIGH": "#d62728",
    "MEDIUM": "#ff7f0e",
    "LOW": "#bcbd22",
    "INFORMATIONAL": "#7f7f7f",
    "UNTRIAGED": "#a6a6a6",
    # Coverage statuses.
    "COVERED": "#2ca02c",
    "NOT_COVERED": "#d62728",
    "UNSUPPORTED": "#7b0000",
    "PENDING": "#1f77b4",
    "EXCLUDED": "#9467bd",
    "STOPPED": "#8c564b",
}
"""Background colour per severity and per coverage status (also used by the plots).

Every coverage status has a colour of its own (EXCLUDED purple, STOPPED brown), so no two
statuses look alike in a table or a chart.
"""

NOWRAP_COLUMNS: frozenset[str] = frozenset(
    {"region", "account", "instance", "resource", "image", "function", "vulnerability", "as of"}
)
"""Columns whose cells never wrap, besides every ``*_id``, ``*_arn``, ``*_at`` and ``*_name``
column: ids, ARNs, regions and timestamps read as one word."""

_DARK_TEXT = frozenset({"LOW"})  # olive is light: keep its text dark

_TABLE = (
    "border-collapse:collapse;font-family:sans-serif;font-size:12px;margin:2px 0;text-align:left"
)
# text-align on every cell: Jupyter's own CSS right-aligns table cells.
_CELL = "border:1px solid #ddd;padding:2px 6px;vertical-align:top;text-align:left"
_NUMBER = ";text-align:right"
_NOWRAP = ";white-space:nowrap"
_WRAP = ";max-width:36em"
_HEAD = _CELL + ";background:#f2f2f2;font-weight:bold;white-space:nowrap"
_CAPTION = "caption-side:top;text-align:left;font-weight:bold;padding:2px 0"
_NOTE = _CELL + ";color:#666;font-style:italic"


def escape(text: str) -> str:
    """``text`` as HTML text: ``&``, ``<``, ``>`` and both quotes become entities.

    Examples:
        >>> escape('<a href="x">')
        '&lt;a href=&quot;x&quot;&gt;'
    """
    return html.escape(text, quote=True)


_esc = escape


def cell_text(value: Any) -> str:
    """A value as plain (unescaped) cell text.

    ``None`` is empty, dates and datetimes are ISO 8601, enums show their value, and
    sequences are joined with ``", "``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> cell_text(None), cell_text(datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc))
        ('', '2026-01-02T03:04:00+00:00')
        >>> cell_text(("a", 1)), cell_text(True)
        ('a, 1', 'yes')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return cell_text(value.value)
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(cell_text(v) for v in value)
    return str(value)


def nowrap(column: str) -> bool:
    """Whether cells of ``column`` must not wrap: ids, ARNs, names, regions, timestamps.

    Examples:
        >>> nowrap("finding_arn"), nowrap("region"), nowrap("title")
        (True, True, False)
    """
    name = column.lower()
    return name in NOWRAP_COLUMNS or name.endswith(("_id", "_arn", "_at", "_name", "region"))


def _cell(value: Any, coloured: bool, style: str = _CELL) -> str:
    text = cell_text(value)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        style += _NUMBER
    colour = COLOURS.get(text) if coloured else None
    if colour is None:
        return f'<td style="{style}">{_esc(text)}</td>'
    ink = "#000" if text in _DARK_TEXT else "#fff"
    return f'<td style="{style};background:{colour};color:{ink};font-weight:bold">{_esc(text)}</td>'


def _columns(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    return list(dict.fromkeys(key for row in rows for key in row))


def html_table(
    rows: Sequence[Mapping[str, Any]],
    *,
    columns: Sequence[str] | None = None,
    caption: str | None = None,
    limit: int | None = 50,
    severity_column: str | None = None,
    footer: str | None = None,
    total: int | None = None,
) -> str:
    """Render rows as a compact HTML ``<table>`` with inline CSS; every string is escaped.

    Args:
        rows: One mapping per row; a missing key is an empty cell.
        columns: The columns, in order (default: every key, in order of first appearance).
        caption: A caption above the table.
        limit: At most this many rows (``None``: all); the rest are counted in a last row.
        severity_column: A column whose severity or coverage status cells are coloured.
        footer: A line of text below the rows (a finding's description, say).
        total: How many rows there are in all, when ``rows`` holds only the first ones (a
            large collection need not build rows it will not show).

    Returns:
        The HTML, safe to hand to Jupyter.

    Examples:
        >>> print(html_table([{"severity": "HIGH", "title": "<b>x</b>"}, {"title": "y"}],
        ...                  caption="2 findings", limit=1, severity_column="severity"))
        <table style="..."><caption style="...">2 findings</caption>
        <thead><tr><th style="...">severity</th><th style="...">title</th></tr></thead>
        <tbody><tr><td style="...;background:#d62728;color:#fff;font-weight:bold">HIGH</td><td
        style="...">&lt;b&gt;x&lt;/b&gt;</td></tr>
        <tr><td colspan="2" style="...">… and 1 more row</td></tr></tbody></table>
    """
    names = list(columns) if columns is not None else _columns(rows)
    shown = rows if limit is None else rows[: max(limit, 0)]
    out = [f'<table style="{_TABLE}">']
    if caption is not None:
        out.append(f'<caption style="{_CAPTION}">{_esc(caption)}</caption>')
    head = "".join(f'<th style="{_HEAD}">{_esc(name)}</th>' for name in names)
    out.append(f"\n<thead><tr>{head}</tr></thead>\n<tbody>")
    # Ids stay on one line; long text wraps within a bounded width, so wide tables stay compact.
    styles = {n: _CELL + (_NOWRAP if nowrap(n) else _WRAP) for n in names}
    body = [
        "<tr>"
        + "".join(_cell(row.get(n), n == severity_column, styles[n]) for n in names)
        + "</tr>"
        for row in shown
    ]
    rest = (len(rows) if total is None else total) - len(shown)
    if rest:
        plural = "row" if rest == 1 else "rows"
        body.append(_note(f"… and {rest} more {plural}", len(names)))
    if footer is not None:
        body.append(_note(footer, len(names)))
    out.append("\n".join(body))
    out.append("</tbody></table>")
    return "".join(out)


def _note(text: str, span: int) -> str:
    return f'<tr><td colspan="{max(span, 1)}" style="{_NOTE}">{_esc(text)}</td></tr>'
