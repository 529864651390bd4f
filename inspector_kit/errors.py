"""The exceptions inspector_kit raises.

Every exception derives from one root, and from the matching builtin where one fits, so
``except ValueError`` keeps working for code that does not know about inspector_kit::

    InspectorKitError (Exception)
    ├── FindingParseError (ValueError)   a payload does not fit the Finding shape
    └── SourceFormatError (ValueError)   a file or blob is not any findings format we read

Expected gaps are values, not exceptions: a package with no PURL mapping gives ``None``,
and a bulk load skips a bad record and records why (see
:class:`inspector_kit.loaders.RecordError`); the single-item APIs raise.
"""

from __future__ import annotations

import reprlib
from typing import Any

__all__ = ["FindingParseError", "InspectorKitError", "SourceFormatError"]

_MAX_VALUE_REPR = 120

# Messages show a bounded repr: a payload can be huge or absurdly nested, and the message
# must render whatever it holds. The full value stays on the exception.
_REPR = reprlib.Repr()
_REPR.maxlevel = 3
_REPR.maxstring = _MAX_VALUE_REPR
_REPR.maxother = _MAX_VALUE_REPR
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 6


def _short_repr(value: Any) -> str:
    text = _REPR.repr(value)
    if len(text) > _MAX_VALUE_REPR:
        text = text[: _MAX_VALUE_REPR - 3] + "..."
    return text


class InspectorKitError(Exception):
    """Root of every exception raised by inspector_kit.

    Example:
        >>> import inspector_kit
        >>> issubclass(inspector_kit.FindingParseError, inspector_kit.InspectorKitError)
        True
    """


class FindingParseError(InspectorKitError, ValueError):
    """A payload does not fit the botocore ``Finding`` shape.

    The error names the field path (``resources[0].details.awsEc2Instance.launchedAt``),
    the offending value and the reason. ``path`` uses the API (camelCase) member names, so
    it can be looked up in the Inspector API reference directly.

    Attributes:
        path: Dotted path of the offending field from the root of the payload; ``""`` for
            the root itself.
        value: The offending value (the whole payload when the root is wrong).
        reason: What was wrong, without the path.

    Example:
        >>> from inspector_kit import Finding, FindingParseError
        >>> try:
        ...     Finding.from_api({"findingArn": 42})
        ... except FindingParseError as exc:
        ...     print(exc.path, "->", exc.reason)
        findingArn -> expected a string, got int
    """

    def __init__(self, reason: str, value: Any, path: str = "") -> None:
        self.reason = reason
        self.value = value
        self._segments: list[str] = [path] if path else []
        super().__init__(reason)

    @property
    def path(self) -> str:
        """The dotted field path, e.g. ``resources[0].details.awsEc2Instance.launchedAt``."""
        out = ""
        for segment in self._segments:
            if segment.startswith("[") or not out:
                out += segment
            else:
                out += "." + segment
        return out

    def _prepend(self, segment: str) -> None:
        """Add an outer path segment (a member name or ``[index]``) while unwinding."""
        self._segments.insert(0, segment)

    def __str__(self) -> str:
        where = self.path or "<root>"
        return f"{where}: {self.reason} (value: {_short_repr(self.value)})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.reason, self.value, self.path))


class SourceFormatError(InspectorKitError, ValueError):
    """A source handed to :func:`inspector_kit.load_findings` cannot be read at all.

    Raised for sources that are not JSON, not UTF-8, or JSON of a shape that holds no
    findings. A bad *record* inside a readable source is not this error: it is reported
    per record and the rest of the batch goes on.

    Attributes:
        source: A description of the source (its path, or ``<bytes>``/``<file>``).
        line: 1-based line of the problem where known, else ``None``.

    Example:
        >>> from inspector_kit import SourceFormatError, load_findings
        >>> try:
        ...     list(load_findings(b'{"hello": "world"}'))
        ... except SourceFormatError as exc:
        ...     print(exc)
        <bytes>, line 1: a JSON object with keys ['hello'] is not a ListFindings page, ...
    """

    def __init__(self, message: str, *, source: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}, line {self.line}"
        return f"{where}: {self.message}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_source_format_error, (self.message, self.source, self.line))


def _rebuild_source_format_error(message: str, source: str, line: int | None) -> SourceFormatError:
    return SourceFormatError(message, source=source, line=line)
