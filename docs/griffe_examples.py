"""Griffe extension for the API reference: every runnable example renders as code.

griffe's google parser knows ``Examples:`` as a section (its ``>>>`` blocks become code) but
not the singular ``Example:``, which it reads as an admonition whose body is markdown: ``>>>``
turns into nested blockquotes and doctest output such as ``['a', 'b']`` into reference links.
A ``>>>`` block outside any section (after ``Raises:``, say) is markdown too. Before a
docstring is parsed, this extension renames ``Example:`` to ``Examples:`` and puts a bare
``>>>`` block under an ``Examples:`` header, so the reference is right whichever spelling a
docstring uses (``/work/notes/rewrite_docstrings.py`` makes the same change in the sources).
Configured in mkdocs.yml under the python handler's ``extensions``.
"""

from __future__ import annotations

import re
from typing import Any

from griffe import Extension

_EXAMPLE = re.compile(r"^Example:[ \t]*$", re.MULTILINE)


def fix_examples(text: str) -> str:
    r"""The docstring with ``Example:`` sections and bare ``>>>`` blocks as ``Examples:``.

    Examples:
        >>> fix_examples("Sum.\n\nExample:\n    >>> 1 + 1\n    2").splitlines()
        ['Sum.', '', 'Examples:', '    >>> 1 + 1', '    2']
        >>> fix_examples("Sum.\n\n>>> 1 + 1\n2\n\nMore.").splitlines()
        ['Sum.', '', 'Examples:', '    >>> 1 + 1', '    2', '', 'More.']
    """
    text = _EXAMPLE.sub("Examples:", text)
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        starts_block = line.startswith(">>>") and (i == 0 or not lines[i - 1].strip())
        if not starts_block:
            out.append(line)
            i += 1
            continue
        out.append("Examples:")
        while i < len(lines):
            cur = lines[i]
            if not cur.strip():
                if i + 1 < len(lines) and lines[i + 1].startswith(">>>"):
                    out.append("")
                    i += 1
                    continue
                break
            out.append("    " + cur)
            i += 1
    return "\n".join(out)


class ExampleSections(Extension):
    """Rewrite each docstring's examples before griffe parses it."""

    def on_instance(self, *, obj: Any, **kwargs: Any) -> None:
        """Called for every object griffe loads."""
        docstring = getattr(obj, "docstring", None)
        if docstring is not None and ">>>" in docstring.value:
            docstring.value = fix_examples(docstring.value)
