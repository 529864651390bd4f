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
    │   │   ├── QueryParameterError        a named query's name or parameters cannot be used
    │   │   └── EngineQueryError           Athena or Spark could not run a query (engine, reason)
    │   │       └── EngineTimeoutError     an Athena query still ran at the timeout
    │   ├── SnapshotNotFoundError (LookupError)   no committed snapshot of a dataset has that id
    │   ├── CriteriaError                  a filter breaks the service model's limits (local check)
    │   ├── PriceError                     a price, currency, source or usage item cannot be used
    │   │   └── PriceTypeError (TypeError) a float amount (money is exact), not a Price
    │   ├── PriceFileError                 a price file has problems (all listed, with lines/keys)
    │   ├── UsageError                     a usage quantity or free-trial length cannot be used
    │   ├── DatasetError                   a loopback dataset cannot be built from what was given
    │   ├── FetchOptionError               an option of the fetch layer cannot be used (regions...)
    │   ├── RecordsError (TypeError)       a value cannot be turned into records (formats)
    │   ├── AsffRecordTooLargeError        an ASFF record is over BatchImportFindings' size limit
    │   ├── SnapshotCriteriaError (TypeError)   criteria a snapshot cannot save
    │   ├── InvalidVectorError             a CVSS vector (or a change to one) is not valid
    │   ├── SbomFormatError                a document is not a CycloneDX SBOM we can read
    │   ├── InvalidArgumentError           an argument's value is not one the function accepts
    │   │   └── InvalidArgumentTypeError (TypeError)   ... nor of a type it takes
    │   ├── TriageError                    a triage value (rule, condition, deadline, weight) is bad
    │   │   ├── PolicyFileError            a triage policy file or text is not valid (every problem)
    │   │   ├── CalendarError              a bad calendar input, or a date outside the calendar
    │   │   ├── ReviewLogError             a review log file or text is not valid (every problem)
    │   │   └── TriageTypeError (TypeError)   an argument of the wrong type (a programming error)
    │   ├── CoverageInputError             an input to the coverage analysis cannot be used
    │   │   └── CoverageTypeError (TypeError)   an argument of the wrong type (a programming error)
    │   └── AccountDirectoryError          an account directory or a grouping cannot be used
    │       └── AccountsFileError          an accounts file is not valid (names the file and line)
    ├── PriceNotFoundError (LookupError)   no known price for an item in a region (never guessed)
    ├── MissingExtraError (ImportError)    an optional dependency (an extra) is not installed
    ├── PartialResultError                 some regions failed; carries each region's error
    ├── CriteriaUsageError (TypeError)     a criteria method called the wrong way (a bug)
    ├── OutputError                        the command's output could not be written (CLI)
    ├── SnapshotStorageError (OSError)     a snapshot dataset's folder or bucket cannot be used
    │   └── SnapshotStoragePermissionError (PermissionError)   access to it was denied
    ├── SnapshotWriterError (RuntimeError)   a dataset writer used after it was closed
    └── FetchError                         an Inspector call failed (region, operation, code)
        ├── AccessDeniedError (PermissionError)   AccessDeniedException, 401/403, bad credentials
        │   └── AssumeRoleError                   a member (or hub) role could not be assumed
        ├── ThrottledError                        still throttled after every retry
        ├── ServiceValidationError (ValueError)   Inspector rejected the request (400)
        ├── ServiceUnavailableError               5xx after every retry, or no connection
        ├── ConfigurationError (ValueError)       the call cannot be made as configured
        ├── PaginationError                       the service repeated a page token
        ├── ExportFailedError                     a findings report or SBOM export FAILED
        ├── ExportInProgressError                 another findings report is running
        ├── ExportTimeoutError                    an export was still IN_PROGRESS at the timeout
        ├── OnDemandScanFailedError               an on-demand AMI scan ended FAILED
        ├── OnDemandScanTimeoutError              an on-demand AMI scan still ran at the timeout
        ├── OrganizationsError                    an AWS Organizations call failed
        └── InspectorNotEnabledError              Inspector is not ENABLED for an account/region

Expected gaps are values, not exceptions: a package with no PURL mapping gives ``None``,
and a bulk load skips a bad record and records why (see
[`RecordIssue`][inspector_kit.loaders.RecordIssue]); the single-item APIs raise.
"""

from __future__ import annotations

import errno
import os
import reprlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

__all__ = [
    "AccessDeniedError",
    "AccountDirectoryError",
    "AccountsFileError",
    "AsffRecordTooLargeError",
    "AssumeRoleError",
    "CalendarError",
    "ConfigurationError",
    "CoverageInputError",
    "CoverageTypeError",
    "CriteriaError",
    "CriteriaUsageError",
    "DatasetError",
    "EngineQueryError",
    "EngineTimeoutError",
    "ExportFailedError",
    "ExportInProgressError",
    "ExportTimeoutError",
    "FetchError",
    "FetchOptionError",
    "FindingParseError",
    "InputError",
    "InspectorKitError",
    "InspectorNotEnabledError",
    "InvalidArgumentError",
    "InvalidArgumentTypeError",
    "InvalidVectorError",
    "MissingExtraError",
    "OnDemandScanFailedError",
    "OnDemandScanTimeoutError",
    "OrganizationsError",
    "OutputError",
    "PaginationError",
    "PartialResultError",
    "PolicyFileError",
    "PriceError",
    "PriceFileError",
    "PriceNotFoundError",
    "PriceTypeError",
    "QueryParameterError",
    "RecordsError",
    "ReviewLogError",
    "SbomFormatError",
    "ServiceUnavailableError",
    "ServiceValidationError",
    "SnapshotCriteriaError",
    "SnapshotError",
    "SnapshotNotFoundError",
    "SnapshotQueryError",
    "SnapshotStorageError",
    "SnapshotStoragePermissionError",
    "SnapshotWriterError",
    "SourceFormatError",
    "ThrottledError",
    "TimestampError",
    "TriageError",
    "TriageTypeError",
    "UsageError",
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

    Examples:
        >>> import inspector_kit
        >>> issubclass(inspector_kit.FindingParseError, inspector_kit.InspectorKitError)
        True
    """


