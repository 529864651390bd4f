"""Server-side exports: findings reports and SBOMs that Amazon Inspector writes to S3.

``Inspector.export_findings <inspector_kit.fetch.Inspector.export_findings>`` calls
``CreateFindingsReport``, polls ``GetFindingsReportStatus`` with exponential backoff, lists
the report's objects and streams them into [`Finding`][inspector_kit.models.Finding] objects
with [`load_findings`][inspector_kit.loaders.load_findings] over the S3 body stream (an object is
never read into memory whole). [`Inspector.export_sbom`][inspector_kit.fetch.Inspector.export_sbom]
does the same with ``CreateSbomExport`` / ``GetSbomExport`` and parses each CycloneDX document with
``inspector_kit.sbom.parse_cyclonedx`` (SPDX documents are returned as parsed JSON).

Errors (all [`FetchError`][inspector_kit.errors.FetchError] subclasses):

* [`ExportInProgressError`][inspector_kit.fetch.ExportInProgressError]: the account already has a
  findings report in progress (AWS allows one at a time). It is raised, never waited for: the
  running report may be someone else's, with other criteria and destination. ``.running_report_id``
  names it when the service said.
* [`ExportFailedError`][inspector_kit.fetch.ExportFailedError]: the report ended ``FAILED`` or
  ``CANCELLED``; ``.error_code`` is the model's ``ReportingErrorCode`` and the message says which
  bucket-policy or key-policy statement is missing.
* [`ExportTimeoutError`][inspector_kit.fetch.ExportTimeoutError]: still ``IN_PROGRESS`` after
  ``timeout`` seconds.

Bad objects do not end an iteration: a findings-report object that is not readable (not
JSON, not UTF-8, ...) or holds bad records is reported in ``FindingsExport.errors``
(each an [`ExportRecordIssue`][inspector_kit.fetch.ExportRecordIssue] naming the S3 key), and an
SBOM document that is not readable, or not CycloneDX, in ``SbomExport.errors`` (each a
``inspector_kit.sbom.SbomFormatError`` whose ``source`` is the S3 key; a bad *component*
is reported in its document's ``errors``); the other objects are read, one warning is
logged, and ``raise_for_errors()`` raises the first. An S3 failure (``GetObject``, or the
connection dropping while reading) is a [`FetchError`][inspector_kit.errors.FetchError] and ends
the iteration.

Only JSON findings reports are streamed into findings: ``format="CSV"`` is accepted, the
report is created and waited for, and [`FindingsExport.objects`][inspector_kit.fetch.FindingsExport]
lists the CSV keys, but iterating a CSV export raises
[`FetchOptionError`][inspector_kit.errors.FetchOptionError] (a ``ValueError``; read the objects with
your own CSV code).

Example (plain text; the tests run the same with moto and the loopback server)::

    inspector = Inspector(regions=["eu-west-1"])
    export = inspector.export_findings("my-bucket", "arn:aws:kms:eu-west-1:111122223333:key/...")
    for finding in export:
        print(finding.finding_arn)
"""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

from inspector_kit.errors import (
    ExportFailedError,
    ExportInProgressError,
    ExportTimeoutError,
    FetchOptionError,
    SourceFormatError,
)
from inspector_kit.loaders import RecordIssue

from ._errors import translate
from ._pages import call

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from inspector_kit.models import Finding
    from inspector_kit.sbom import SbomFormatError

    from ._core import Core

__all__ = [
    "ExportFailedError",
    "ExportInProgressError",
    "ExportRecordIssue",
    "ExportSettings",
    "ExportTimeoutError",
    "FindingsExport",
    "SbomExport",
    "explain_error_code",
    "start_findings_report",
    "start_sbom_export",
]

logger = logging.getLogger("inspector_kit.fetch")

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

    Examples:
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


def _seconds(name: str) -> Callable[[Any, Any, float], None]:
    def check(instance: Any, attribute: Any, value: float) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise FetchOptionError(f"{name} must be a non-negative number, got {value!r}")

    return check


