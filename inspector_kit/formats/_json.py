"""JSON and JSON Lines: findings in their API shape, any other result as its records."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from inspector_kit.models import Finding

from ._interface import write_text
from ._records import convertible, to_records
from ._values import _api_default, _json_default

if TYPE_CHECKING:
    import os

__all__ = ["to_json", "to_jsonl", "write_json", "write_jsonl"]


def _payloads(items: object) -> tuple[list[dict[str, Any]], bool]:
    """The API payloads when ``items`` is findings only, else records; and which it is."""
    if isinstance(items, Finding):
        return [items.to_api()], True
    plain = isinstance(items, str | bytes | bytearray | Mapping)
    if convertible(items) or plain or not isinstance(items, Iterable):
        return list(to_records(items)), False
    listed = list(items)  # read once: the iterable may be a one-shot stream
    if listed and all(isinstance(item, Finding) for item in listed):
        return [item.to_api() for item in listed], True
    return list(to_records(listed)), False


def to_json(items: object) -> str:
    """A JSON array: findings in their API shape, anything else as ``to_records``.

    When every item is a [`Finding`][inspector_kit.models.Finding] (or ``items`` is one), each is
    ``Finding.to_api()`` with RFC 3339 UTC timestamps, so
    [`load_findings`][inspector_kit.loaders.load_findings] reads the output back to equal findings.
    Other items give their records: datetimes and dates as ISO 8601, ``Decimal`` as a string
    (exact), ``None`` as ``null``.

    Examples:
        >>> from inspector_kit import Finding, load_findings
        >>> from inspector_kit.testing import finding_payload
        >>> f = Finding.from_api(finding_payload())
        >>> list(load_findings(to_json([f]))) == [f]
        True
        >>> from inspector_kit.pricing import Usage, estimate
        >>> to_json(estimate(Usage(agent_based_hours=720), region="us-east-1"))[:60]
        '[{"region": "us-east-1", "item": "ec2_agent_based", "quantit'
    """
    payloads, api = _payloads(items)
    return json.dumps(payloads, default=_api_default if api else _json_default)


def to_jsonl(items: object) -> str:
    r"""JSON Lines: one object per line (each line ends with ``\n``), as ``to_json``.

    Examples:
        >>> from inspector_kit import Finding, load_findings
        >>> from inspector_kit.testing import finding_payload
        >>> f = Finding.from_api(finding_payload())
        >>> text = to_jsonl([f, f])
        >>> text.count("\n"), list(load_findings(text)) == [f, f]
        (2, True)
        >>> to_jsonl([])
        ''
    """
    payloads, api = _payloads(items)
    default = _api_default if api else _json_default
    return "".join(json.dumps(p, default=default) + "\n" for p in payloads)


def write_json(items: object, path: str | os.PathLike[str]) -> None:
    """Write [`to_json`][inspector_kit.formats.to_json] to ``path`` (UTF-8, replaced if it exists).

    Examples:
        >>> import pathlib, tempfile
        >>> from inspector_kit import load_findings, sample_findings
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "findings.json"
        >>> write_json(sample_findings(), path)
        >>> len(list(load_findings(path)))
        274
    """
    write_text(to_json(items), path)


def write_jsonl(items: object, path: str | os.PathLike[str]) -> None:
    """Write [to_jsonl][inspector_kit.formats.to_jsonl] to ``path`` (UTF-8, replaced if it exists).

    Examples:
        >>> import pathlib, tempfile
        >>> from inspector_kit import load_findings, sample_findings
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "findings.jsonl"
        >>> write_jsonl(sample_findings(), path)
        >>> len(list(load_findings(path)))
        274
    """
    write_text(to_jsonl(items), path)
