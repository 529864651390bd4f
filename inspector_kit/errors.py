"""The exceptions inspector_kit raises.

Every exception derives from one root, and from the matching builtin where one fits, so
``except ValueError`` keeps working for code that does not know about inspector_kit::

    InspectorKitError (Exception)
    ├── InputError (ValueError)            something the caller gave cannot be used
    │   ├── FindingParseError              a payload does not fit its botocore shape
    │   ├── TimestampError                 a value is not a timestamp in any accepted form
    │   ├── SourceFormatError              a file or blob is not any findings format we read
    │   │   └── SnapshotError              a history snapshot file or its header is not valid
    │   ├── SnapshotQueryError             DuckDB could not run a query over snapshots
    │   ├── CriteriaError                  a filter breaks the service model's limits (local check)
    │   ├── TriageError                    a triage value (rule, condition, deadline, weight) is bad
    │   │   ├── PolicyFileError            a triage policy file or text is not valid (every problem)
    │   │   ├── CalendarError              a bad calendar input, or a date outside the calendar
    │   │   └── TriageTypeError (TypeError)   an argument of the wrong type (a programming error)
    │   └── CoverageInputError             an input to the coverage analysis cannot be used
    │       └── CoverageTypeError (TypeError)   an argument of the wrong type (a programming error)
    ├── PartialResultError                 some regions failed; carries each region's error
    └── FetchError                         an Inspector call failed (region, operation, code)
        ├── AccessDeniedError (PermissionError)   AccessDeniedException, 401/403, bad credentials
        ├── ThrottledError                        still throttled after every retry
        ├── ServiceValidationError (ValueError)   Inspector rejected the request (400)
        ├── ServiceUnavailableError               5xx after every retry, or no connection
        ├── ConfigurationError (ValueError)       the call cannot be made as configured
        └── PaginationError                       the service repeated a page token

Expected gaps are values, not exceptions: a package with no PURL mapping gives ``None``,
and a bulk load skips a bad record and records why (see
:class:`inspector_kit.loaders.RecordError`); the single-item APIs raise.
"""

from __future__ import annotations

import reprlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

__all__ = [
    "AccessDeniedError",
    "CalendarError",
    "ConfigurationError",
    "CoverageInputError",
    "CoverageTypeError",
    "CriteriaError",
    "FetchError",
    "FindingParseError",
    "InputError",
    "InspectorKitError",
    "PaginationError",
    "PartialResultError",
    "PolicyFileError",
    "ServiceUnavailableError",
    "ServiceValidationError",
    "SnapshotError",
    "SnapshotQueryError",
    "SourceFormatError",
    "ThrottledError",
    "TimestampError",
    "TriageError",
    "TriageTypeError",
]

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


class InputError(InspectorKitError, ValueError):
    """Base of every error about input the caller gave: a value, a file, a document.

    Validation errors (a bad vector, a bad filter, a bad policy or price file, a naive or
    unparseable timestamp...) derive from it, so ``except InputError`` separates "what you
    gave me is wrong" from a failed AWS call (:class:`FetchError`). It is also a
    ``ValueError``.

    Example:
        >>> import inspector_kit
        >>> issubclass(inspector_kit.errors.CriteriaError, inspector_kit.errors.InputError)
        True
        >>> issubclass(inspector_kit.errors.InputError, ValueError)
        True
    """


