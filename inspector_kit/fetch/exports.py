"""Server-side exports: findings reports and SBOMs that Amazon Inspector writes to S3.

:meth:`Inspector.export_findings <inspector_kit.fetch.Inspector.export_findings>` calls
``CreateFindingsReport``, polls ``GetFindingsReportStatus`` with exponential backoff, lists
the report's objects and streams them into :class:`~inspector_kit.models.Finding` objects
with :func:`inspector_kit.load_findings` over the S3 body stream (an object is never read
into memory whole). :meth:`~inspector_kit.fetch.Inspector.export_sbom` does the same with
``CreateSbomExport`` / ``GetSbomExport`` and parses each CycloneDX document with
``inspector_kit.sbom.parse_cyclonedx`` (SPDX documents are returned as parsed JSON).

Errors (all :class:`~inspector_kit.errors.FetchError` subclasses):

* :class:`ExportInProgressError`: the account already has a findings report in progress
  (AWS allows one at a time). It is raised, never waited for: the running report may be
  someone else's, with other criteria and destination. ``.running_report_id`` names it
  when the service said.
* :class:`ExportFailedError`: the report ended ``FAILED`` or ``CANCELLED``; ``.error_code``
  is the model's ``ReportingErrorCode`` and the message says which bucket-policy or
  key-policy statement is missing.
* :class:`ExportTimeoutError`: still ``IN_PROGRESS`` after ``timeout`` seconds.

Only JSON findings reports are streamed into findings: ``format="CSV"`` is accepted, the
report is created and waited for, and :attr:`FindingsExport.objects` lists the CSV keys, but
iterating a CSV export raises :class:`ValueError` (read the objects with your own CSV code).

Example (plain text; the tests run the same with moto and the loopback server)::

    inspector = Inspector(regions=["eu-west-1"])
    export = inspector.export_findings("my-bucket", "arn:aws:kms:eu-west-1:111122223333:key/...")
    for finding in export:
        print(finding.finding_arn)
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from inspector_kit.errors import FetchError

from ._errors import translate

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from inspector_kit.loaders import RecordError
    from inspector_kit.models import Finding

__all__ = [
    "ExportFailedError",
    "ExportInProgressError",
    "ExportTimeoutError",
    "FindingsExport",
    "SbomExport",
    "explain_error_code",
]

FINDINGS_FORMATS = ("JSON", "CSV")
SBOM_FORMATS = ("CYCLONEDX_1_4", "SPDX_2_3")
DONE = frozenset({"SUCCEEDED", "FAILED", "CANCELLED"})
_CONFLICT = frozenset({"ConflictException", "ServiceQuotaExceededException"})

_BUCKET_POLICY = (
    "the bucket policy must allow the service principal inspector2.amazonaws.com "
    "s3:PutObject (and s3:PutObjectAcl, s3:AbortMultipartUpload) on arn:aws:s3:::{bucket}/*, "
    "conditioned on aws:SourceAccount and aws:SourceArn"
)
_KEY_POLICY = (
    "the key policy of {key} must allow the service principal inspector2.amazonaws.com "
    "kms:GenerateDataKey and kms:Decrypt (a symmetric customer managed key in the report's "
    "region)"
)


def explain_error_code(code: str | None, *, bucket: str, kms_key_arn: str) -> str:
    """What to fix for a ``ReportingErrorCode`` (``GetFindingsReportStatus.errorCode``).

    Example:
        >>> print(explain_error_code("BUCKET_NOT_FOUND", bucket="b", kms_key_arn="k"))
        ... # doctest: +ELLIPSIS
        bucket b was not found: create it in the report's region; ...arn:aws:s3:::b/*...
    """
    bucket_policy = _BUCKET_POLICY.format(bucket=bucket)
    key_policy = _KEY_POLICY.format(key=kms_key_arn)
    if code == "BUCKET_NOT_FOUND":
        return f"bucket {bucket} was not found: create it in the report's region; {bucket_policy}"
    if code == "INCOMPATIBLE_BUCKET_REGION":
        return f"bucket {bucket} must be in the region the report is created in"
    if code == "MALFORMED_KMS_KEY":
        return f"KMS key {kms_key_arn} is unusable: {key_policy}"
    if code == "INVALID_PERMISSIONS":
        return f"Inspector cannot write the report: {bucket_policy}; and {key_policy}"
    if code == "NO_FINDINGS_FOUND":
        return "no findings matched the filter criteria"
    if code == "INTERNAL_ERROR":
        return "Amazon Inspector failed internally: retry the export later"
    return f"see {bucket_policy}; and {key_policy}"


class ExportFailedError(FetchError):
    """The export ended ``FAILED`` or ``CANCELLED``.

    Attributes:
        report_id: The report's id.
        error_code: The ``ReportingErrorCode`` (``BUCKET_NOT_FOUND``, ...), or ``None``.
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
    """

    def __init__(self, message: str, *, running_report_id: str | None = None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.running_report_id = running_report_id


class ExportTimeoutError(FetchError):
    """The export was still ``IN_PROGRESS`` when ``timeout`` ran out.

    Attributes:
        report_id: The report's id (poll it later, or cancel it).
    """

    def __init__(self, message: str, *, report_id: str, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.report_id = report_id


class _Export:
    """What findings reports and SBOM exports share: status polling and the object list."""

    _status_operation = ""
    _status_method = ""

    def __init__(
        self,
        *,
        client: Any,
        s3_client: Any,
        region: str,
        report_id: str,
        bucket: str,
        kms_key_arn: str,
        prefix: str | None,
        format: str,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.report_id = report_id
        self.region = region
        self.bucket = bucket
        self.kms_key_arn = kms_key_arn
        self.prefix = (prefix or "").strip("/")
        self.format = format
        self.status = "IN_PROGRESS"
        self.error_code: str | None = None
        self.error_message: str | None = None
        self._client = client
        self._s3 = s3_client
        self._sleep = sleep or time.sleep
        self._clock = clock or time.monotonic
        self._objects: tuple[str, ...] | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.report_id} {self.status}>"

    def refresh(self) -> str:
        """Ask the service for the status once; returns it (and updates :attr:`status`)."""
        try:
            response = getattr(self._client, self._status_method)(reportId=self.report_id)
        except Exception as exc:
            raise translate(exc, region=self.region, operation=self._status_operation) from exc
        self.status = str(response.get("status", "IN_PROGRESS"))
        self.error_code = response.get("errorCode")
        self.error_message = response.get("errorMessage")
        return self.status

    def wait(self, timeout: float = 600, *, initial: float = 1.0, maximum: float = 30.0) -> None:
        """Poll with exponential backoff until the export is done.

        Raises:
            ExportTimeoutError: still ``IN_PROGRESS`` after ``timeout`` seconds.
            ExportFailedError: it ended ``FAILED`` (except ``NO_FINDINGS_FOUND``, which is an
                empty export) or ``CANCELLED``.
        """
        deadline = self._clock() + timeout
        delay = initial
        while self.refresh() not in DONE:
            remaining = deadline - self._clock()
            if remaining <= 0:
                raise ExportTimeoutError(
                    f"report {self.report_id} still IN_PROGRESS after {timeout:g}s; poll it "
                    "later or cancel it",
                    report_id=self.report_id,
                    region=self.region,
                    operation=self._status_operation,
                    code="Timeout",
                )
            self._sleep(min(delay, remaining))
            delay = min(delay * 2, maximum)
        self._raise_for_status()

    def _raise_for_status(self) -> None:
        if self.status == "SUCCEEDED" or self.error_code == "NO_FINDINGS_FOUND":
            return
        hint = explain_error_code(self.error_code, bucket=self.bucket, kms_key_arn=self.kms_key_arn)
        said = f" ({self.error_message})" if self.error_message else ""
        raise ExportFailedError(
            f"report {self.report_id} {self.status} {self.error_code or ''}{said}: {hint}",
            report_id=self.report_id,
            error_code=self.error_code,
            region=self.region,
            operation=self._status_operation,
        )

    @property
    def objects(self) -> tuple[str, ...]:
        """The S3 keys of this report (listed once, after it ``SUCCEEDED``)."""
        if self.status != "SUCCEEDED":
            return ()
        if self._objects is None:
            keys: list[str] = []
            start = f"{self.prefix}/" if self.prefix else ""
            try:
                paginator = self._s3.get_paginator("list_objects_v2")
                for page in paginator.paginate(Bucket=self.bucket, Prefix=start):
                    keys.extend(
                        str(item["Key"])
                        for item in page.get("Contents", ())
                        if self.report_id in item["Key"]
                    )
            except Exception as exc:
                raise translate(
                    exc, region=self.region, operation="ListObjectsV2", service="s3"
                ) from exc
            self._objects = tuple(sorted(keys))
        return self._objects

    def _body(self, key: str) -> Any:
        try:
            return self._s3.get_object(Bucket=self.bucket, Key=key)["Body"]
        except Exception as exc:
            raise translate(exc, region=self.region, operation="GetObject", service="s3") from exc


class FindingsExport(_Export):
    """A findings report (``CreateFindingsReport``): iterate it for the findings, streamed.

    Attributes:
        report_id: The report's id.
        status: ``IN_PROGRESS``, ``SUCCEEDED``, ``FAILED`` or ``CANCELLED``.
        objects: The report's S3 keys.
        errors: Records of the report that could not be read as findings (filled while
            iterating).
    """

    _status_operation = "GetFindingsReportStatus"
    _status_method = "get_findings_report_status"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.errors: list[RecordError] = []

    def cancel(self) -> None:
        """``CancelFindingsReport`` for this report."""
        try:
            self._client.cancel_findings_report(reportId=self.report_id)
        except Exception as exc:
            raise translate(exc, region=self.region, operation="CancelFindingsReport") from exc
        self.refresh()

    def __iter__(self) -> Iterator[Finding]:
        from inspector_kit.loaders import load_findings

        if self.format != "JSON":
            raise ValueError(
                f"a {self.format} findings report cannot be read as findings; read "
                f"{list(self.objects)} yourself or export format='JSON'"
            )
        self._raise_for_status()
        for key in self.objects:
            body = self._body(key)
            try:
                loaded = load_findings(body)
                yield from loaded
                self.errors.extend(loaded.errors)
            finally:
                body.close()


class SbomExport(_Export):
    """An SBOM export (``CreateSbomExport``): one document per resource.

    Iterating yields ``(key, document)`` pairs: ``SbomDocument`` from
    ``inspector_kit.sbom.parse_cyclonedx`` for CycloneDX, the parsed JSON for SPDX.
    """

    _status_operation = "GetSbomExport"
    _status_method = "get_sbom_export"

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        self._raise_for_status()
        for key in self.objects:
            body = self._body(key)
            try:
                document = json.load(body)
            finally:
                body.close()
            if self.format == "CYCLONEDX_1_4":
                yield key, _parse_cyclonedx(document)
            else:
                yield key, document


def _parse_cyclonedx(document: Any) -> Any:
    try:
        from inspector_kit.sbom import parse_cyclonedx  # type: ignore[import-not-found, unused-ignore]
    except ImportError:  # the module is not there yet: the raw document
        return document
    return parse_cyclonedx(document)


def conflict(exc: BaseException, *, region: str) -> ExportInProgressError | None:
    """An :class:`ExportInProgressError` when ``exc`` says a report is already running."""
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return None
    error = response.get("Error", {})
    code = str(error.get("Code", ""))
    message = str(error.get("Message", ""))
    if code not in _CONFLICT and not (
        code == "ValidationException" and "in progress" in message.lower()
    ):
        return None
    running = response.get("resourceId")
    err = ExportInProgressError(
        f"{message} (Amazon Inspector runs one findings report at a time per account: wait "
        "for it, or cancel it with CancelFindingsReport)",
        running_report_id=str(running) if running else None,
        region=region,
        operation="CreateFindingsReport",
        code=code,
    )
    err.__cause__ = exc
    return err
