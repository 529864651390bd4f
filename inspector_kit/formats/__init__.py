"""Findings and every inspector_kit result as rows, text, Markdown, HTML, CSV, JSON and more.

Everything goes through ONE protocol, :class:`Records`: a result has ``columns`` (the
column names, in order) and ``to_records()`` (one dict per row, values as
:data:`RecordValue`: text, numbers, flags, aware datetimes, dates, ``None``). Every
inspector_kit result implements it, and :class:`RecordsMixin` gives a class
``to_text()``, ``to_markdown()`` and the notebook view (``_repr_html_``) from its records
in one line. Findings, lists of findings (:class:`FindingRecords`, the columns of
:data:`FINDING_COLUMNS`) and rescorings (:data:`RESCORE_COLUMNS`) have their records
here. :func:`to_records` gives the rows of any of them; the writers build on it:

* :func:`to_text` (an aligned table, safe for a terminal), :func:`to_markdown` (every
  cell renders as its literal text: no HTML, links or formatting), :func:`to_html`
  (escaped, for notebooks), :func:`to_csv` (formula-injection safe, header cells
  included), :func:`to_json` and :func:`to_jsonl` (findings in their API shape, readable
  by :func:`inspector_kit.load_findings`), and a ``write_*`` twin of each that writes a
  file;
* :func:`to_pandas` (extra ``pandas``), :func:`to_arrow` (extra ``arrow``) and
  :func:`write_excel` (extra ``excel``). Importing this package imports none of them;
  a missing one raises :class:`MissingExtraError`, which names the ``pip install``.

Example:
    >>> from inspector_kit import sample_findings
    >>> from inspector_kit.formats import to_markdown, to_records
    >>> findings = list(sample_findings())
    >>> to_records(findings)[0]["finding_arn"] == findings[0].finding_arn
    True
    >>> to_markdown(findings[:1]).splitlines()[0][:40]
    '| finding_arn | aws_account_id | region '
"""

from __future__ import annotations

from ._csv import to_csv, write_csv
from ._cyclonedx import to_cyclonedx, write_cyclonedx
from ._excel import write_excel
from ._extras import MissingExtraError
from ._frames import CATEGORICAL_COLUMNS, to_arrow, to_pandas
from ._html import to_html, write_html
from ._interface import Records, RecordsMixin, RecordValue
from ._json import to_json, to_jsonl, write_json, write_jsonl
from ._markdown import to_markdown, write_markdown
from ._records import (
    FINDING_COLUMNS,
    RESCORE_COLUMNS,
    FindingRecords,
    RecordScalar,
    to_records,
)
from ._text import to_text, write_text_table

__all__ = [
    "CATEGORICAL_COLUMNS",
    "FINDING_COLUMNS",
    "RESCORE_COLUMNS",
    "FindingRecords",
    "MissingExtraError",
    "RecordScalar",
    "RecordValue",
    "Records",
    "RecordsMixin",
    "to_arrow",
    "to_csv",
    "to_cyclonedx",
    "to_html",
    "to_json",
    "to_jsonl",
    "to_markdown",
    "to_pandas",
    "to_records",
    "to_text",
    "write_csv",
    "write_cyclonedx",
    "write_excel",
    "write_html",
    "write_json",
    "write_jsonl",
    "write_markdown",
    "write_text_table",
]
