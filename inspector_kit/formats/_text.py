"""Plain text: an aligned table of the records, safe to print to a terminal.

Also re-exports the value escapers of ``_values`` under the names other modules have
imported from here (``_printable``, ``_printable_lines``, ``_markdown_text``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from inspector_kit._records import text_table

from ._interface import write_text
from ._records import records_table
from ._values import _markdown_text, _printable, _printable_lines

if TYPE_CHECKING:
    import os

__all__ = ["_markdown_text", "_printable", "_printable_lines", "to_text", "write_text_table"]


def to_text(items: object, *, limit: int | None = None) -> str:
    r"""A plain-text table of the records: a header, a rule, one line per row.

    Columns are left-aligned and two spaces apart; trailing spaces are dropped. Every cell
    is one line that is safe to print (control characters and line breaks are shown as
    escapes, ``\x1b``); values are written as in [`to_csv`][inspector_kit.formats.to_csv]. At most
    ``limit`` rows (``None``: all), with a count of the rest. ``""`` when there are no rows.

    Examples:
        >>> from inspector_kit.history import diff
        >>> from inspector_kit.testing import finding_payload
        >>> from inspector_kit import Finding
        >>> f = Finding.from_api(finding_payload(title="a\x1b[2Jb"))
        >>> lines = to_text(diff([], [f])).splitlines()
        >>> lines[0].split()[:3], lines[1][:6], lines[2].split()[0]
        (['change', 'old_severity', 'finding_arn'], '------', 'new')
        >>> "a\\x1b[2Jb" in lines[2]
        True
        >>> to_text([])
        ''
    """
    columns, rows = records_table(items)
    return text_table(columns, rows, limit=limit)


def write_text_table(items: object, path: str | os.PathLike[str]) -> None:
    """Write [`to_text`][inspector_kit.formats.to_text] (every row) to ``path`` as UTF-8.

    Examples:
        >>> import pathlib, tempfile
        >>> from inspector_kit import sample_findings
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "findings.txt"
        >>> write_text_table(sample_findings(), path)
        >>> path.read_text(encoding="utf-8").splitlines()[0][:11]
        'finding_arn'
    """
    write_text(to_text(items), path)