class InputError(InspectorKitError, ValueError):
    """Base of every error about input the caller gave: a value, a file, a document.

    Validation errors (a bad vector, a bad filter, a bad policy or price file, a naive or
    unparseable timestamp...) derive from it, so ``except InputError`` separates "what you
    gave me is wrong" from a failed AWS call ([`FetchError`][inspector_kit.errors.FetchError]). It
    is also a ``ValueError``.

    Examples:
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

    Examples:
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
    """A value is not a timestamp in any form ``parse_timestamp`` reads.

    Raised for any input that is not one (a string in no known form, a date that does not
    exist, an epoch number out of range, ``None``, bytes, NaN...). Inside a finding, the
    decoder re-raises it as a [`FindingParseError`][inspector_kit.errors.FindingParseError] naming
    the field path.

    Attributes:
        value: The value that was not a timestamp (``None`` until the parser sets it).

    Examples:
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
    """A source handed to ``load_findings`` cannot be read at all.

    Raised for sources that are not JSON, not UTF-8, or JSON of a shape that holds no
    findings. A bad *record* inside a readable source is not this error: it is reported
    per record and the rest of the batch goes on.

    Attributes:
        source: A description of the source (its path, or ``<bytes>``/``<file>``).
        line: 1-based line of the problem where known, else ``None``.

    Examples:
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

    Raised by [`Snapshot.load`][inspector_kit.history.Snapshot.load] (and
    [`query`][inspector_kit.history.query] for a file that is not Parquet) for an empty, truncated
    or corrupt file, a file that is not Parquet or JSON Lines, and a header (metadata) value of the
    wrong type or missing. A bad *finding* inside a readable snapshot is not this error: it is
    reported in ``Snapshot.errors`` and the rest of the file is loaded. A
    [`SourceFormatError`][inspector_kit.errors.SourceFormatError], so ``except SourceFormatError``
    (and ``except ValueError``) catch it too.

    Attributes:
        source: The file.
        field: The header (metadata) field or Parquet column at fault (``regions``,
            ``regions[2]``, ``taken_at``, column ``finding``), or ``None`` for the file as a whole.
        line: 1-based line of the problem in a JSON Lines file, where known.

    Examples:
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
    """DuckDB could not run a query over snapshots ([`query`][inspector_kit.history.query]).

    Raised for a query DuckDB rejects (syntax, an unknown column or function) and for a
    file it cannot read; DuckDB's own exception is the ``__cause__``.

    Attributes:
        reason: What DuckDB said.
        sql: The query.
        files: The Parquet files queried.

    Examples:
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

    Examples:
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

    Examples:
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

    Examples:
        >>> from inspector_kit import AccessDeniedError
        >>> issubclass(AccessDeniedError, PermissionError)
        True
    """


class ThrottledError(FetchError):
    """Inspector was still throttling the call after every retry botocore was allowed.

    Examples:
        >>> from inspector_kit import FetchError, ThrottledError
        >>> issubclass(ThrottledError, FetchError)
        True
    """


class ServiceValidationError(FetchError, ValueError):
    """Inspector rejected the request as invalid (``ValidationException`` and other 4xx).

    Examples:
        >>> from inspector_kit import ServiceValidationError
        >>> issubclass(ServiceValidationError, ValueError)
        True
    """


class ServiceUnavailableError(FetchError):
    """A server error (5xx) after every retry, a timeout, or no connection to the endpoint.

    Examples:
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
    Raised by [`Inspector`][inspector_kit.fetch.Inspector] itself for an ``endpoint_url`` it can
    check, and per region for one that botocore reads from the environment.

    Examples:
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

    Examples:
        >>> from inspector_kit import PaginationError
        >>> print(PaginationError("token repeated after 3 pages", region="us-east-1",
        ...                       operation="ListFindings", code="RepeatedNextToken"))
        us-east-1 ListFindings: RepeatedNextToken: token repeated after 3 pages
    """


class PartialResultError(InspectorKitError):
    """Some regions failed while the others completed; raised by ``raise_for_errors()``.

    Attributes:
        errors: Region -> the [`FetchError`][inspector_kit.errors.FetchError] (or other
            InspectorKitError) that ended it.
        item_errors: Results that could not be decoded (each names its region, page and
            field path), when there were any.

    Examples:
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


# --- criteria ---


class CriteriaUsageError(InspectorKitError, TypeError):
    """A criteria method was called the wrong way: a programming error, not a bad value.

    Raised for a criterion name that does not exist (``where(sevrity=...)``) and for
    combining criteria of different operations (``FindingCriteria`` with
    ``CoverageCriteria``). It is a ``TypeError``, as Python's own error for an unknown
    keyword argument is; a bad filter value is a
    [`CriteriaError`][inspector_kit.errors.CriteriaError] instead.

    Examples:
        >>> from inspector_kit import FindingCriteria
        >>> try:
        ...     FindingCriteria().where(sevrity="HIGH")
        ... except TypeError as exc:
        ...     print(type(exc).__name__, exc)
        CriteriaUsageError FindingCriteria has no criterion 'sevrity' (did you mean 'severity'?)
    """