@attrs.frozen(kw_only=True)
class ExportSettings:
    """How the facade waits for exports and reads them back: its part of the configuration.

    Given once, as ``Inspector(..., exports=ExportSettings(...))``; every export the facade
    starts ([`Inspector.export_findings`][inspector_kit.fetch.Inspector.export_findings],
    [`Inspector.export_sbom`][inspector_kit.fetch.Inspector.export_sbom],
    [`Inspector.findings_at_scale`][inspector_kit.fetch.Inspector.findings_at_scale]) uses them.

    Attributes:
        timeout: Seconds to wait for an export before
            [`ExportTimeoutError`][inspector_kit.fetch.ExportTimeoutError] (a call's own
            ``timeout=`` overrides it).
        poll_interval: Seconds before the second status poll; doubled after each poll.
        max_poll_interval: The longest pause between two polls.
        sleep: Sleeps between polls (default ``time.sleep``; tests pass a fake).
        clock: Monotonic seconds for the timeout (default ``time.monotonic``).
        s3_client: The S3 client that reads the exported objects; by default one per
            region from the facade's session, with its merged ``Config``.

    Examples:
        >>> from inspector_kit.fetch import ExportSettings
        >>> settings = ExportSettings(timeout=120, sleep=lambda seconds: None)
        >>> settings.timeout, settings.poll_interval, settings.max_poll_interval
        (120, 1.0, 30.0)
    """

    timeout: float = attrs.field(default=600.0, validator=_seconds("timeout"))
    poll_interval: float = attrs.field(default=1.0, validator=_seconds("poll_interval"))
    max_poll_interval: float = attrs.field(default=30.0, validator=_seconds("max_poll_interval"))
    sleep: Callable[[float], None] = attrs.field(default=time.sleep, repr=False)
    clock: Callable[[], float] = attrs.field(default=time.monotonic, repr=False)
    s3_client: Any = attrs.field(default=None, repr=False)


@attrs.frozen
class ExportRecordIssue(RecordIssue):
    """A record of a findings report that could not be read, and the S3 object it is in.

    A value, not an exception: formerly ``ExportRecordError``, a deprecated alias now.

    A [`RecordIssue`][inspector_kit.loaders.RecordIssue] (``index``, ``line``, ``error``) plus
    ``key``. When a whole object cannot be read (not JSON, not UTF-8, a broken gzip stream),
    ``error`` is a [`SourceFormatError`][inspector_kit.errors.SourceFormatError] whose ``source`` is
    ``s3://bucket/key``, and ``index`` is the number of records read from the object
    before the problem.

    Attributes:
        key: The S3 key of the report object.

    Examples:
        >>> from inspector_kit import SourceFormatError
        >>> err = SourceFormatError("not UTF-8 text", source="s3://b/r-1.json")
        >>> print(ExportRecordIssue(0, None, err, key="r-1.json"))
        r-1.json: record 0: not UTF-8 text
    """

    key: str = attrs.field(kw_only=True)

    def __str__(self) -> str:
        return f"{self.key}: {super().__str__()}"


class _S3Stream(io.RawIOBase):
    """An S3 body as a named raw stream, so that errors name ``s3://bucket/key``.

    S3 failures while reading are [`FetchError`][inspector_kit.errors.FetchError], not botocore's
    exceptions.
    """

    def __init__(self, body: Any, *, name: str, region: str) -> None:
        self._body = body
        self.name = name
        self._region = region

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self._body.read(len(buffer))
        except OSError:
            raise
        except Exception as exc:
            raise translate(exc, region=self._region, operation="GetObject", service="s3") from exc
        buffer[: len(data)] = data
        return len(data)


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
        settings: ExportSettings | None = None,
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
        self.settings = settings if settings is not None else ExportSettings()
        self._objects: tuple[str, ...] | None = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.report_id} {self.status}>"

    def refresh(self) -> str:
        """Ask the service for the status once; returns it (and updates ``status``)."""
        try:
            response = getattr(self._client, self._status_method)(reportId=self.report_id)
        except Exception as exc:
            raise translate(exc, region=self.region, operation=self._status_operation) from exc
        self.status = str(response.get("status", "IN_PROGRESS"))
        self.error_code = response.get("errorCode")
        self.error_message = response.get("errorMessage")
        return self.status

    def wait(
        self,
        timeout: float | None = None,
        *,
        initial: float | None = None,
        maximum: float | None = None,
    ) -> None:
        """Poll with exponential backoff until the export is done.

        ``timeout`` (seconds), ``initial`` and ``maximum`` (the first and the longest
        pause between polls) default to the handle's
        [`ExportSettings`][inspector_kit.fetch.ExportSettings].

        Raises:
            ExportTimeoutError: still ``IN_PROGRESS`` after ``timeout`` seconds.
            ExportFailedError: it ended ``FAILED`` (except ``NO_FINDINGS_FOUND``, which is an
                empty export) or ``CANCELLED``.
        """
        settings = self.settings
        timeout = settings.timeout if timeout is None else timeout
        maximum = settings.max_poll_interval if maximum is None else maximum
        delay = settings.poll_interval if initial is None else initial
        deadline = settings.clock() + timeout
        while self.refresh() not in DONE:
            remaining = deadline - settings.clock()
            if remaining <= 0:
                raise ExportTimeoutError(
                    f"report {self.report_id} still IN_PROGRESS after {timeout:g}s; poll it "
                    "later or cancel it",
                    report_id=self.report_id,
                    region=self.region,
                    operation=self._status_operation,
                    code="Timeout",
                )
            settings.sleep(min(delay, remaining))
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

    def _read(self, key: str) -> bytes:
        """The whole object (an SBOM document); S3 failures are ``FetchError``."""
        body = self._body(key)
        try:
            return bytes(body.read())
        except Exception as exc:
            raise translate(exc, region=self.region, operation="GetObject", service="s3") from exc
        finally:
            body.close()

    def _url(self, key: str) -> str:
        return f"s3://{self.bucket}/{key}"


