"""The shapes other than Inspector's own that ``load_findings`` reads, in one registry.

Each shape (Security Hub ASFF, OCSF, ECR's image scan findings, the Inspector Scan API's
response...) is one [`ForeignShape`][inspector_kit.formats._foreign.ForeignShape]: how to
recognise one of its records, how to turn a record into the API payload of a finding (or
the reason it holds none), and, for documents that wrap their records, how to find them.
The loader asks the shapes of :data:`SHAPES` in order and knows nothing else about them,
so that a new shape is one module and one line here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

__all__ = ["SHAPES", "ForeignShape", "shape_of"]


def _deferred(module: str, name: str) -> Callable[..., Any]:
    """``module.name``, imported on the first call.

    Issue 19: a handler that reads Inspector's own findings never loads the ASFF, OCSF, ECR
    and Scan API modules.
    """
    target: Callable[..., Any] | None = None

    def call(*args: Any, **kwargs: Any) -> Any:
        nonlocal target
        if target is None:
            target = getattr(importlib.import_module(module), name)
        return target(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call


_ASFF_MODULE = "inspector_kit.formats._asff"
_OCSF_MODULE = "inspector_kit.formats._ocsf"
_SCAN_MODULE = "inspector_kit._scan_sbom"
_ECR_MODULE = "inspector_kit.formats._ecr"


def _no_items(document: Mapping[str, Any]) -> list[Any] | tuple[Any, ...] | None:
    return None


def _no_hint(keys: Sequence[str]) -> str | None:
    return None


@attrs.frozen
class ForeignShape:
    """One foreign shape of finding records.

    Attributes:
        name: What messages call it ("Security Hub ASFF").
        is_record: Whether a decoded JSON object is one record of this shape.
        to_api: A record as the API payload of an Inspector finding (``Finding.from_api``
            reads it), or a ``str``: the reason the record holds no Inspector finding
            (another product's record), which the loader lists as skipped. Raises
            ``FindingParseError`` for a record of this shape that is malformed.
        items: For a document that wraps records in a shape-specific way (beyond the
            ``findings``/``Findings`` pages the loader knows), the records it holds;
            ``None`` when ``document`` is not such a wrapper. The records returned are
            read like any other (any shape's record, or an Inspector finding payload).
        hint: Given the keys of a JSON object that is no record and holds none, a
            message saying what it looks like and what was expected; ``None`` when the
            keys say nothing of this shape.

    Examples:
        >>> from inspector_kit.formats._foreign import shape_of
        >>> shape_of({"SchemaVersion": "2018-10-08", "ProductArn": "arn:x"}).name
        'Security Hub ASFF'
        >>> shape_of({"findingArn": "arn:aws:inspector2:..."}) is None  # Inspector's own
        True
    """

    name: str
    is_record: Callable[[Mapping[str, Any]], bool]
    to_api: Callable[[Mapping[str, Any]], dict[str, Any] | str]
    items: Callable[[Mapping[str, Any]], list[Any] | tuple[Any, ...] | None] = _no_items
    hint: Callable[[Sequence[str]], str | None] = _no_hint


_ASFF_KEYS = frozenset({"Findings", "SchemaVersion", "ProductArn", "NextToken", "AwsAccountId"})


def _asff_hint(keys: Sequence[str]) -> str | None:
    if not any(k in _ASFF_KEYS for k in keys):
        return None
    return (
        "looks like Security Hub ASFF but holds no ASFF finding: expected "
        '{"Findings": [...]} or records with SchemaVersion and ProductArn'
    )


ASFF = ForeignShape(
    "Security Hub ASFF",
    _deferred(_ASFF_MODULE, "is_asff"),
    _deferred(_ASFF_MODULE, "asff_to_api"),
    hint=_asff_hint,
)
OCSF = ForeignShape(
    "OCSF",
    _deferred(_OCSF_MODULE, "is_ocsf"),
    _deferred(_OCSF_MODULE, "ocsf_to_api"),
    items=_deferred(_OCSF_MODULE, "ocsf_items"),
    hint=_deferred(_OCSF_MODULE, "ocsf_hint"),
)

#: Inspector Scan API reports (docs/facts.md#scan-api): one record per vulnerability and
#: affected component.
SCAN_SBOM = ForeignShape(
    "Inspector Scan API (ScanSbom)",
    _deferred(_SCAN_MODULE, "is_scan_sbom"),
    _deferred(_SCAN_MODULE, "scan_sbom_to_api"),
    items=_deferred(_SCAN_MODULE, "scan_sbom_items"),
    hint=_deferred(_SCAN_MODULE, "scan_sbom_hint"),
)

#: ECR's DescribeImageScanFindings output (docs/facts.md#ecr-findings).
ECR = ForeignShape(
    "ECR image scan findings",
    _deferred(_ECR_MODULE, "is_ecr_record"),
    _deferred(_ECR_MODULE, "ecr_to_api"),
    _deferred(_ECR_MODULE, "ecr_items"),
    _deferred(_ECR_MODULE, "ecr_hint"),
)

#: The foreign shapes, in the order they are tried.
SHAPES: tuple[ForeignShape, ...] = (ASFF, OCSF, SCAN_SBOM, ECR)


def shape_of(record: object) -> ForeignShape | None:
    """The foreign shape ``record`` is a record of, or ``None``.

    Examples:
        >>> shape_of({"SchemaVersion": "2018-10-08", "ProductArn": "arn:x"}).name
        'Security Hub ASFF'
    """
    if not isinstance(record, Mapping):
        return None
    for shape in SHAPES:
        if shape.is_record(record):
            return shape
    return None
