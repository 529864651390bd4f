"""Findings and inspector_kit results as flat records, DataFrames, CSV, JSON and more.

Everything starts from :func:`to_records`: flat rows with stable column names for
findings (:data:`FINDING_COLUMNS`), rescorings (:data:`RESCORE_COLUMNS`) and any result
with ``to_records()``/``to_record()`` (coverage, pricing, triage). The writers build on it:

* :func:`to_csv` (formula-injection safe, header cells included), :func:`to_json`,
  :func:`to_jsonl` (findings in their API shape, readable by
  :func:`inspector_kit.load_findings`), :func:`to_markdown` (every cell renders as its
  literal text: no HTML, links or formatting), :func:`to_html` (escaped, for notebooks),
  and a ``write_*`` twin of each that writes a file;
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

from ._cyclonedx import to_cyclonedx, write_cyclonedx
from ._excel import write_excel
from ._extras import MissingExtraError
from ._frames import CATEGORICAL_COLUMNS, to_arrow, to_pandas
from ._records import FINDING_COLUMNS, RESCORE_COLUMNS, RecordScalar, to_records
from ._text import (
    to_csv,
    to_html,
    to_json,
    to_jsonl,
    to_markdown,
    write_csv,
    write_html,
    write_json,
    write_jsonl,
    write_markdown,
)

__all__ = [
    "CATEGORICAL_COLUMNS",
    "FINDING_COLUMNS",
    "RESCORE_COLUMNS",
    "MissingExtraError",
    "RecordScalar",
    "to_arrow",
    "to_csv",
    "to_cyclonedx",
    "to_html",
    "to_json",
    "to_jsonl",
    "to_markdown",
    "to_pandas",
    "to_records",
    "write_csv",
    "write_cyclonedx",
    "write_excel",
    "write_html",
    "write_json",
    "write_jsonl",
    "write_markdown",
]