class FindingsExport(_Export):
    """A findings report (``CreateFindingsReport``): iterate it for the findings, streamed.

    Attributes:
        report_id: The report's id.
        status: ``IN_PROGRESS``, ``SUCCEEDED``, ``FAILED`` or ``CANCELLED``.
        objects: The report's S3 keys.
        errors: Records of the report that could not be read as findings, and objects
            that could not be read at all, each an
            [`ExportRecordIssue`][inspector_kit.fetch.ExportRecordIssue] naming its S3 key (filled
            while iterating; the iteration goes on).

    Examples:
        >>> from types import SimpleNamespace
        >>> service = SimpleNamespace(  # stands in for the inspector2 client
        ...     get_findings_report_status=lambda reportId: {"status": "SUCCEEDED"})
        >>> export = FindingsExport(client=service, s3_client=None, region="us-east-1",
        ...     report_id="r-1", bucket="reports", prefix="inspector", format="JSON",
        ...     kms_key_arn="arn:aws:kms:us-east-1:111122223333:key/k")
        >>> export.status, export.refresh(), export, export.errors
        ('IN_PROGRESS', 'SUCCEEDED', <FindingsExport r-1 SUCCEEDED>, [])
    """

    _status_operation = "GetFindingsReportStatus"
    _status_method = "get_findings_report_status"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.errors: list[ExportRecordIssue] = []

    def raise_for_errors(self) -> None:
        """Raise the first error of ``errors``, if any (all of them stay there)."""
        if self.errors:
            raise self.errors[0].error

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
            raise FetchOptionError(
                f"a {self.format} findings report cannot be read as findings; read "
                f"{list(self.objects)} yourself or export format='JSON'"
            )
        self._raise_for_status()
        for key in self.objects:
            body = self._body(key)
            stream = io.BufferedReader(_S3Stream(body, name=self._url(key), region=self.region))
            loaded = load_findings(stream)
            stopped: ExportRecordIssue | None = None
            try:
                yield from loaded
            except SourceFormatError as exc:  # nothing more can be read from this object
                done = loaded.count + len(loaded.errors) + len(loaded.skipped)
                stopped = ExportRecordIssue(done, exc.line, exc, key=key)
                logger.warning("%s: report object not read to the end: %s", self.report_id, stopped)
            finally:
                stream.close()
                body.close()
            self.errors.extend(
                ExportRecordIssue(**attrs.asdict(e, recurse=False), key=key) for e in loaded.errors
            )
            if stopped is not None:
                self.errors.append(stopped)


class SbomExport(_Export):
    """An SBOM export (``CreateSbomExport``): one document per resource.

    Iterating yields ``(key, document)`` pairs: ``SbomDocument`` from
    ``inspector_kit.sbom.parse_cyclonedx`` for CycloneDX, the parsed JSON for SPDX. A
    document that cannot be read (not JSON, not UTF-8, nested too deeply, not CycloneDX)
    is not yielded: it is reported in ``errors`` and the iteration goes on.

    Attributes:
        errors: The documents that could not be read, each an
            ``inspector_kit.sbom.SbomFormatError`` whose ``source`` is the S3 key (filled
            while iterating). A bad component is in its document's ``errors`` instead.

    Examples:
        >>> from types import SimpleNamespace
        >>> service = SimpleNamespace(get_sbom_export=lambda reportId: {  # inspector2 client
        ...     "status": "FAILED", "errorCode": "BUCKET_NOT_FOUND", "errorMessage": "no bucket"})
        >>> export = SbomExport(client=service, s3_client=None, region="us-east-1", report_id="s-1",
        ...     bucket="sboms", kms_key_arn="arn:aws:kms:us-east-1:111122223333:key/k",
        ...     prefix=None, format="CYCLONEDX_1_4")
        >>> export.refresh(), export.error_code, export.objects
        ('FAILED', 'BUCKET_NOT_FOUND', ())
    """

    _status_operation = "GetSbomExport"
    _status_method = "get_sbom_export"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.errors: list[SbomFormatError] = []

    def raise_for_errors(self) -> None:
        """Raise the first error of ``errors``, if any (all of them stay there)."""
        if self.errors:
            raise self.errors[0]

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        from inspector_kit.sbom import SbomFormatError, parse_cyclonedx

        self._raise_for_status()
        failed = 0
        for key in self.objects:
            data = self._read(key)
            try:
                if self.format == "CYCLONEDX_1_4":
                    document: Any = parse_cyclonedx(data, source=key)
                else:
                    document = _json_document(data, key)
            except SbomFormatError as exc:
                self.errors.append(exc)
                failed += 1
                continue
            yield key, document
        if failed:
            logger.warning(
                "%s: %d document(s) could not be read; first: %s",
                self.report_id,
                failed,
                self.errors[-failed],
            )