# --- pricing ---

#: How many problems a PriceFileError's message lists (``problems`` holds them all).
_MAX_PRICE_PROBLEMS_LISTED = 100


class PriceNotFoundError(InspectorKitError, LookupError):
    """No known price for an item in a region: never guessed, never borrowed.

    Attributes:
        region: The region asked for.
        item: The usage item asked for (an ``inspector_kit.pricing.UsageItem`` or its value).

    Examples:
        >>> from inspector_kit.errors import PriceNotFoundError
        >>> str(PriceNotFoundError("eu-west-1", "ec2_agentless"))  # doctest: +ELLIPSIS
        'no price for ec2_agentless in eu-west-1: ...'
        >>> isinstance(PriceNotFoundError("eu-west-1", "ec2_agentless"), LookupError)
        True
    """

    def __init__(self, region: str, item: Any) -> None:
        self.region = region
        self.item = item
        super().__init__(
            f"no price for {item} in {region}: supply one with PriceTable.from_file(...) "
            '(JSON {"<region>": {"<item>": "<price>"}} or CSV) or '
            "inspector_kit.fetch.fetch_price_table(session) (the AWS Price List), "
            "then bundled().merge(yours)"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.region, self.item))


class PriceError(InputError):
    """A price or a price-table entry that cannot be used: amount, currency, source, item.

    Raised by ``Price(...)`` and ``PriceTable`` lookups for a value the caller gave (a
    negative or out-of-bounds amount, a currency that is not 3 letters, a source with
    control characters, an unknown usage item). A price *file* reports its problems in one
    [`PriceFileError`][inspector_kit.pricing.PriceFileError] instead.

    Examples:
        >>> from inspector_kit.errors import PriceError
        >>> from inspector_kit.pricing import Price
        >>> try:
        ...     Price("-1", source="doc")
        ... except PriceError as exc:
        ...     print(exc)
        price '-1' must be a finite number >= 0
    """


class PriceTypeError(PriceError, TypeError):
    """A price given as the wrong type: a float amount (money must be exact), not a Price.

    Examples:
        >>> from inspector_kit.errors import PriceTypeError
        >>> from inspector_kit.pricing import Price
        >>> try:
        ...     Price(1.25, source="doc")  # type: ignore[arg-type]
        ... except PriceTypeError as exc:
        ...     print(exc)
        price 1.25 is a float: give a str or Decimal (exact money)
    """


class PriceFileError(InputError):
    """A price file has problems: all of them, each naming its CSV line or JSON key.

    Attributes:
        path: The file, as given.
        problems: One message per problem, so the file can be fixed in one pass.

    Examples:
        >>> from inspector_kit.errors import PriceFileError
        >>> err = PriceFileError("prices.csv", ["line 2: unknown item 'ec2'",
        ...                                     "line 3: price '-1' must be ..."])
        >>> print(err)
        prices.csv: 2 problems:
          line 2: unknown item 'ec2'
          line 3: price '-1' must be ...
        >>> isinstance(err, ValueError)
        True
    """

    def __init__(self, path: str | os.PathLike[str], problems: Iterable[str]) -> None:
        self.path = os.fspath(path)
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{self.path}: {count} problem{'' if count == 1 else 's'}:"
        listed = [f"  {p}" for p in self.problems[:_MAX_PRICE_PROBLEMS_LISTED]]
        if count > _MAX_PRICE_PROBLEMS_LISTED:
            more = count - _MAX_PRICE_PROBLEMS_LISTED
            listed.append(f"  ... and {more} more (see .problems)")
        super().__init__("\n".join([head, *listed]))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.problems))


class UsageError(InputError):
    """A usage quantity that is negative, not a number, not finite or out of bounds.

    Also an unknown usage item or free-trial length given to ``estimate``, and prices of
    one region that mix currencies.

    Examples:
        >>> from inspector_kit.pricing import Usage
        >>> Usage(agent_based_hours=-1)
        Traceback (most recent call last):
        ...
        inspector_kit.errors.UsageError: agent_based_hours must be a number >= 0; got -1
    """


# --- sample ---


class DatasetError(InputError):
    """A loopback dataset cannot be built from what was given.

    Raised by [`LoopbackDataset`][inspector_kit.testing.LoopbackDataset] for a finding without a
    usable ``findingArn`` or region, a duplicate ARN, or an impossible replication. It is also a
    ``ValueError``.

    Examples:
        >>> from inspector_kit.testing import LoopbackDataset
        >>> LoopbackDataset.sample().replicated(-1)
        Traceback (most recent call last):
        ...
        inspector_kit.errors.DatasetError: n must not be negative, got -1
    """


# --- fetch ---


class FetchOptionError(InputError):
    """An option given to the fetch layer cannot be used.

    Regions that are not AWS region names, a non-positive ``max_workers`` or
    ``connection_attempts``, a negative ``limit``, an export format the service does not
    have, or asking a CSV findings report for findings. Also a ``ValueError``.

    Examples:
        >>> from inspector_kit import Inspector
        >>> from inspector_kit.errors import FetchOptionError
        >>> try:
        ...     Inspector(regions=["not a region"])
        ... except FetchOptionError as exc:
        ...     print(exc)
        not an AWS region name: 'not a region' (e.g. 'eu-west-1')
    """


