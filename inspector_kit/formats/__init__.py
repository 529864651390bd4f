"""Findings and every inspector_kit result as rows, text, Markdown, HTML, CSV, JSON and more.

Everything goes through ONE protocol, [`Records`][inspector_kit.formats.Records]: a result has
``columns`` (the column names, in order) and ``to_records()`` (one dict per row, values as
[`RecordValue`][inspector_kit.formats.RecordScalar]: text, numbers, flags, aware datetimes, dates,
``None``). Every inspector_kit result implements it, and
[`RecordsMixin`][inspector_kit.formats.RecordsMixin] gives a class ``to_text()``, ``to_markdown()``
and the notebook view (``_repr_html_``) from its records in one line. Findings, lists of findings
([`FindingRecords`][inspector_kit.formats.FindingRecords], the columns of
[`FINDING_COLUMNS`][inspector_kit.formats.FINDING_COLUMNS]) and rescorings
([`RESCORE_COLUMNS`][inspector_kit.formats.RESCORE_COLUMNS]) have their records here.
[`to_records`][inspector_kit.formats.to_records] gives the rows of any of them;
the writers build on it:

* [`to_text`][inspector_kit.formats.to_text] (an aligned table, safe for a terminal),
  [`to_markdown`][inspector_kit.formats.to_markdown] (every cell renders as its literal text: no
  HTML, links or formatting), [`to_html`][inspector_kit.formats.to_html] (escaped, for notebooks),
  [`to_csv`][inspector_kit.formats.to_csv] (formula-injection safe, header cells included),
  [`to_spdx`][inspector_kit.formats.to_spdx] (SPDX 2.3 JSON),
  [`to_ocsf`][inspector_kit.formats.to_ocsf] (OCSF Vulnerability Finding records, for Security
  Lake or Security Hub; ``load_findings`` reads them back, also from Security Lake's Parquet),
  [`to_json`][inspector_kit.formats.to_json] and [`to_jsonl`][inspector_kit.formats.to_jsonl]
  (findings in their API shape, readable by [`load_findings`][inspector_kit.loaders.load_findings]),
  and a ``write_*`` twin of each that writes a file;
* [`to_pandas`][inspector_kit.formats.to_pandas] (extra ``pandas``),
  [`to_arrow`][inspector_kit.formats.to_arrow] (extra ``arrow``) and
  [`write_excel`][inspector_kit.formats.write_excel] (extra ``excel``). Importing this package
  imports none of them; a missing one raises
  [`MissingExtraError`][inspector_kit.formats.MissingExtraError], which names the ``pip install``.

Examples:
    >>> from inspector_kit import sample_findings
    >>> from inspector_kit.formats import to_markdown, to_records
    >>> findings = list(sample_findings())
    >>> to_records(findings)[0]["finding_arn"] == findings[0].finding_arn
    True
    >>> to_markdown(findings[:1]).splitlines()[0][:40]
    '| finding_arn | aws_account_id | region '
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from inspector_kit._lazy import lazy_surface

if TYPE_CHECKING:
    from ._asff import (
        ASFF_BATCH_LIMIT,
        ASFF_FINDING_BYTES_LIMIT,
        ASFF_NOT_CARRIED,
        ASFF_REQUEST_BYTES_LIMIT,
        ASFF_SCHEMA_VERSION,
        asff_batches,
        asff_size,
        to_asff,
    )
    from ._csv import to_csv, write_csv
    from ._cyclonedx import to_cyclonedx, write_cyclonedx
    from ._excel import write_excel
    from ._extras import MissingExtraError
    from ._frames import CATEGORICAL_COLUMNS, ORDERED_CATEGORIES, to_arrow, to_pandas
    from ._html import to_html, write_html
    from ._interface import Records, RecordsMixin, RecordValue
    from ._json import to_json, to_jsonl, write_json, write_jsonl
    from ._markdown import to_markdown, write_markdown
    from ._ocsf import OCSF_NOT_CARRIED, OCSF_VERSION, to_ocsf
    from ._records import (
        FINDING_COLUMNS,
        FINDING_DISPLAY_COLUMNS,
        RESCORE_COLUMNS,
        FindingRecords,
        RecordScalar,
        to_records,
    )
    from ._spdx import to_spdx, write_spdx
    from ._text import to_text, write_text_table

__all__ = [
    "ASFF_BATCH_LIMIT",
    "ASFF_FINDING_BYTES_LIMIT",
    "ASFF_NOT_CARRIED",
    "ASFF_REQUEST_BYTES_LIMIT",
    "ASFF_SCHEMA_VERSION",
    "CATEGORICAL_COLUMNS",
    "FINDING_COLUMNS",
    "FINDING_DISPLAY_COLUMNS",
    "OCSF_NOT_CARRIED",
    "OCSF_VERSION",
    "ORDERED_CATEGORIES",
    "RESCORE_COLUMNS",
    "FindingRecords",
    "MissingExtraError",
    "RecordScalar",
    "RecordValue",
    "Records",
    "RecordsMixin",
    "asff_batches",
    "asff_size",
    "to_arrow",
    "to_asff",
    "to_csv",
    "to_cyclonedx",
    "to_html",
    "to_json",
    "to_jsonl",
    "to_markdown",
    "to_ocsf",
    "to_pandas",
    "to_records",
    "to_spdx",
    "to_text",
    "write_csv",
    "write_cyclonedx",
    "write_excel",
    "write_html",
    "write_json",
    "write_jsonl",
    "write_markdown",
    "write_spdx",
    "write_text_table",
]

# Where each name lives: a name's module is imported when the name is first read, so that
# load_findings (which reads the foreign shapes in ._foreign) does not pay for the writers, the
# records of findings and the scoring they use (issue 19). The TYPE_CHECKING imports above say
# the same for type checkers and the API docs (tests/test_footprint.py compares the two).
_EXPORTS = {
    "._asff": (
        "ASFF_BATCH_LIMIT",
        "ASFF_FINDING_BYTES_LIMIT",
        "ASFF_NOT_CARRIED",
        "ASFF_REQUEST_BYTES_LIMIT",
        "ASFF_SCHEMA_VERSION",
        "asff_batches",
        "asff_size",
        "to_asff",
    ),
    "._csv": (
        "to_csv",
        "write_csv",
    ),
    "._cyclonedx": (
        "to_cyclonedx",
        "write_cyclonedx",
    ),
    "._excel": ("write_excel",),
    "._extras": ("MissingExtraError",),
    "._frames": (
        "CATEGORICAL_COLUMNS",
        "ORDERED_CATEGORIES",
        "to_arrow",
        "to_pandas",
    ),
    "._html": (
        "to_html",
        "write_html",
    ),
    "._interface": (
        "Records",
        "RecordsMixin",
        "RecordValue",
    ),
    "._json": (
        "to_json",
        "to_jsonl",
        "write_json",
        "write_jsonl",
    ),
    "._markdown": (
        "to_markdown",
        "write_markdown",
    ),
    "._ocsf": (
        "OCSF_NOT_CARRIED",
        "OCSF_VERSION",
        "to_ocsf",
    ),
    "._records": (
        "FINDING_COLUMNS",
        "FINDING_DISPLAY_COLUMNS",
        "RESCORE_COLUMNS",
        "FindingRecords",
        "RecordScalar",
        "to_records",
    ),
    "._spdx": (
        "to_spdx",
        "write_spdx",
    ),
    "._text": (
        "to_text",
        "write_text_table",
    ),
}

__getattr__, __dir__ = lazy_surface(globals(), _EXPORTS, {m[1:] for m in _EXPORTS})