def _json_document(data: bytes, key: str) -> Any:
    """An SPDX (or other JSON) document; bad JSON is an SbomFormatError naming the key."""
    from inspector_kit.sbom import SbomFormatError

    try:
        return json.loads(data)
    except UnicodeDecodeError as exc:
        raise SbomFormatError(f"not JSON: not UTF-8 text ({exc.reason})", source=key) from None
    except RecursionError:
        raise SbomFormatError("not JSON: nested too deeply", source=key) from None
    except ValueError as exc:
        raise SbomFormatError(f"not JSON: {exc}", source=key) from None


def conflict(exc: BaseException, *, region: str) -> ExportInProgressError | None:
    """An ``ExportInProgressError`` when ``exc`` says a report is already running."""
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


def _destination(bucket: str, kms_key_arn: str, prefix: str | None) -> dict[str, str]:
    destination = {"bucketName": bucket, "kmsKeyArn": kms_key_arn}
    if prefix:
        destination["keyPrefix"] = prefix
    return destination


def start_findings_report(
    core: Core,
    settings: ExportSettings,
    bucket: str,
    kms_key_arn: str,
    *,
    filter_criteria: Mapping[str, Any],
    format: str,
    prefix: str | None,
    wait: bool,
    timeout: float | None,
    region: str | None,
) -> FindingsExport:
    """``CreateFindingsReport`` (see ``Inspector.export_findings``), waited for if asked."""
    if format not in FINDINGS_FORMATS:
        raise FetchOptionError(f"format must be one of {FINDINGS_FORMATS}, got {format!r}")
    where = region or core.regions[0]
    client = core.client(where)
    params: dict[str, Any] = {
        "reportFormat": format,
        "s3Destination": _destination(bucket, kms_key_arn, prefix),
    }
    if filter_criteria:
        params["filterCriteria"] = dict(filter_criteria)
    try:
        response = client.create_findings_report(**params)
    except Exception as exc:
        raise conflict(exc, region=where) or translate(
            exc, region=where, operation="CreateFindingsReport"
        ) from exc
    export = FindingsExport(
        client=client,
        s3_client=settings.s3_client or core.service("s3", where),
        region=where,
        report_id=str(response["reportId"]),
        bucket=bucket,
        kms_key_arn=kms_key_arn,
        prefix=prefix,
        format=format,
        settings=settings,
    )
    if wait:
        export.wait(timeout)
    return export


def start_sbom_export(
    core: Core,
    settings: ExportSettings,
    bucket: str,
    kms_key_arn: str,
    *,
    format: str,
    resource_criteria: Mapping[str, Any] | None,
    prefix: str | None,
    wait: bool,
    timeout: float | None,
    region: str | None,
) -> SbomExport:
    """``CreateSbomExport`` (see ``Inspector.export_sbom``), waited for if asked."""
    if format not in SBOM_FORMATS:
        raise FetchOptionError(f"format must be one of {SBOM_FORMATS}, got {format!r}")
    where = region or core.regions[0]
    client = core.client(where)
    params: dict[str, Any] = {
        "reportFormat": format,
        "s3Destination": _destination(bucket, kms_key_arn, prefix),
    }
    if resource_criteria:
        params["resourceFilterCriteria"] = dict(resource_criteria)
    response = call(client, "CreateSbomExport", "create_sbom_export", params, region=where)
    export = SbomExport(
        client=client,
        s3_client=settings.s3_client or core.service("s3", where),
        region=where,
        report_id=str(response["reportId"]),
        bucket=bucket,
        kms_key_arn=kms_key_arn,
        prefix=prefix,
        format=format,
        settings=settings,
    )
    if wait:
        export.wait(timeout)
    return export