class ExportFailedError(FetchError):
    """The export ended ``FAILED`` or ``CANCELLED``.

    Attributes:
        report_id: The report's id.
        error_code: The ``ReportingErrorCode`` (``BUCKET_NOT_FOUND``, ...), or ``None``.

    Examples:
        >>> from inspector_kit.errors import ExportFailedError
        >>> err = ExportFailedError("report r-1 FAILED", report_id="r-1",
        ...                         error_code="BUCKET_NOT_FOUND", region="us-east-1")
        >>> err.report_id, err.code
        ('r-1', 'BUCKET_NOT_FOUND')
    """

    def __init__(
        self,
        message: str,
        *,
        report_id: str | None = None,
        error_code: str | None = None,
        region: str | None = None,
        operation: str | None = None,
    ) -> None:
        super().__init__(message, region=region, operation=operation, code=error_code)
        self.report_id = report_id
        self.error_code = error_code


class ExportInProgressError(FetchError):
    """The account already has a findings report in progress (one at a time per account).

    Attributes:
        running_report_id: The report in progress, when the service named it.

    Examples:
        >>> from inspector_kit.errors import ExportInProgressError
        >>> ExportInProgressError("busy", running_report_id="r-0").running_report_id
        'r-0'
    """

    def __init__(self, message: str, *, running_report_id: str | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.running_report_id = running_report_id


class ExportTimeoutError(FetchError):
    """The export was still ``IN_PROGRESS`` when ``timeout`` ran out.

    Attributes:
        report_id: The report's id (poll it later, or cancel it).

    Examples:
        >>> from inspector_kit.errors import ExportTimeoutError
        >>> ExportTimeoutError("still running", report_id="r-2", code="Timeout").report_id
        'r-2'
    """

    def __init__(self, message: str, *, report_id: str, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.report_id = report_id


# --- records ---


class RecordsError(InputError, TypeError):
    """A value cannot be turned into records (see [`inspector_kit.formats`][inspector_kit.formats]).

    Raised by [`to_records`][inspector_kit.formats.to_records] and every writer built on it when
    an item is not a finding, a rescoring, a [`Records`][inspector_kit.formats.Records]
    result or a mapping of flat values, or when a row holds a value outside the records
    value convention. Also a ``TypeError`` (a wrong kind of value), as it was before.

    Examples:
        >>> from inspector_kit.formats import to_records
        >>> try:
        ...     to_records(42)
        ... except RecordsError as exc:
        ...     isinstance(exc, TypeError), isinstance(exc, InputError)
        (True, True)
    """


class SnapshotCriteriaError(InputError, TypeError):
    """The criteria given to ``Snapshot.save`` cannot be saved with the snapshot.

    They must be a mapping (or have ``to_api()``) whose values JSON can hold (datetimes
    are saved as ISO 8601 text). Also a ``TypeError``, as it was before.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from inspector_kit.history import Snapshot
        >>> try:
        ...     Snapshot.save([], "x.jsonl", taken_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
        ...                   criteria=42)
        ... except SnapshotCriteriaError as exc:
        ...     print(exc)
        criteria must be a mapping or have to_api(), not int
    """


# --- command line ---


class OutputError(InspectorKitError):
    """The command's output (``stdout`` or ``stderr``) could not be written.

    Attributes:
        stream: ``"stdout"`` or ``"stderr"``.
        error: The ``OSError`` (or ``ValueError`` of a closed file) behind it, or
            ``None`` when the stream is not there at all.

    Examples:
        >>> print(OutputError("stdout", BrokenPipeError(32, "Broken pipe")))
        cannot write the output to stdout: Broken pipe
    """

    def __init__(self, stream: str, error: BaseException | None) -> None:
        self.stream = stream
        self.error = error
        super().__init__(stream, error)

    def __str__(self) -> str:
        if self.error is None or _is_closed(self.error):
            return f"cannot write the output: {self.stream} is closed"
        if isinstance(self.error, OSError) and self.error.strerror:
            reason = self.error.strerror
        else:
            reason = str(self.error) or type(self.error).__name__
        return f"cannot write the output to {self.stream}: {reason}"


def _is_closed(error: BaseException) -> bool:
    if isinstance(error, OSError):
        return error.errno == errno.EBADF
    return isinstance(error, ValueError)  # "I/O operation on closed file"


# --- core (models, scoring, loaders, sbom, formats' optional extras) ---

_MAX_VECTOR_SHOWN = 120


def _shown_vector(text: str) -> str:
    """The vector as an error message shows it: bounded, and quoted when it needs to be."""
    if not text or not text.isprintable() or text != text.strip():
        text = repr(text)
    if len(text) > _MAX_VECTOR_SHOWN:
        text = text[: _MAX_VECTOR_SHOWN - 3] + "..."
    return text


class InvalidVectorError(InputError):
    """A CVSS vector (or a change to one) is not valid for its CVSS version.

    Raised for an unknown prefix (``CVSS:2.5/``), an unknown metric, a bad value, a
    duplicated metric, a missing base metric, an empty string, an empty component or a
    stray ``/``, an unknown or contradicting ``version``, and for input that is not a
    ``str``.

    Attributes:
        vector: The input vector (for a non-``str`` input, its ``repr``; for a rejected
            [`CvssVector.with_metrics`][inspector_kit.scoring.CvssVector.with_metrics], the
            canonical vector being changed).
        reason: What is wrong, without the vector.
        metric: The offending metric abbreviation (``"AV"``), or ``None`` when the
            problem is not one metric's.

    Examples:
        >>> from inspector_kit.scoring import parse_vector
        >>> try:
        ...     parse_vector("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
        ... except InvalidVectorError as exc:
        ...     print(exc)
        ...     print(exc.metric, isinstance(exc, ValueError))
        CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H: bad value 'X' for AV (one of N, A, L, P)
        AV True
    """

    def __init__(self, vector: str, reason: str, *, metric: str | None = None) -> None:
        self.vector = vector
        self.reason = reason
        self.metric = metric
        super().__init__(reason)

    def __str__(self) -> str:
        return f"{_shown_vector(self.vector)}: {self.reason}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_invalid_vector_error, (self.vector, self.reason, self.metric))


def _rebuild_invalid_vector_error(
    vector: str, reason: str, metric: str | None
) -> InvalidVectorError:
    return InvalidVectorError(vector, reason, metric=metric)


class SbomFormatError(InputError):
    """A document is not a CycloneDX SBOM this module can read (or one component is not).

    Attributes:
        path: Where, as a JSON path (``$.components[2].name``).
        reason: What was wrong.
        source: The document (an S3 key, a file name) when the caller named it, else ``None``.

    Examples:
        >>> from inspector_kit.errors import SbomFormatError
        >>> err = SbomFormatError("expected a list, got dict", path="$.components")
        >>> print(err)
        $.components: expected a list, got dict
        >>> isinstance(err, ValueError)
        True
        >>> print(SbomFormatError("not JSON", source="sbom/r-1/fn.json"))
        sbom/r-1/fn.json: $: not JSON
    """

    def __init__(self, reason: str, *, path: str = "$", source: str | None = None) -> None:
        self.reason = reason
        self.path = path
        self.source = source
        super().__init__(reason)

    def __str__(self) -> str:
        where = f"{self.source}: {self.path}" if self.source else self.path
        return f"{where}: {self.reason}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_sbom_format_error, (self.reason, self.path, self.source))


def _rebuild_sbom_format_error(
    reason: str, path: str, source: str | None = None
) -> SbomFormatError:
    return SbomFormatError(reason, path=path, source=source)


class MissingExtraError(InspectorKitError, ImportError):
    """An optional dependency is not installed; the message says which extra to install.

    Attributes:
        module: The module that could not be imported (``pandas``).
        extra: The inspector-kit extra that provides it (``pandas``, ``arrow``, ``excel``).

    Examples:
        >>> from inspector_kit.errors import MissingExtraError
        >>> err = MissingExtraError("pandas", "pandas")
        >>> print(err)
        to_pandas needs pandas: pip install 'inspector-kit[pandas]'
        >>> isinstance(err, ImportError)
        True
    """

    def __init__(self, module: str, extra: str, *, feature: str | None = None) -> None:
        self.module = module
        self.extra = extra
        self.feature = feature or f"to_{extra}"
        super().__init__(
            f"{self.feature} needs {module}: pip install 'inspector-kit[{extra}]'", name=module
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_missing_extra_error, (self.module, self.extra, self.feature))


def _rebuild_missing_extra_error(module: str, extra: str, feature: str) -> MissingExtraError:
    return MissingExtraError(module, extra, feature=feature)


class InvalidArgumentError(InputError):
    """An argument's value is not one the function accepts (out of range, unknown name...).

    The generic validation error for a single argument or option, where no more specific
    error (a vector, a filter, a file) applies. The message names the argument.

    Examples:
        >>> from inspector_kit.errors import InvalidArgumentError
        >>> from inspector_kit.scoring import severity_for_score
        >>> try:
        ...     severity_for_score(11.0)
        ... except InvalidArgumentError as exc:
        ...     print(exc, "|", isinstance(exc, ValueError))
        a score must be between 0.0 and 10.0, got 11.0 | True
    """


class InvalidArgumentTypeError(InvalidArgumentError, TypeError):
    """An argument is of a type the function does not take (also a ``TypeError``).

    Examples:
        >>> from inspector_kit.errors import InvalidArgumentTypeError
        >>> from inspector_kit.scoring import severity_for_score
        >>> try:
        ...     severity_for_score("high")
        ... except TypeError as exc:
        ...     print(exc, "|", isinstance(exc, InvalidArgumentTypeError))
        a score must be a real number, got str | True
    """


# --- triage and coverage ---

#: How many problems a PolicyFileError's or ReviewLogError's message lists (``problems``
#: holds them all).
_MAX_LISTED_PROBLEMS = 100


def _problems_message(source: str, problems: tuple[str, ...], what: str) -> str:
    """``source: N problems in <what>``, then the first problems, one per line."""
    count = len(problems)
    head = f"{source}: {count} problem{'s' if count != 1 else ''} in {what}"
    listed = list(problems[:_MAX_LISTED_PROBLEMS])
    if count > _MAX_LISTED_PROBLEMS:
        listed.append(f"... and {count - _MAX_LISTED_PROBLEMS} more (see .problems)")
    return "\n  ".join((head, *listed))


class TriageError(InputError):
    """A triage value is not valid: a rule, condition, deadline, weight or option.

    Raised by the constructors of [`inspector_kit.triage`][inspector_kit.triage] values (an unknown
    severity in a [`Condition`][inspector_kit.triage.Condition], a deadline out of bounds, two rules
    of one name, a negative weight...). Policy files report their problems as
    [`PolicyFileError`][inspector_kit.triage.PolicyFileError], calendars as
    [`CalendarError`][inspector_kit.triage.CalendarError]; both derive from it.

    Examples:
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

    Examples:
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
        super().__init__(_problems_message(source, self.problems, "the triage policy"))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.source, self.problems))


class CalendarError(TriageError):
    """A calendar input is not valid, or a date falls outside the calendar.

    Raised for an unknown country, subdivision or time zone, a bad weekend or extra
    holiday, a naive datetime, and for dates past 9999-12-31 or before 0001-01-01
    (Python's ``date`` range).

    Examples:
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

    Also a ``TypeError`` (and, as every [`InputError`][inspector_kit.errors.InputError], a
    ``ValueError``).

    Examples:
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

    Raised by the coverage values ([`Ec2Instance`][inspector_kit.coverage.Ec2Instance],
    [`Volume`][inspector_kit.coverage.Volume]...) for a bad field, and by
    [`analyze`][inspector_kit.coverage.analyze] for a naive ``now``; a bad item inside a batch
    is recorded in ``report.errors`` as this error and the rest of the batch is analysed.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from inspector_kit.coverage import analyze
        >>> r = analyze(["i-1"], configuration="EC2_HYBRID",
        ...             now=datetime(2026, 11, 22, tzinfo=timezone.utc))
        >>> len(r), str(r.errors[0])
        (0, 'instances[0]: expected an Ec2Instance, got str')
    """


class CoverageTypeError(CoverageInputError, TypeError):
    """A coverage argument of the wrong type: a programming error (also a ``TypeError``).

    Examples:
        >>> from inspector_kit.coverage import DeepInspectionSettings
        >>> try:
        ...     DeepInspectionSettings(activated=True, package_paths="/opt/app")
        ... except TypeError as err:
        ...     print(type(err).__name__, "|", err)
        CoverageTypeError | paths must be a sequence of strings, not one string: '/opt/app'
    """


# --- on-demand scans ---


class OnDemandScanFailedError(FetchError):
    """An on-demand machine image scan ended ``FAILED`` (raised by the waiter).

    Attributes:
        scan_id: The scan's id.
        resource_id: The machine image (``ami-...``).
        reason: The ``OnDemandScanStatusReason`` (``UNSUPPORTED_OS``...), or ``None``.

    Examples:
        >>> from inspector_kit.errors import OnDemandScanFailedError
        >>> err = OnDemandScanFailedError("scan 9f1c FAILED", scan_id="9f1c",
        ...     resource_id="ami-0abcdef1", reason="UNSUPPORTED_OS", region="us-east-1")
        >>> err.scan_id, err.code, err.region
        ('9f1c', 'UNSUPPORTED_OS', 'us-east-1')
    """

    def __init__(
        self,
        message: str,
        *,
        scan_id: str,
        resource_id: str,
        reason: str | None = None,
        region: str | None = None,
        operation: str | None = "GetOnDemandScanStatus",
    ) -> None:
        super().__init__(message, region=region, operation=operation, code=reason)
        self.scan_id = scan_id
        self.resource_id = resource_id
        self.reason = reason


class OnDemandScanTimeoutError(FetchError):
    """An on-demand machine image scan was still ``IN_PROGRESS`` when the wait ran out.

    The scan goes on: poll it later with ``Inspector.on_demand_scan_status``.

    Attributes:
        scan_id: The scan's id.
        resource_id: The machine image (``ami-...``).

    Examples:
        >>> from inspector_kit.errors import OnDemandScanTimeoutError
        >>> OnDemandScanTimeoutError("still running", scan_id="9f1c",
        ...     resource_id="ami-0abcdef1", code="Timeout").scan_id
        '9f1c'
    """

    def __init__(self, message: str, *, scan_id: str, resource_id: str, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.scan_id = scan_id
        self.resource_id = resource_id


# --- asff ---


class AsffRecordTooLargeError(InputError):
    """An ASFF record is larger than Security Hub's ``BatchImportFindings`` accepts.

    Security Hub rejects a finding over 240 KB; ``formats.asff_batches`` never sends one
    and raises this instead (or reports it to its ``on_oversized`` callback).

    Attributes:
        record_id: The record's ``Id``.
        size: Its size in bytes, as the request body carries it.
        limit: The limit it is over.

    Examples:
        >>> from inspector_kit.errors import AsffRecordTooLargeError, InputError
        >>> err = AsffRecordTooLargeError("too large", record_id="arn:x", size=300_000,
        ...     limit=240_000)
        >>> isinstance(err, InputError), err.size > err.limit
        (True, True)
    """

    def __init__(self, message: str, *, record_id: object, size: int, limit: int) -> None:
        super().__init__(message)
        self.record_id = record_id
        self.size = size
        self.limit = limit


# --- triage in operation ---


class ReviewLogError(TriageError):
    """A review log file (or text) is not valid; ``problems`` lists every problem.

    Each problem names the source and the line of the entry. Reading a log leniently (the
    default) keeps the good entries and lists the bad ones in ``ReviewLog.problems``; this
    is raised with ``strict=True``, and for a file that is missing, unreadable or not UTF-8.

    Attributes:
        source: The file's name (or ``<reviews>`` for text).
        problems: Every problem, in file order.

    Examples:
        >>> from inspector_kit.errors import ReviewLogError
        >>> from inspector_kit.triage import ReviewLog
        >>> try:
        ...     ReviewLog.from_jsonl("{not json}", source="reviews.jsonl", strict=True)
        ... except ReviewLogError as err:
        ...     print(err.problems[0])  # doctest: +ELLIPSIS
        reviews.jsonl line 1: not valid JSON: ...
    """

    def __init__(self, source: str, problems: Iterable[str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        super().__init__(_problems_message(source, self.problems, "the review log"))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.source, self.problems))


# --- account directory ---


class AccountDirectoryError(InputError):
    """An account directory, or a grouping by account or OU, cannot be used.

    A bad account id (not 12 digits), an empty or too long name or OU path, a grouping that
    is neither ``"account"`` nor ``"ou"``, a depth below 1.

    Examples:
        >>> from inspector_kit import AccountDirectory
        >>> from inspector_kit.errors import AccountDirectoryError
        >>> try:
        ...     AccountDirectory.from_mappings({"111122223333": ""})
        ... except AccountDirectoryError as err:
        ...     print(err)
        ou_paths['111122223333']: OU path '' is empty or not text
    """


class AccountsFileError(AccountDirectoryError):
    """An accounts file (CSV or YAML) is missing or not valid: names the file and the line.

    Attributes:
        source: The file's name.
        line: The 1-based line of the entry at fault, or ``None`` for the whole file.
        problem: What is wrong.

    Examples:
        >>> from inspector_kit.errors import AccountsFileError
        >>> print(AccountsFileError("accounts.csv", 3, "account id '12' is not 12 digits"))
        accounts.csv line 3: account id '12' is not 12 digits
    """

    def __init__(self, source: str, line: int | None, problem: str) -> None:
        self.source = source
        self.line = line
        self.problem = problem
        where = source if line is None else f"{source} line {line}"
        super().__init__(f"{where}: {problem}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.source, self.line, self.problem))


# --- engines ---


class QueryParameterError(SnapshotQueryError):
    """A named query's name or a parameter of a query cannot be used.

    Raised before any engine runs: an unknown named query, a parameter missing or not
    expected, or a value that is not a valid snapshot id or date (values are bound as
    engine parameters, never pasted into the SQL, and checked first).

    Examples:
        >>> from inspector_kit.errors import QueryParameterError
        >>> print(QueryParameterError("unknown named query 'trends'", sql="trends"))
        query 'trends' over no files: unknown named query 'trends'
    """

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_engine_error, (type(self), self.reason, self.sql, self.files, {}))


class EngineQueryError(SnapshotQueryError):
    """A query engine (Athena, Spark) could not run a query over a snapshot dataset.

    Athena: the query ended ``FAILED`` or ``CANCELLED`` (the reason is Athena's
    ``StateChangeReason``), or a call to Athena failed. Spark: the session rejected
    the query or could not read the dataset. The engine's exception, if any, is the
    ``__cause__``.

    Attributes:
        detail: What the engine said (``reason`` adds the engine, id and state before it).
        engine: ``"athena"`` or ``"spark"``.
        state: Athena's final state (``"FAILED"``, ``"CANCELLED"``), else ``None``.
        query_execution_id: Athena's id of the query, else ``None``.

    Examples:
        >>> from inspector_kit.errors import EngineQueryError
        >>> err = EngineQueryError("TABLE_NOT_FOUND: line 1:15: Table 'db.findings' does "
        ...     "not exist", sql="SELECT 1 FROM findings", files=("s3://bucket/findings",),
        ...     engine="athena", state="FAILED", query_execution_id="q-1")
        >>> print(err)  # doctest: +ELLIPSIS
        query 'SELECT 1 FROM findings' over s3://bucket/findings: athena query q-1 FAILED: ...
    """

    def __init__(
        self,
        reason: str,
        *,
        sql: str,
        files: Sequence[str] = (),
        engine: str,
        state: str | None = None,
        query_execution_id: str | None = None,
    ) -> None:
        self.engine = engine
        self.state = state
        self.query_execution_id = query_execution_id
        where = engine if query_execution_id is None else f"{engine} query {query_execution_id}"
        ended = "" if state is None else f" {state}"
        self.detail = reason
        super().__init__(f"{where}{ended}: {reason}", sql=sql, files=files)

    def __reduce__(self) -> tuple[Any, ...]:
        extra = {
            "engine": self.engine,
            "state": self.state,
            "query_execution_id": self.query_execution_id,
        }
        return (_rebuild_engine_error, (type(self), self.detail, self.sql, self.files, extra))


class EngineTimeoutError(EngineQueryError):
    """An Athena query was still ``QUEUED`` or ``RUNNING`` when the timeout ran out.

    The query is asked to stop (``StopQueryExecution``) before this is raised.

    Examples:
        >>> from inspector_kit.errors import EngineTimeoutError
        >>> err = EngineTimeoutError("still RUNNING after 300 s", sql="SELECT 1",
        ...                          engine="athena", state="RUNNING", query_execution_id="q-2")
        >>> err.state, isinstance(err, EngineQueryError)
        ('RUNNING', True)
    """


def _rebuild_engine_error(
    cls: type[SnapshotQueryError],
    reason: str,
    sql: str,
    files: Sequence[str],
    extra: dict[str, Any],
) -> SnapshotQueryError:
    return cls(reason, sql=sql, files=files, **extra)


# --- accounts ---


class AssumeRoleError(AccessDeniedError):
    """A role could not be assumed in a member account (or in the hub, hub-and-spoke).

    Reported for each (account, region) of that account in a multi-account run, never read
    as "no findings"; ``code`` is STS's (``AccessDenied``, ``RegionDisabledException``...).

    Attributes:
        role_arn: The role that could not be assumed.

    Examples:
        >>> from inspector_kit.errors import AccessDeniedError, AssumeRoleError
        >>> err = AssumeRoleError("not authorized to perform sts:AssumeRole",
        ...                       role_arn="arn:aws:iam::111122223333:role/InspectorRead",
        ...                       account="111122223333", code="AccessDenied")
        >>> isinstance(err, AccessDeniedError), err.role_arn.endswith("InspectorRead")
        (True, True)
        >>> print(err)
        111122223333 AssumeRole: AccessDenied: not authorized to perform sts:AssumeRole
    """

    def __init__(
        self,
        message: str,
        *,
        role_arn: str,
        account: str | None = None,
        code: str | None = None,
        region: str | None = None,
        operation: str | None = "AssumeRole",
        status: int | None = None,
    ) -> None:
        self.role_arn = role_arn
        super().__init__(
            message, region=region, operation=operation, code=code, account=account, status=status
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild_assume_role_error,
            (self.message, self.role_arn, self.account, self.code, self.region, self.status),
        )


def _rebuild_assume_role_error(
    message: str,
    role_arn: str,
    account: str | None,
    code: str | None,
    region: str | None,
    status: int | None,
) -> AssumeRoleError:
    return AssumeRoleError(
        message, role_arn=role_arn, account=account, code=code, region=region, status=status
    )


class OrganizationsError(FetchError):
    """An AWS Organizations call failed (not the management or a delegated admin account...).

    Examples:
        >>> from inspector_kit.errors import OrganizationsError
        >>> print(OrganizationsError("You don't have permissions", operation="ListAccounts",
        ...                          code="AccessDeniedException"))
        ListAccounts: AccessDeniedException: You don't have permissions
    """


# --- dataset ---


class SnapshotStorageError(InspectorKitError, OSError):
    """The storage of a snapshot dataset cannot be read or written (local folder or S3).

    Raised by [`SnapshotDataset`][inspector_kit.history.SnapshotDataset] for a bucket or
    folder that does not exist, a connection that fails, a file that cannot be written: the
    error names the path and says what the filesystem said (pyarrow's error is the
    ``__cause__``). Also an ``OSError``, so ``except OSError`` keeps working.

    Attributes:
        path: The dataset path or the file at fault (``s3://bucket/prefix/...`` or local).
        reason: What the filesystem said.

    Examples:
        >>> from inspector_kit.errors import SnapshotStorageError
        >>> err = SnapshotStorageError("s3://no-such-bucket/findings",
        ...                            "AWS Error NO_SUCH_BUCKET: the bucket does not exist")
        >>> print(err)
        s3://no-such-bucket/findings: AWS Error NO_SUCH_BUCKET: the bucket does not exist
        >>> isinstance(err, OSError)
        True
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.reason))


class SnapshotStoragePermissionError(SnapshotStorageError, PermissionError):
    """Access to a snapshot dataset's storage was denied (S3 ``AccessDenied``, file mode).

    Examples:
        >>> from inspector_kit.errors import SnapshotStoragePermissionError
        >>> err = SnapshotStoragePermissionError("s3://audit/findings", "AWS Error ACCESS_DENIED")
        >>> isinstance(err, PermissionError), err.path
        (True, 's3://audit/findings')
    """


class SnapshotNotFoundError(InputError, LookupError):
    """No committed snapshot of a dataset has the id asked for.

    A snapshot is committed when its ``_snapshots/<snapshot_id>.json`` exists (written last,
    after every Parquet file of the snapshot): the files of a write that failed are never
    read as a snapshot.

    Attributes:
        snapshot_id: The id asked for.
        path: The dataset.

    Examples:
        >>> from inspector_kit.errors import SnapshotNotFoundError
        >>> err = SnapshotNotFoundError("20261102T000000Z-0a1b2c3d", path="/data/findings")
        >>> print(err)
        /data/findings: no committed snapshot '20261102T000000Z-0a1b2c3d'
    """

    def __init__(self, snapshot_id: str, *, path: str) -> None:
        self.snapshot_id = snapshot_id
        self.path = path
        super().__init__(f"{path}: no committed snapshot {snapshot_id!r}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_snapshot_not_found, (self.snapshot_id, self.path))


def _rebuild_snapshot_not_found(snapshot_id: str, path: str) -> SnapshotNotFoundError:
    return SnapshotNotFoundError(snapshot_id, path=path)


class SnapshotWriterError(InspectorKitError, RuntimeError):
    """A snapshot dataset writer was used the wrong way (written to after it was closed).

    Examples:
        >>> from inspector_kit.errors import SnapshotWriterError
        >>> issubclass(SnapshotWriterError, RuntimeError)
        True
    """


# --- accounts 2 ---


class InspectorNotEnabledError(FetchError):
    """Amazon Inspector is not ENABLED for an account in a region: nothing there was read.

    Found from the service's own answer (``BatchGetAccountStatus``: the account's
    ``state.status``) before a multi-account run reads that pair, so that an account
    where Inspector is off is reported as such, never as "no findings".

    Attributes:
        inspector_status: The status Inspector gave (``DISABLED``, ``SUSPENDED``,
            ``ENABLING``...).

    Examples:
        >>> from inspector_kit.errors import InspectorNotEnabledError
        >>> err = InspectorNotEnabledError("DISABLED", account="111122223333",
        ...                                region="eu-west-1")
        >>> print(err)
        eu-west-1 111122223333 BatchGetAccountStatus: Inspector is DISABLED here
    """

    def __init__(
        self,
        inspector_status: str,
        *,
        account: str | None = None,
        region: str | None = None,
        operation: str | None = "BatchGetAccountStatus",
        code: str | None = None,
        status: int | None = None,
    ) -> None:
        self.inspector_status = inspector_status
        super().__init__(
            f"Inspector is {inspector_status} here",
            region=region,
            operation=operation,
            code=code,
            account=account,
            status=status,
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_not_enabled, (self.inspector_status, self.account, self.region))


def _rebuild_not_enabled(
    inspector_status: str, account: str | None, region: str | None
) -> InspectorNotEnabledError:
    return InspectorNotEnabledError(inspector_status, account=account, region=region)
