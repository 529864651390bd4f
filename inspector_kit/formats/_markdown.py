"""Markdown: a GitHub-flavoured table of the records, every cell literal text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from inspector_kit._records import markdown_table

from ._interface import write_text
from ._records import records_table

if TYPE_CHECKING:
    import os

__all__ = ["to_markdown", "write_markdown"]


def to_markdown(items: object) -> str:
    r"""A GitHub-flavoured Markdown table of ``to_records`` (``""`` when there are none).

    ``|`` and ``\`` are backslash-escaped and line breaks become ``<br>``, so every row
    stays one table row; cells are written as in [`to_csv`][inspector_kit.formats.to_csv] (without
    the ``'``).

    Examples:
        >>> from inspector_kit import Finding
        >>> from inspector_kit.triage import rank
        >>> from inspector_kit.testing import finding_payload
        >>> f = Finding.from_api(finding_payload(title="a|b"))
        >>> print(to_markdown(f).splitlines()[2].split(" | ")[6])
        a\|b
        >>> print(to_markdown(rank([f])).splitlines()[0][:40])
        | rank | score | severity | vulnerabilit
    """
    columns, rows = records_table(items)
    return markdown_table(columns, rows)


def write_markdown(items: object, path: str | os.PathLike[str]) -> None:
    """Write ``to_markdown`` to ``path`` (UTF-8, replaced if it exists).

    Examples:
        >>> import pathlib, tempfile
        >>> from inspector_kit.sample import sample_inventory
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "coverage.md"
        >>> write_markdown(sample_inventory().analyze(), path)
        >>> path.read_text(encoding="utf-8").startswith("| account_id | region |")
        True
    """
    write_text(to_markdown(items), path)
