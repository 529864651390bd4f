"""The loopback's server-side exports: findings reports and SBOM exports written to S3.

Reports are written with the boto3 S3 client given to ``LoopbackInspector(s3=...)`` (in
tests, one created inside moto's ``mock_aws``). Every report is deterministic:

* ``Create*`` answers a ``reportId``; the report is ``IN_PROGRESS``.
* The first status call answers ``IN_PROGRESS``; the second writes the objects and answers
  ``SUCCEEDED``, or ``FAILED`` with the model's ``errorCode``: ``BUCKET_NOT_FOUND`` (the
  bucket does not exist), ``MALFORMED_KMS_KEY`` (a KMS key ARN containing ``denied``),
  ``INVALID_PERMISSIONS`` (any other S3 error), ``INTERNAL_ERROR`` (no S3 client given).
* A second ``CreateFindingsReport`` while the account has one ``IN_PROGRESS`` answers a
  ``ConflictException`` (409); the model declares no conflict error for the operation,
  this is the loopback's choice. ``CancelFindingsReport`` cancels an ``IN_PROGRESS`` one.

Findings reports hold the caller's visible findings in the request's region that match
``filterCriteria`` (``ACTIVE`` only unless ``findingStatus`` is filtered), as
``{"findings": [...]}`` (JSON) or a few CSV columns, under ``<keyPrefix>/<reportId>.json``.
SBOM exports write one document per EC2 (not Windows), ECR image or Lambda function with
ACTIVE findings, under ``<keyPrefix>/<reportId>/<resourceType>/<resourceId>.json``, its
components the findings' vulnerable packages as Package URLs.
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import uuid
from typing import TYPE_CHECKING, Any

from ._query import string_filter_matcher
from ._service import ServiceError

if TYPE_CHECKING:
    from ._backend import Backend, Caller

__all__: list[str] = []

_ACTIVE = [{"comparison": "EQUALS", "value": "ACTIVE"}]
_SBOM_TYPES = ("AWS_EC2_INSTANCE", "AWS_ECR_CONTAINER_IMAGE", "AWS_LAMBDA_FUNCTION")
_CSV_COLUMNS = ("findingArn", "awsAccountId", "severity", "status", "title", "type")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _resource_values(finding: dict[str, Any]) -> dict[str, list[str]]:
    resource = (finding.get("resources") or [{}])[0]
    details = resource.get("details") or {}
    ecr = details.get("awsEcrContainerImage") or {}
    function = details.get("awsLambdaFunction") or {}
    return {
        "accountId": [finding.get("awsAccountId", "")],
        "resourceId": [resource.get("id", "")],
        "resourceType": [resource.get("type", "")],
        "ecrRepositoryName": [ecr["repositoryName"]] if "repositoryName" in ecr else [],
        "ecrImageTags": list(ecr.get("imageTags") or []),
        "lambdaFunctionName": [function["functionName"]] if "functionName" in function else [],
    }


class _Exports:
    """Report state and the five export operations (shared by every server thread)."""

    def __init__(self, backend: Backend, s3: Any) -> None:
        self._backend = backend
        self._s3 = s3
        self._reports: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ findings reports

    def create_findings_report(self, caller: Caller, body: dict[str, Any]) -> str:
        criteria = dict(body.get("filterCriteria") or {})
        criteria.setdefault("findingStatus", _ACTIVE)
        rows = self._backend._finding_rows(caller, {"filterCriteria": criteria})
        with self._lock:
            for report_id, state in self._reports.items():
                if (
                    state["kind"] == "findings"
                    and state["account"] == caller.own_account
                    and state["status"] == "IN_PROGRESS"
                ):
                    raise ServiceError(
                        "ConflictException",
                        f"A findings report is already in progress for account "
                        f"{caller.own_account}: {report_id}. Only one report can be in "
                        "progress at a time; wait for it or cancel it.",
                        members={"resourceId": report_id, "resourceType": "FINDINGS_REPORT"},
                    )
            report_id = str(uuid.uuid4())
            self._reports[report_id] = {
                "kind": "findings",
                "account": caller.own_account,
                "region": caller.region,
                "status": "IN_PROGRESS",
                "polls": 0,
                "body": body,
                "rows": rows,
            }
        return json.dumps({"reportId": report_id})

    def get_findings_report_status(self, caller: Caller, body: dict[str, Any]) -> str:
        report_id = body.get("reportId")
        if report_id is None:  # the model makes it optional: AWS answers the latest report
            with self._lock:
                mine = [
                    rid
                    for rid, s in self._reports.items()
                    if s["kind"] == "findings" and s["account"] == caller.own_account
                ]
            if not mine:
                raise ServiceError("ResourceNotFoundException", "No findings report exists")
            report_id = mine[-1]
        state = self._advance(caller, str(report_id), "findings")
        request = state["body"]
        out: dict[str, Any] = {
            "reportId": report_id,
            "status": state["status"],
            "destination": request["s3Destination"],
        }
        if request.get("filterCriteria"):
            out["filterCriteria"] = request["filterCriteria"]
        if "errorCode" in state:
            out["errorCode"] = state["errorCode"]
            out["errorMessage"] = state["errorMessage"]
        return json.dumps(out)

    def cancel_findings_report(self, caller: Caller, body: dict[str, Any]) -> str:
        state = self._state(caller, body["reportId"], "findings")
        with self._lock:
            if state["status"] == "IN_PROGRESS":
                state["status"] = "CANCELLED"
        return json.dumps({"reportId": body["reportId"]})

    # ------------------------------------------------------------------ SBOM exports

    def create_sbom_export(self, caller: Caller, body: dict[str, Any]) -> str:
        filters = body.get("resourceFilterCriteria") or {}
        supported = {"accountId", "resourceId", "resourceType", "ecrRepositoryName"}
        supported |= {"ecrImageTags", "lambdaFunctionName"}
        unknown = sorted(set(filters) - supported)
        if unknown:
            raise ServiceError.validation(
                "The inspector_kit loopback server does not implement resourceFilterCriteria "
                f"{', '.join(unknown)} (it implements {', '.join(sorted(supported))})"
            )
        rows = self._backend._finding_rows(caller, {"filterCriteria": {"findingStatus": _ACTIVE}})
        report_id = str(uuid.uuid4())
        with self._lock:
            self._reports[report_id] = {
                "kind": "sbom",
                "account": caller.own_account,
                "region": caller.region,
                "status": "IN_PROGRESS",
                "polls": 0,
                "body": body,
                "rows": rows,
            }
        return json.dumps({"reportId": report_id})

    def get_sbom_export(self, caller: Caller, body: dict[str, Any]) -> str:
        state = self._advance(caller, body["reportId"], "sbom")
        request = state["body"]
        out: dict[str, Any] = {
            "reportId": body["reportId"],
            "format": request["reportFormat"],
            "status": state["status"],
            "s3Destination": request["s3Destination"],
        }
        if request.get("resourceFilterCriteria"):
            out["filterCriteria"] = request["resourceFilterCriteria"]
        if "errorCode" in state:
            out["errorCode"] = state["errorCode"]
            out["errorMessage"] = state["errorMessage"]
        return json.dumps(out)

    # ------------------------------------------------------------------ state machine

    def _state(self, caller: Caller, report_id: str, kind: str) -> dict[str, Any]:
        with self._lock:
            state = self._reports.get(report_id)
        if (
            state is None
            or state["kind"] != kind
            or state["region"] != caller.region
            or state["account"] != caller.own_account
        ):
            raise ServiceError("ResourceNotFoundException", f"Report {report_id} was not found")
        return state

    def _advance(self, caller: Caller, report_id: str, kind: str) -> dict[str, Any]:
        state = self._state(caller, report_id, kind)
        with self._lock:
            if state["status"] != "IN_PROGRESS":
                return state
            state["polls"] += 1
            if state["polls"] < 2:
                return state
        objects = self._objects(report_id, state)
        failure = self._write(state["body"]["s3Destination"], objects)
        with self._lock:
            if state["status"] == "IN_PROGRESS":  # not cancelled meanwhile
                if failure is None:
                    state["status"] = "SUCCEEDED"
                else:
                    state["status"] = "FAILED"
                    state["errorCode"], state["errorMessage"] = failure
        return state

    def _key(self, destination: dict[str, Any], name: str) -> str:
        prefix = str(destination.get("keyPrefix") or "").strip("/")
        return f"{prefix}/{name}" if prefix else name

    def _objects(self, report_id: str, state: dict[str, Any]) -> list[tuple[str, bytes]]:
        destination = state["body"]["s3Destination"]
        text = self._backend.dataset.finding_text
        if state["kind"] == "findings":
            if state["body"]["reportFormat"] == "CSV":
                out = io.StringIO()
                writer = csv.writer(out)
                writer.writerow(_CSV_COLUMNS)
                for row in state["rows"]:
                    finding = json.loads(text(row))
                    writer.writerow([finding.get(c, "") for c in _CSV_COLUMNS])
                return [(self._key(destination, f"{report_id}.csv"), out.getvalue().encode())]
            payload = '{"findings":[' + ",".join(text(row) for row in state["rows"]) + "]}"
            return [(self._key(destination, f"{report_id}.json"), payload.encode("utf-8"))]
        return self._sbom_objects(report_id, state)

    def _sbom_objects(self, report_id: str, state: dict[str, Any]) -> list[tuple[str, bytes]]:
        from inspector_kit.models import Finding

        request = state["body"]
        filters = request.get("resourceFilterCriteria") or {}
        matchers = {name: string_filter_matcher(value) for name, value in filters.items()}
        resources: dict[tuple[str, str], dict[str, Any]] = {}
        for row in state["rows"]:
            raw = json.loads(self._backend.dataset.finding_text(row))
            values = _resource_values(raw)
            kind, rid = values["resourceType"][0], values["resourceId"][0]
            if kind not in _SBOM_TYPES or not all(m(values[n]) for n, m in matchers.items()):
                continue
            resource = raw["resources"][0]
            platform = str(
                (resource.get("details") or {}).get("awsEc2Instance", {}).get("platform") or ""
            )
            if "WINDOWS" in platform.upper():
                continue  # docs/facts.md#exports: no SBOM for Windows EC2
            entry = resources.setdefault((kind, rid), {"account": raw["awsAccountId"], "purls": {}})
            for purl in Finding.from_api(raw).purls:
                if purl is not None:
                    entry["purls"][purl.to_string()] = purl
        objects: list[tuple[str, bytes]] = []
        for (kind, rid), entry in sorted(resources.items()):
            purls = [entry["purls"][k] for k in sorted(entry["purls"])]
            if request["reportFormat"] == "SPDX_2_3":
                document: dict[str, Any] = {
                    "spdxVersion": "SPDX-2.3",
                    "SPDXID": "SPDXRef-DOCUMENT",
                    "name": rid,
                    "packages": [
                        {
                            "name": p.name,
                            "versionInfo": p.version,
                            "externalRefs": [
                                {
                                    "referenceCategory": "PACKAGE-MANAGER",
                                    "referenceType": "purl",
                                    "referenceLocator": p.to_string(),
                                }
                            ],
                        }
                        for p in purls
                    ],
                }
            else:
                document = {
                    "bomFormat": "CycloneDX",
                    "specVersion": "1.4",
                    "serialNumber": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, report_id + rid)}",
                    "version": 1,
                    "metadata": {
                        "tools": [{"vendor": "inspector_kit", "name": "loopback"}],
                        "component": {
                            "type": "container"
                            if kind == "AWS_ECR_CONTAINER_IMAGE"
                            else "application",
                            "bom-ref": rid,
                            "name": rid,
                            "properties": [
                                {"name": "amazon:inspector:resource_type", "value": kind},
                                {"name": "amazon:inspector:account_id", "value": entry["account"]},
                            ],
                        },
                    },
                    "components": [
                        {
                            "type": "library",
                            "bom-ref": p.to_string(),
                            "name": p.name,
                            "version": p.version or "",
                            "purl": p.to_string(),
                        }
                        for p in purls
                    ],
                }
            name = f"{report_id}/{kind}/{_UNSAFE.sub('_', rid)}.json"
            body = json.dumps(document, separators=(",", ":")).encode("utf-8")
            objects.append((self._key(request["s3Destination"], name), body))
        return objects

    def _write(
        self, destination: dict[str, Any], objects: list[tuple[str, bytes]]
    ) -> tuple[str, str] | None:
        """Put ``objects``; ``(errorCode, errorMessage)`` on failure."""
        bucket = destination["bucketName"]
        key_arn = destination["kmsKeyArn"]
        if "denied" in key_arn.lower():
            return (
                "MALFORMED_KMS_KEY",
                f"Amazon Inspector cannot use KMS key {key_arn}: the key policy must allow "
                "the inspector2.amazonaws.com principal kms:GenerateDataKey and kms:Decrypt",
            )
        if self._s3 is None:
            return ("INTERNAL_ERROR", "the loopback was started without an S3 client (s3=...)")
        from botocore.exceptions import ClientError

        try:
            for key, body in objects:
                self._s3.put_object(Bucket=bucket, Key=key, Body=body)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in ("NoSuchBucket", "404"):
                return ("BUCKET_NOT_FOUND", f"The S3 bucket {bucket} does not exist")
            return ("INVALID_PERMISSIONS", f"Amazon Inspector cannot write to {bucket}: {code}")
        return None