class FindingParseError(InputError):
    """A payload does not fit the botocore ``Finding`` shape (or another modelled shape).

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


class TimestampError(InputError):
    """A value is not a timestamp in any form :func:`inspector_kit.models.parse_timestamp` reads.

    Raised for any input that is not one (a string in no known form, a date that does not
    exist, an epoch number out of range, ``None``, bytes, NaN...). Inside a finding, the
    decoder re-raises it as a :class:`FindingParseError` naming the field path.

    Attributes:
        value: The value that was not a timestamp (``None`` until the parser sets it).

    Example:
        >>> from inspector_kit.errors import TimestampError
        >>> from inspector_kit.models import parse_timestamp
        >>> try:
        ...     parse_timestamp("2024-02-30")
        ... except TimestampError as exc:
        ...     print(exc, "|", exc.value, "|", isinstance(exc, ValueError))
        day is out of range for month | 2024-02-30 | True
    """

    def __init__(self, reason: str, value: Any = None) -> None:
        self.reason = reason
        self.value = value
        super().__init__(reason)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.reason, self.value))


class SourceFormatError(InputError):
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


class SnapshotError(SourceFormatError):
    """A history snapshot file is not readable, or its header holds a bad value.

    Raised by :meth:`inspector_kit.history.Snapshot.load` (and :func:`~inspector_kit.history.query`
    for a file that is not Parquet) for an empty, truncated or corrupt file, a file that is
    not Parquet or JSON Lines, and a header (metadata) value of the wrong type or missing.
    A bad *finding* inside a readable snapshot is not this error: it is reported in
    ``Snapshot.errors`` and the rest of the file is loaded. A :class:`SourceFormatError`,
    so ``except SourceFormatError`` (and ``except ValueError``) catch it too.

    Attributes:
        source: The file.
        field: The header (metadata) field or Parquet column at fault (``regions``,
            ``regions[2]``, ``taken_at``, column ``finding``), or ``None`` for the file as a whole.
        line: 1-based line of the problem in a JSON Lines file, where known.

    Example:
        >>> from inspector_kit.errors import SnapshotError
        >>> err = SnapshotError("expected a list of strings, got str", source="w45.jsonl",
        ...                     field="regions", line=1)
        >>> print(err)
        w45.jsonl, line 1: regions: expected a list of strings, got str
    """

    def __init__(
        self, message: str, *, source: str, field: str | None = None, line: int | None = None
    ) -> None:
        super().__init__(message, source=source, line=line)
        self.field = field

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}, line {self.line}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_snapshot_error, (self.message, self.source, self.field, self.line))


def _rebuild_snapshot_error(
    message: str, source: str, field: str | None, line: int | None
) -> SnapshotError:
    return SnapshotError(message, source=source, field=field, line=line)


class SnapshotQueryError(InputError):
    """DuckDB could not run a query over snapshots (:func:`inspector_kit.history.query`).

    Raised for a query DuckDB rejects (syntax, an unknown column or function) and for a
    file it cannot read; DuckDB's own exception is the ``__cause__``.

    Attributes:
        reason: What DuckDB said.
        sql: The query.
        files: The Parquet files queried.

    Example:
        >>> from inspector_kit.errors import SnapshotQueryError
        >>> err = SnapshotQueryError("Parser Error: syntax error at or near 'SELEC'",
        ...                          sql="SELEC 1", files=("w45.parquet", "w46.parquet"))
        >>> print(err)
        query 'SELEC 1' over w45.parquet, w46.parquet: Parser Error: syntax error at or near 'SELEC'
    """

    def __init__(self, reason: str, *, sql: str, files: Sequence[str] = ()) -> None:
        self.reason = reason
        self.sql = sql
        self.files: tuple[str, ...] = tuple(files)
        super().__init__(reason)

    def __str__(self) -> str:
        shown = ", ".join(self.files[:3])
        if len(self.files) > 3:
            shown += f" and {len(self.files) - 3} more"
        return f"query {_short_repr(self.sql)} over {shown or 'no files'}: {self.reason}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_snapshot_query_error, (self.reason, self.sql, self.files))


def _rebuild_snapshot_query_error(
    reason: str, sql: str, files: Sequence[str]
) -> SnapshotQueryError:
    return SnapshotQueryError(reason, sql=sql, files=files)


class CriteriaError(InputError):
    """A filter breaks a limit of the service model, found before any request is sent.

    Attributes:
        path: Where, in API member names (``severity[10]``, ``inspectorScore[0].lowerInclusive``).
        reason: What was wrong.

    Example:
        >>> from inspector_kit import CriteriaError
        >>> err = CriteriaError("at most 10 filters per criterion, got 11", path="severity")
        >>> print(err)
        severity: at most 10 filters per criterion, got 11
    """

    def __init__(self, reason: str, *, path: str = "") -> None:
        self.reason = reason
        self.path = path
        super().__init__(reason)

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" if self.path else self.reason

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_criteria_error, (self.reason, self.path))


def _rebuild_criteria_error(reason: str, path: str) -> CriteriaError:
    return CriteriaError(reason, path=path)


class FetchError(InspectorKitError):
    """An Amazon Inspector call failed (after botocore's retries, where retrying applies).

    Every fetch error names where it happened, so a multi-region run can say which region
    failed and why; ``__cause__`` holds botocore's own exception.

    Attributes:
        message: What AWS (or the connection) said.
        region: The AWS region of the call.
        operation: The API operation, e.g. ``ListFindings``.
        code: The AWS error code (``AccessDeniedException``), or a local one such as
            ``EndpointConnectionError``.
        account: The AWS account when known, else ``None``.
        status: The HTTP status when there was a response, else ``None``.

    Example:
        >>> from inspector_kit import AccessDeniedError, FetchError
        >>> err = AccessDeniedError("not authorized", region="eu-west-1",
        ...                         operation="ListFindings", code="AccessDeniedException")
        >>> isinstance(err, FetchError) and isinstance(err, PermissionError)
        True
        >>> print(err)
        eu-west-1 ListFindings: AccessDeniedException: not authorized
    """

    def __init__(
        self,
        message: str,
        *,
        region: str | None = None,
        operation: str | None = None,
        code: str | None = None,
        account: str | None = None,
        status: int | None = None,
    ) -> None:
        self.message = message
        self.region = region
        self.operation = operation
        self.code = code
        self.account = account
        self.status = status
        super().__init__(message)

    def __str__(self) -> str:
        where = " ".join(p for p in (self.region, self.account, self.operation) if p)
        what = f"{self.code}: {self.message}" if self.code else self.message
        return f"{where}: {what}" if where else what

    def __reduce__(self) -> tuple[Any, ...]:
        state = {
            "region": self.region,
            "operation": self.operation,
            "code": self.code,
            "account": self.account,
            "status": self.status,
        }
        return (_rebuild_fetch_error, (type(self), self.message, state))


def _rebuild_fetch_error(cls: type[FetchError], message: str, state: dict[str, Any]) -> FetchError:
    return cls(message, **state)


class AccessDeniedError(FetchError, PermissionError):
    """Inspector refused the call: missing IAM permission, SCP, or invalid credentials.

    Never read as "no findings". ``code`` tells which (``AccessDeniedException``,
    ``UnrecognizedClientException``, ``NoCredentialsError``, ...).

    Example:
        >>> from inspector_kit import AccessDeniedError
        >>> issubclass(AccessDeniedError, PermissionError)
        True
    """


class ThrottledError(FetchError):
    """Inspector was still throttling the call after every retry botocore was allowed.

    Example:
        >>> from inspector_kit import FetchError, ThrottledError
        >>> issubclass(ThrottledError, FetchError)
        True
    """


class ServiceValidationError(FetchError, ValueError):
    """Inspector rejected the request as invalid (``ValidationException`` and other 4xx).

    Example:
        >>> from inspector_kit import ServiceValidationError
        >>> issubclass(ServiceValidationError, ValueError)
        True
    """


class ServiceUnavailableError(FetchError):
    """A server error (5xx) after every retry, a timeout, or no connection to the endpoint.

    Example:
        >>> from inspector_kit import ServiceUnavailableError
        >>> err = ServiceUnavailableError("boom", code="InternalServerException")
        >>> err.code
        'InternalServerException'
    """


class ConfigurationError(FetchError, ValueError):
    """The call cannot be made as configured, so it was not retried.

    An endpoint URL botocore cannot send to (an unsupported scheme such as ``ftp://``, a
    malformed host), TLS verification failing, invalid proxy settings: nothing changes
    between attempts, so the error is raised at once instead of after a round of retries.
    Raised by :class:`~inspector_kit.Inspector` itself for an ``endpoint_url`` it can
    check, and per region for one that botocore reads from the environment.

    Example:
        >>> from inspector_kit import ConfigurationError, Inspector
        >>> try:
        ...     Inspector(regions=["us-east-1"], endpoint_url="ftp://127.0.0.1:21")
        ... except ConfigurationError as exc:
        ...     print(exc.code, isinstance(exc, ValueError))
        EndpointURL True
    """


class PaginationError(FetchError):
    """The service handed back a page token it had already given: paging stopped.

    Raised instead of looping for ever (a known fault of paginated AWS APIs); the results
    before the repeat were delivered.

    Example:
        >>> from inspector_kit import PaginationError
        >>> print(PaginationError("token repeated after 3 pages", region="us-east-1",
        ...                       operation="ListFindings", code="RepeatedNextToken"))
        us-east-1 ListFindings: RepeatedNextToken: token repeated after 3 pages
    """


class PartialResultError(InspectorKitError):
    """Some regions failed while the others completed; raised by ``raise_for_errors()``.

    Attributes:
        errors: Region -> the :class:`FetchError` (or other InspectorKitError) that ended it.
        item_errors: Results that could not be decoded (each names its region, page and
            field path), when there were any.

    Example:
        >>> from inspector_kit import AccessDeniedError, PartialResultError
        >>> denied = AccessDeniedError("no", region="eu-west-1", code="AccessDeniedException")
        >>> err = PartialResultError({"eu-west-1": denied})
        >>> print(err)
        1 region failed: eu-west-1 (AccessDeniedException: no)
        >>> err.errors["eu-west-1"] is denied
        True
    """

    def __init__(
        self, errors: Mapping[str, InspectorKitError], *, item_errors: Sequence[Any] = ()
    ) -> None:
        self.errors: dict[str, InspectorKitError] = dict(errors)
        self.item_errors: tuple[Any, ...] = tuple(item_errors)
        super().__init__(self._summary())

    def _summary(self) -> str:
        n = len(self.errors)
        bad = ""
        if self.item_errors:
            first = self.item_errors[0]
            bad = f"{len(self.item_errors)} results could not be decoded (first: {first})"
            if not n:
                return bad
            bad = "; " + bad
        parts = []
        for region, err in sorted(self.errors.items()):
            code = getattr(err, "code", None)
            detail = getattr(err, "message", None) or str(err)
            parts.append(f"{region} ({code}: {detail})" if code else f"{region} ({detail})")
        noun = "region" if n == 1 else "regions"
        return f"{n} {noun} failed: " + "; ".join(parts) + bad

    def __str__(self) -> str:
        return self._summary()

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_partial, (self.errors, self.item_errors))


def _rebuild_partial(
    errors: Mapping[str, InspectorKitError], item_errors: Sequence[Any]
) -> PartialResultError:
    return PartialResultError(errors, item_errors=item_errors)


# --- triage and coverage ---

#: How many problems a PolicyFileError's message lists (``problems`` holds them all).
_MAX_LISTED_PROBLEMS = 100


class TriageError(InputError):
    """A triage value is not valid: a rule, condition, deadline, weight or option.

    Raised by the constructors of :mod:`inspector_kit.triage` values (an unknown severity
    in a :class:`~inspector_kit.triage.Condition`, a deadline out of bounds, two rules of
    one name, a negative weight...). Policy files report their problems as
    :class:`PolicyFileError`, calendars as :class:`CalendarError`; both derive from it.

    Example:
        >>> from inspector_kit.errors import TriageError
        >>> from inspector_kit.triage import Deadline
        >>> try:
        ...     Deadline.business_days(-1)
        ... except TriageError as exc:
        ...     print(exc, "|", isinstance(exc, ValueError))
        business_days needs n >= 0, got -1 | True
    """


class PolicyFileError(TriageError):
    """A triage policy file (or YAML text) is not valid; ``problems`` lists every problem.

    Each problem names the source, the line and the field path. Also raised for a file
    that is missing, unreadable, a directory, too large or not UTF-8.

    Attributes:
        source: The file's name (or ``<policy>`` for text).
        problems: Every problem, in file order.

    Example:
        >>> from inspector_kit.errors import PolicyFileError
        >>> from inspector_kit.triage import TriagePolicy
        >>> try:
        ...     TriagePolicy.from_yaml("rules: 3", source="policy.yaml")
        ... except PolicyFileError as err:
        ...     print(err.problems[0])
        policy.yaml line 1: rules must be a list of rules, got 3
    """

    def __init__(self, source: str, problems: Iterable[str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{source}: {count} problem{'s' if count != 1 else ''} in the triage policy"
        listed = list(self.problems[:_MAX_LISTED_PROBLEMS])
        if count > _MAX_LISTED_PROBLEMS:
            listed.append(f"... and {count - _MAX_LISTED_PROBLEMS} more (see .problems)")
        super().__init__("\n  ".join((head, *listed)))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.source, self.problems))


class CalendarError(TriageError):
    """A calendar input is not valid, or a date falls outside the calendar.

    Raised for an unknown country, subdivision or time zone, a bad weekend or extra
    holiday, a naive datetime, and for dates past 9999-12-31 or before 0001-01-01
    (Python's ``date`` range).

    Example:
        >>> from inspector_kit.errors import CalendarError
        >>> from inspector_kit.triage import BusinessCalendar
        >>> try:
        ...     BusinessCalendar("XX")
        ... except CalendarError as err:
        ...     print(err)
        unknown country 'XX'; valid codes: holidays.list_supported_countries() ...
    """


class TriageTypeError(TriageError, TypeError):
    """A triage or calendar argument of the wrong type: a programming error.

    Also a ``TypeError`` (and, as every :class:`InputError`, a ``ValueError``).

    Example:
        >>> from datetime import datetime, timezone
        >>> from inspector_kit.errors import TriageTypeError
        >>> from inspector_kit.triage import BusinessCalendar
        >>> try:
        ...     BusinessCalendar("JP").is_business_day(datetime(2026, 5, 1, tzinfo=timezone.utc))
        ... except TypeError as err:
        ...     print(type(err).__name__)
        TriageTypeError
    """


class CoverageInputError(InputError):
    """An input to the coverage analysis cannot be used.

    Raised by the coverage values (:class:`~inspector_kit.coverage.Ec2Instance`,
    :class:`~inspector_kit.coverage.Volume`...) for a bad field, and by
    :func:`~inspector_kit.coverage.analyze` for a naive ``now``; a bad item inside a batch
    is recorded in ``report.errors`` as this error and the rest of the batch is analysed.

    Example:
        >>> from datetime import datetime, timezone
        >>> from inspector_kit.coverage import analyze
        >>> r = analyze(["i-1"], configuration="EC2_HYBRID",
        ...             now=datetime(2026, 11, 22, tzinfo=timezone.utc))
        >>> len(r), str(r.errors[0])
        (0, 'instances[0]: expected an Ec2Instance, got str')
    """


class CoverageTypeError(CoverageInputError, TypeError):
    """A coverage argument of the wrong type: a programming error (also a ``TypeError``).

    Example:
        >>> from inspector_kit.coverage import DeepInspectionSettings
        >>> try:
        ...     DeepInspectionSettings(activated=True, package_paths="/opt/app")
        ... except TypeError as err:
        ...     print(type(err).__name__, "|", err)
        CoverageTypeError | paths must be a sequence of strings, not one string: '/opt/app'
    """
