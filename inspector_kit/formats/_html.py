"""HTML: an escaped table of the records (the notebook view of every result)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from inspector_kit._records import html_text

from ._interface import write_text
from ._records import FINDING_COLUMNS, FINDING_DISPLAY_COLUMNS, records_table

if TYPE_CHECKING:
    import os

__all__ = ["to_html", "write_html"]


def to_html(items: object, *, limit: int | None = 50, caption: str | None = None) -> str:
    """An HTML table of the records, every string escaped, severities coloured.

    For notebooks: ``IPython.display.HTML(to_html(findings))`` shows any collection
    (a list of findings, a ranking) the way single results show themselves. At most
    ``limit`` rows are rendered (``None``: all), with a count of the rest.

    Text is left-aligned and numbers right-aligned (whatever the notebook's own CSS says);
    ids, ARNs, regions, accounts and timestamps do not wrap mid-word. Findings show their
    columns in [`FINDING_DISPLAY_COLUMNS`][inspector_kit.formats.FINDING_DISPLAY_COLUMNS] order
    (severity, vulnerability, resource, region first; the finding ARN last).

    Examples:
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> f = Finding.from_api(finding_payload(title="<script>alert(1)</script>"))
        >>> html = to_html([f])
        >>> "<script>" in html, "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        (False, True)
        >>> html.index(">severity<") < html.index(">finding_arn<")
        True
    """
    columns, rows = records_table(items)
    if tuple(columns) == FINDING_COLUMNS:
        columns = list(FINDING_DISPLAY_COLUMNS)
    return html_text(columns, rows, limit=limit, caption=caption)


def write_html(items: object, path: str | os.PathLike[str], *, limit: int | None = None) -> None:
    """Write [`to_html`][inspector_kit.formats.to_html] (every row by default) to ``path`` as UTF-8.

    Examples:
        >>> import pathlib, tempfile
        >>> from inspector_kit import sample_findings
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "findings.html"
        >>> write_html(sample_findings(), path)
        >>> path.read_text(encoding="utf-8").startswith("<table")
        True
    """
    write_text(to_html(items, limit=limit), path)
