"""The inspector2 service model as the loopback server reads it: routes, validation, wire form.

Everything here is derived from botocore's ``inspector2`` service model, never written by
hand: the HTTP route of each operation (``operation_model.http``), the input shape each
request body is validated against, the HTTP status of each error shape, and the output
shapes used to put timestamps in wire form (epoch seconds) before a response is written.

botocore is imported lazily, so importing [`inspector_kit.testing`][inspector_kit.testing] stays
cheap.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any

from inspector_kit.models._time import parse_timestamp

__all__ = [
    "IMPLEMENTED",
    "ServiceError",
    "error_status",
    "match_route",
    "operation_input",
    "service_model",
    "shape",
    "to_wire",
    "validate_input",
]

#: The operations the loopback server answers; any other inspector2 operation gets a
#: 501 ``NotImplementedException``.
IMPLEMENTED = frozenset(
    {
        "BatchGetAccountStatus",
        "BatchGetFindingDetails",
        "BatchGetFreeTrialInfo",  # --- cost (issue 16 §6) ---
        "BatchGetMemberEc2DeepInspectionStatus",  # --- organisations (issue 20) ---
        "CancelFindingsReport",
        "CreateFindingsReport",
        "CreateSbomExport",
        "GetConfiguration",
        "GetEc2DeepInspectionConfiguration",
        "GetFindingsReportStatus",
        "GetOnDemandScanStatus",
        "GetSbomExport",
        "ListCoverage",
        "ListCoverageStatistics",
        "ListFindingAggregations",
        "ListFindings",
        "ListMembers",
        "ListOnDemandScans",
        "ListUsageTotals",
        "StartOnDemandScan",
    }
)


# Private control flow of the loopback server: raised by a handler and caught by the
# request loop, which turns it into an AWS-shaped HTTP error response. Callers never see
# it (boto3 raises its own ClientError from the response), so it is not an
# InspectorKitError and does not live in inspector_kit.errors.
class ServiceError(Exception):
    """An error the loopback answers the way AWS would: status, code, message, extra members."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int | None = None,
        members: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = error_status(code) if status is None else status
        self.members = dict(members or {})

    @classmethod
    def validation(
        cls, message: str, *, reason: str = "OTHER", fields: list[dict[str, str]] | None = None
    ) -> ServiceError:
        """A ``ValidationException`` (400) with its ``reason`` and optional ``fields``."""
        members: dict[str, Any] = {"reason": reason}
        if fields:
            members["fields"] = fields
        return cls("ValidationException", message, members=members)

    def body(self) -> dict[str, Any]:
        """The JSON error body: ``message`` plus the shape's other members."""
        return {"message": self.message, **self.members}


@cache
def service_model() -> Any:
    """Botocore's ``inspector2`` service model (loaded once per process)."""
    import botocore.session  # type: ignore[import-untyped, unused-ignore]

    return botocore.session.get_session().get_service_model("inspector2")


def shape(name: str) -> Any:
    """A named shape of the service model."""
    return service_model().shape_for(name)


def operation_input(operation: str) -> Any:
    """The input shape of ``operation`` (``None`` when it takes none)."""
    return service_model().operation_model(operation).input_shape


@cache
def error_status(code: str) -> int:
    """The HTTP status of an error code: the model's ``error.httpStatusCode``, else 400/500."""
    try:
        error_shape = shape(code)
    except Exception:  # not a modelled error: our own codes
        return {"NotImplementedException": 501, "MissingAuthenticationTokenException": 403}.get(
            code, 400
        )
    return int(error_shape.metadata.get("error", {}).get("httpStatusCode", 400))


@cache
def _routes() -> tuple[dict[tuple[str, str], str], tuple[tuple[str, re.Pattern[str], str], ...]]:
    model = service_model()
    static: dict[tuple[str, str], str] = {}
    templated: list[tuple[str, re.Pattern[str], str]] = []
    for name in model.operation_names:
        http = model.operation_model(name).http
        method = http["method"].upper()
        uri = http["requestUri"].split("?", 1)[0]
        if "{" in uri:
            regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(uri))
            templated.append((method, re.compile(regex), name))
        else:
            static[(method, uri)] = name
    return static, tuple(templated)


def match_route(method: str, path: str) -> str | None:
    """The operation an HTTP request is for, from the model's routes (``None``: no route)."""
    path = path.split("?", 1)[0]
    static, templated = _routes()
    found = static.get((method, path))
    if found is not None:
        return found
    for verb, regex, name in templated:
        if verb == method and regex.fullmatch(path):
            return name
    return None


# ----------------------------------------------------------------------------- validation


@cache
def _pattern(text: str) -> re.Pattern[str] | None:
    try:
        return re.compile(text)
    except re.error:  # a Java-only construct: skip the check rather than reject valid input
        return None


class _Problems:
    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []
        self.unparsable = False

    def add(self, path: str, constraint: str) -> None:
        self.items.append((path, constraint))


def _join(path: str, member: str) -> str:
    return f"{path}.{member}" if path else member


