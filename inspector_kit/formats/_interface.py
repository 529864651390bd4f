"""The records protocol as ``inspector_kit.formats`` sees it, and writing a file.

The protocol ([`Records`][inspector_kit.formats.Records],
[`RecordValue`][inspector_kit.formats.RecordScalar],
[`RecordsMixin`][inspector_kit.formats.RecordsMixin]) lives in the leaf module
``inspector_kit._records``, so that result classes (the models' aggregations among them) can
implement it without importing this package; this module re-exports it for the format modules.
Dependencies run one way: every format module imports this module (and the leaf), never the reverse.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from inspector_kit._records import Records, RecordsMixin, RecordValue, check_row, header

if TYPE_CHECKING:
    import os

__all__ = ["RecordValue", "Records", "RecordsMixin", "check_row", "header", "write_text"]


def write_text(text: str, path: str | os.PathLike[str]) -> None:
    r"""Write ``text`` to ``path`` as UTF-8, line ends unchanged (replaced if it exists).

    Examples:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
        >>> write_text("a\r\nb", path)
        >>> path.read_bytes()
        b'a\r\nb'
    """
    Path(path).write_text(text, encoding="utf-8", newline="")