def _check(model_shape: Any, value: Any, path: str, problems: _Problems) -> None:
    kind = model_shape.type_name
    meta = model_shape.metadata
    if kind == "structure":
        if not isinstance(value, dict):
            problems.unparsable = True
            problems.add(path, "Member must be a structure (JSON object)")
            return
        for name in model_shape.required_members:
            if value.get(name) is None:
                problems.add(_join(path, name), "Member must not be null")
        if meta.get("union"):
            present = [k for k, v in value.items() if v is not None]
            if len(present) != 1:
                problems.add(path, "Member must have exactly one member set")
        for name, item in value.items():
            member_shape = model_shape.members.get(name)
            if member_shape is None:
                problems.add(
                    _join(path, name), f"Member is not defined in shape {model_shape.name}"
                )
            elif item is not None:
                _check(member_shape, item, _join(path, name), problems)
    elif kind == "list":
        if not isinstance(value, list):
            problems.unparsable = True
            problems.add(path, "Member must be a list (JSON array)")
            return
        _bounds(len(value), meta, path, problems, "length")
        for index, item in enumerate(value, start=1):
            item_path = f"{path}.{index}.member"
            if item is None:
                problems.add(item_path, "Member must not be null")
            else:
                _check(model_shape.member, item, item_path, problems)
    elif kind == "map":
        if not isinstance(value, dict):
            problems.unparsable = True
            problems.add(path, "Member must be a map (JSON object)")
            return
        _bounds(len(value), meta, path, problems, "length")
        for key, item in value.items():
            _check(model_shape.key, key, f"{path}.{key}.key", problems)
            if item is not None:
                _check(model_shape.value, item, f"{path}.{key}.value", problems)
    elif kind == "string":
        if not isinstance(value, str):
            problems.unparsable = True
            problems.add(path, "Member must be a string")
            return
        enum = meta.get("enum")
        if enum and value not in enum:
            problems.add(path, f"Member must satisfy enum value set: [{', '.join(enum)}]")
        _bounds(len(value), meta, path, problems, "length")
        if "pattern" in meta:
            regex = _pattern(meta["pattern"])
            if regex is not None and not regex.fullmatch(value):
                problems.add(
                    path, f"Member must satisfy regular expression pattern: {meta['pattern']}"
                )
    elif kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.unparsable = True
            problems.add(path, "Member must be an integer")
            return
        _bounds(value, meta, path, problems, "value")
    elif kind in ("double", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.unparsable = True
            problems.add(path, "Member must be a number")
            return
        _bounds(value, meta, path, problems, "value")
    elif kind == "boolean":
        if not isinstance(value, bool):
            problems.unparsable = True
            problems.add(path, "Member must be a boolean")
    elif kind == "timestamp" and (isinstance(value, bool) or not isinstance(value, (int, float))):
        problems.unparsable = True
        problems.add(path, "Member must be a timestamp in epoch seconds")


def _bounds(
    size: float, meta: Mapping[str, Any], path: str, problems: _Problems, what: str
) -> None:
    low = meta.get("min")
    high = meta.get("max")
    if low is not None and size < low:
        problems.add(path, f"Member must have {what} greater than or equal to {low}")
    if high is not None and size > high:
        problems.add(path, f"Member must have {what} less than or equal to {high}")


def validate_input(operation: str, body: Any) -> None:
    """Validate a request body (wire form) against the operation's input shape.

    Raises ``ServiceError`` (``ValidationException``) listing every problem, in the
    message form AWS uses: ``1 validation error detected: Value at 'maxResults' failed to
    satisfy constraint: Member must have value less than or equal to 100``.
    """
    input_shape = operation_input(operation)
    problems = _Problems()
    if input_shape is None:
        if body not in ({}, None):
            problems.add("", "The operation takes no input")
    else:
        _check(input_shape, body, "", problems)
    if not problems.items:
        return
    count = len(problems.items)
    noun = "error" if count == 1 else "errors"
    parts = [
        f"Value at '{path}' failed to satisfy constraint: {constraint}"
        for path, constraint in problems.items
    ]
    raise ServiceError.validation(
        f"{count} validation {noun} detected: " + "; ".join(parts),
        reason="CANNOT_PARSE" if problems.unparsable else "FIELD_VALIDATION_FAILED",
        fields=[{"name": path, "message": constraint} for path, constraint in problems.items],
    )


# ----------------------------------------------------------------------------- wire form


def _epoch(value: Any) -> int | float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    moment = parse_timestamp(value)  # a naive datetime is UTC (the time rule: as_utc)
    seconds = moment.timestamp()
    return int(seconds) if seconds.is_integer() else round(seconds, 6)


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return _epoch(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def to_wire(model_shape: Any, value: Any) -> Any:
    """``value`` (API shape, any timestamp form) in wire form: timestamps as epoch seconds.

    Members the model does not know are kept (as plain JSON values), like ``to_api()``.
    """
    kind = model_shape.type_name
    if kind == "structure" and isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for name, item in value.items():
            if item is None:
                continue
            member_shape = model_shape.members.get(name)
            out[name] = _plain(item) if member_shape is None else to_wire(member_shape, item)
        return out
    if kind == "list" and isinstance(value, (list, tuple)):
        return [to_wire(model_shape.member, item) for item in value]
    if kind == "map" and isinstance(value, Mapping):
        return {str(k): to_wire(model_shape.value, v) for k, v in value.items()}
    if kind == "timestamp" and value is not None:
        return _epoch(value)
    return _plain(value)
