"""The loopback's request handling, independent of HTTP: route, authorise, fault, validate, answer.

``Backend.handle`` takes the request line, headers and body bytes and returns the status,
headers and body bytes to send. Query results (the filtered, sorted rows of a request) are
cached per request fingerprint, so paging through 100,000 findings costs one query.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from . import _service
from ._dataset import LoopbackDataset, _account_state
from ._exports import _Exports
from ._query import (
    COVERAGE_GROUPS,
    SORT_FIELDS,
    compile_coverage_filter,
    compile_finding_filter,
    sort_key,
    string_filter_matcher,
)
from ._scans import AMI_ID, ON_DEMAND_OPERATIONS, _Scans
from ._service import ServiceError

if TYPE_CHECKING:
    from ._faults import Faults

__all__ = ["Backend", "Caller", "reason_phrase"]

_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/(\d{8})/([^/,\s]+)/([^/,\s]+)/aws4_request")
_CACHE_SIZE = 64
_PAGINATED = frozenset(
    {
        "ListCoverage",
        "ListCoverageStatistics",
        "ListFindingAggregations",
        "ListFindings",
        "ListMembers",
        "ListOnDemandScans",
        "ListUsageTotals",
    }
)
# Page sizes: the largest maxResults the model allows, except ListFindings (at most 25
# findings a page, docs/facts.md#api) and ListCoverageStatistics (countsByGroup holds at
# most 5 entries in the model).
_FINDINGS_PAGE = 25
_STATISTICS_PAGE = 5
_DEFAULT_PAGE = {
    "ListCoverage": 200,
    "ListUsageTotals": 500,
    "ListMembers": 50,
    "ListFindingAggregations": 100,
}
_AGGREGATIONS = {"ACCOUNT": "accountAggregation", "TITLE": "titleAggregation"}
_AGGREGATION_MEMBERS = {
    "FINDING_TYPE": "findingTypeAggregation",
    "PACKAGE": "packageAggregation",
    "TITLE": "titleAggregation",
    "REPOSITORY": "repositoryAggregation",
    "AMI": "amiAggregation",
    "AWS_EC2_INSTANCE": "ec2InstanceAggregation",
    "AWS_ECR_CONTAINER": "awsEcrContainerAggregation",
    "IMAGE_LAYER": "imageLayerAggregation",
    "ACCOUNT": "accountAggregation",
    "AWS_LAMBDA_FUNCTION": "lambdaFunctionAggregation",
    "LAMBDA_LAYER": "lambdaLayerAggregation",
    "CODE_REPOSITORY": "codeRepositoryAggregation",
    "VM_INSTANCE": "vmInstanceAggregation",
    "CONTAINER_IMAGE": "containerImageAggregation",
    "SERVERLESS_FUNCTION": "serverlessFunctionAggregation",
}
_SEVERITY_COUNTS = (
    ("critical", "CRITICAL"),
    ("high", "HIGH"),
    ("medium", "MEDIUM"),
    ("low", "LOW"),
    ("informational", "INFORMATIONAL"),
    ("untriaged", "UNTRIAGED"),
)
_REASONS = {
    200: "OK",
    400: "Bad Request",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    501: "Not Implemented",
}


@attrs.frozen
class Caller:
    """Who sent a request: region and access key from SigV4, and the account scope."""

    region: str
    access_key: str
    scope: str | None
    """The only account whose data the caller sees (``None``: every account, an administrator)."""
    own_account: str | None
    """The account the caller acts as (its own configuration, status)."""


Recorder = Callable[[str, str, str, dict[str, Any], int, "str | None"], None]


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


class Backend:
    """Answers inspector2 requests from a dataset; shared by every server thread."""

    def __init__(
        self,
        dataset: LoopbackDataset,
        accounts: Mapping[str, str] | Callable[[str], str | None],
        faults: Callable[[], Faults],
        record: Recorder,
        *,
        s3: Any = None,
    ) -> None:
        self.dataset = dataset
        self._exports = _Exports(self, s3)
        self._scans = _Scans(self)
        self.accounts: dict[str, str] = {} if callable(accounts) else dict(accounts)
        self._account_of = accounts if callable(accounts) else self.accounts.get
        self._faults = faults
        self._record = record
        self._secret = os.urandom(16)
        self._cache: OrderedDict[str, Any] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._handlers: dict[str, Callable[[Caller, dict[str, Any]], str]] = {
            "ListFindings": self._list_findings,
            "ListCoverage": self._list_coverage,
            "ListCoverageStatistics": self._list_coverage_statistics,
            "GetConfiguration": self._get_configuration,
            "GetEc2DeepInspectionConfiguration": self._get_deep_inspection,
            "BatchGetAccountStatus": self._batch_get_account_status,
            "BatchGetMemberEc2DeepInspectionStatus": self._batch_get_member_deep_inspection,
            "ListUsageTotals": self._list_usage_totals,
            "BatchGetFreeTrialInfo": self._batch_get_free_trial_info,  # --- cost ---
            "ListMembers": self._list_members,
            "BatchGetFindingDetails": self._batch_get_finding_details,
            "ListFindingAggregations": self._list_finding_aggregations,
            "CreateFindingsReport": self._exports.create_findings_report,
            "GetFindingsReportStatus": self._exports.get_findings_report_status,
            "CancelFindingsReport": self._exports.cancel_findings_report,
            "CreateSbomExport": self._exports.create_sbom_export,
            "GetSbomExport": self._exports.get_sbom_export,
            "StartOnDemandScan": self._scans.start,
            "GetOnDemandScanStatus": self._scans.status,
            "ListOnDemandScans": self._scans.list,
        }

    # ------------------------------------------------------------------ the request cycle

    def handle(
        self, method: str, path: str, authorization: str | None, raw: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        """Answer one request (its ``Authorization`` header and body): status, headers, body."""
        operation = _service.match_route(method, path) or ""
        region, access_key = _sigv4(authorization)
        body: dict[str, Any] = {}
        status = 200
        error_code: str | None = None
        extra: list[tuple[str, str]] = []
        try:
            body = _parse_body(raw)
            if not operation:
                raise ServiceError(
                    "UnknownOperationException",
                    f"No inspector2 operation is routed at {method} {path.split('?', 1)[0]}",
                    status=404,
                )
            if not region:
                raise ServiceError(
                    "MissingAuthenticationTokenException",
                    "The request is not signed with SigV4 (no Authorization credential scope)",
                )
            self._request_faults(operation, region, self._account_of(access_key))
            if operation not in _service.IMPLEMENTED:
                raise ServiceError(
                    "NotImplementedException",
                    f"The inspector_kit loopback server does not implement {operation}",
                )
            _service.validate_input(operation, _ami_as_resource(operation, body))
            caller = self._caller(region, access_key)
            text = self._handlers[operation](caller, body)
        except ServiceError as exc:
            status = exc.status
            error_code = exc.code
            extra.append(("x-amzn-ErrorType", exc.code))
            text = _dumps(exc.body())
        except Exception as exc:  # a loopback bug: answer like AWS, with a useful message
            status = 500
            error_code = "InternalServerException"
            extra.append(("x-amzn-ErrorType", error_code))
            text = _dumps({"message": f"loopback error: {type(exc).__name__}: {exc}"})
        self._record(operation, region, access_key, body, status, error_code)
        payload = text.encode("utf-8")
        out = [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(payload))),
            ("x-amzn-RequestId", str(uuid.uuid4())),
            *extra,
        ]
        return status, out, payload

    def _caller(self, region: str, access_key: str) -> Caller:
        account = self._account_of(access_key)
        if account is not None:
            return Caller(region, access_key, account, account)
        return Caller(region, access_key, None, self.dataset.caller_account())

    def _request_faults(self, operation: str, region: str, account: str | None = None) -> None:
        faults = self._faults()
        if not faults.applies_to(operation):
            return
        delay = faults.delay_for(region) + faults.latency_by_account.get(account or "", 0.0)
        if delay > 0:
            faults.count("latency")
            time.sleep(delay)
        if region in faults.deny_regions or (
            account is not None and account in faults.deny_accounts
        ):
            faults.count("access_denied")
            raise ServiceError(
                "AccessDeniedException",
                f"User is not authorized to perform: inspector2:{operation} in {region} "
                "(injected by the inspector_kit loopback)",
            )
        if account is not None and account in faults.throttle_accounts:
            faults.count("throttle")
            raise ServiceError(
                "ThrottlingException", "Rate exceeded (injected by the inspector_kit loopback)"
            )
        kind = faults.draw_error()
        if kind == "throttle":
            faults.count("throttle")
            raise ServiceError(
                "ThrottlingException", "Rate exceeded (injected by the inspector_kit loopback)"
            )
        if kind == "server_error":
            faults.count("server_error")
            raise ServiceError(
                "InternalServerException",
                "Internal server error (injected by the inspector_kit loopback)",
            )

    # ------------------------------------------------------------------ paging

    def _fingerprint(self, operation: str, caller: Caller, body: Mapping[str, Any]) -> str:
        query = {k: v for k, v in body.items() if k not in ("nextToken", "maxResults")}
        text = json.dumps([operation, caller.region, caller.scope, query], sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def _sign(self, payload: str) -> str:
        return hmac.new(self._secret, payload.encode("ascii"), hashlib.sha256).hexdigest()[:20]

    def _encode(self, offset: int, empties: int, fingerprint: str) -> str:
        payload = f"{offset}.{empties}.{fingerprint}"
        raw = f"{payload}.{self._sign(payload)}".encode("ascii")
        return base64.urlsafe_b64encode(raw).decode("ascii")

    def _decode(self, token: str, fingerprint: str) -> tuple[int, int]:
        if not token:
            raise ServiceError.validation(
                "nextToken must not be empty: omit it on the first call", reason="OTHER"
            )
        try:
            text = base64.urlsafe_b64decode(token.encode("ascii")).decode("ascii")
            offset, empties, issued_for, signature = text.split(".")
            valid = hmac.compare_digest(signature, self._sign(f"{offset}.{empties}.{issued_for}"))
            position = (int(offset), int(empties))
        except (ValueError, UnicodeError, binascii.Error):
            valid = False
        if not valid:
            raise ServiceError.validation(
                "The nextToken is invalid: it was not issued by this server", reason="OTHER"
            )
        if issued_for != fingerprint:
            raise ServiceError.validation(
                "The nextToken was issued for a different request (operation, region, "
                "filter or sort changed)",
                reason="OTHER",
            )
        return position

    def _page(
        self, operation: str, caller: Caller, body: Mapping[str, Any], total: int, size: int
    ) -> tuple[int, int, str | None]:
        """The slice ``[start, end)`` of the results to serve, and the next token."""
        fingerprint = self._fingerprint(operation, caller, body)
        token = body.get("nextToken")
        offset, empties = (0, 0) if token is None else self._decode(token, fingerprint)
        faults = self._faults()
        active = faults if faults.applies_to(operation) else None
        repeat = active is not None and active.repeat_token and token is not None
        if offset >= total and offset > 0:  # the call after a trailing token
            if repeat and active is not None:
                active.count("repeat_token")
                return total, total, token
            return total, total, None
        if active is not None and empties < active.empty_pages:
            active.count("empty_page")
            return offset, offset, self._encode(offset, empties + 1, fingerprint)
        start = offset
        if active is not None and active.duplicate_overlap and offset > 0:
            overlap = min(active.duplicate_overlap, size - 1, offset)
            if overlap > 0:
                active.count("duplicate_overlap")
                start = offset - overlap
        end = min(total, start + size)
        next_token: str | None = None
        if end < total:
            next_token = self._encode(end, 0, fingerprint)
        elif active is not None and active.trailing_token and total > 0:
            active.count("trailing_token")
            next_token = self._encode(total, 0, fingerprint)
        if repeat and active is not None:
            active.count("repeat_token")
            next_token = token
        return start, end, next_token

    def _cached(self, key: str, compute: Callable[[], Any]) -> Any:
        with self._cache_lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        value = compute()
        with self._cache_lock:
            self._cache[key] = value
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return value

    def _query_key(self, operation: str, caller: Caller, body: Mapping[str, Any]) -> str:
        query = {k: v for k, v in body.items() if k not in ("nextToken", "maxResults")}
        return json.dumps([operation, caller.region, caller.scope, query], sort_keys=True)

    @staticmethod
    def _join(member: str, items: list[str], token: str | None, head: str = "{") -> str:
        text = head + '"' + member + '":[' + ",".join(items) + "]"
        if token is not None:
            text += ',"nextToken":' + json.dumps(token)
        return text + "}"

    # ------------------------------------------------------------------ findings

    def _finding_rows(self, caller: Caller, body: Mapping[str, Any]) -> list[int]:
        ds = self.dataset
        criteria = dict(body.get("filterCriteria") or {})
        arn_filters = criteria.pop("findingArn", None)
        predicates = compile_finding_filter(criteria)
        arn_match = string_filter_matcher(arn_filters) if arn_filters else None
        templates = ds._templates
        row_template = ds._row_template
        row_arn = ds._row_arn
        scope = caller.scope
        verdicts: dict[int, bool] = {}

        def keep(row: int) -> bool:
            index = row_template[row]
            verdict = verdicts.get(index)
            if verdict is None:
                template = templates[index]
                verdict = (scope is None or template.account == scope) and all(
                    p(template.features) for p in predicates
                )
                verdicts[index] = verdict
            return verdict and (arn_match is None or arn_match((row_arn[row],)))

        rows = [row for row in ds._by_region.get(caller.region, ()) if keep(row)]
        sort = body.get("sortCriteria")
        if sort:
            field = sort["field"]
            if field not in SORT_FIELDS:  # pragma: no cover - every model value is mapped
                raise ServiceError.validation(
                    f"The inspector_kit loopback server does not implement sorting by {field}"
                )
            keys: dict[int, tuple[int, Any]] = {}
            for index in {row_template[row] for row in rows}:
                keys[index] = sort_key(templates[index].features, field)
            rows.sort(key=lambda row: keys[row_template[row]], reverse=sort["sortOrder"] == "DESC")
        return rows

    def _list_findings(self, caller: Caller, body: dict[str, Any]) -> str:
        key = self._query_key("ListFindings", caller, body)
        rows: list[int] = self._cached(key, lambda: self._finding_rows(caller, body))
        size = min(int(body.get("maxResults", _FINDINGS_PAGE)), _FINDINGS_PAGE)
        start, end, token = self._page("ListFindings", caller, body, len(rows), size)
        text = self.dataset.finding_text
        return self._join("findings", [text(row) for row in rows[start:end]], token)

    def _batch_get_finding_details(self, caller: Caller, body: dict[str, Any]) -> str:
        ds = self.dataset
        details: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        for arn in body["findingArns"]:
            row = ds._arn_index.get(arn)
            template = None if row is None else ds._templates[ds._row_template[row]]
            if template is None or template.region != caller.region:
                errors.append(_detail_error(arn, "FINDING_DETAILS_NOT_FOUND", "Finding not found"))
            elif caller.scope is not None and template.account != caller.scope:
                errors.append(_detail_error(arn, "ACCESS_DENIED", "Access denied to this finding"))
            elif template.details is None:
                errors.append(
                    _detail_error(arn, "FINDING_DETAILS_NOT_FOUND", "No details for this finding")
                )
            else:
                details.append({"findingArn": arn, **template.details})
        return _dumps({"findingDetails": details, "errors": errors})

    def _aggregation_rows(self, caller: Caller, body: Mapping[str, Any]) -> list[str]:
        kind = body["aggregationType"]
        member = _AGGREGATIONS.get(kind)
        if member is None:
            raise ServiceError.validation(
                f"The inspector_kit loopback server does not implement aggregationType {kind} "
                f"(it implements {', '.join(sorted(_AGGREGATIONS))})"
            )
        request = body.get("aggregationRequest") or {}
        given = next((k for k, v in request.items() if v is not None), None)
        if given is not None and given != member:
            raise ServiceError.validation(
                f"aggregationRequest.{given} does not match aggregationType {kind} "
                f"(expected {_AGGREGATION_MEMBERS[kind]})",
                reason="FIELD_VALIDATION_FAILED",
            )
        spec: Mapping[str, Any] = request.get(member) or {}
        account_match = (
            string_filter_matcher(body["accountIds"]) if body.get("accountIds") else None
        )
        title_match = string_filter_matcher(spec["titles"]) if spec.get("titles") else None
        vuln_match = (
            string_filter_matcher(spec["vulnerabilityIds"])
            if spec.get("vulnerabilityIds")
            else None
        )
        finding_type = spec.get("findingType")
        resource_type = spec.get("resourceType")
        ds = self.dataset
        per_template: dict[int, int] = {}
        for row in ds._by_region.get(caller.region, ()):
            index = ds._row_template[row]
            per_template[index] = per_template.get(index, 0) + 1
        groups: dict[str, dict[str, Any]] = {}
        for index, count in per_template.items():
            template = ds._templates[index]
            features = template.features
            if caller.scope is not None and template.account != caller.scope:
                continue
            if features.get("findingStatus") != ("ACTIVE",):
                continue
            if account_match is not None and not account_match((template.account,)):
                continue
            if finding_type is not None and finding_type not in features.get("findingType", ()):
                continue
            if resource_type is not None and resource_type not in features.get("resourceType", ()):
                continue
            if title_match is not None and not title_match(features.get("title", ())):
                continue
            if vuln_match is not None and not vuln_match(features.get("vulnerabilityId", ())):
                continue
            if kind == "ACCOUNT":
                group_key = template.account
            else:
                group_key = str((features.get("title") or ("",))[0])
            group = groups.setdefault(
                group_key,
                {
                    "counts": dict.fromkeys(("all", *(n for n, _ in _SEVERITY_COUNTS)), 0),
                    "accounts": set(),
                    "vulns": [],
                    "exploit": 0,
                    "fix": 0,
                },
            )
            counts = group["counts"]
            counts["all"] += count
            severity = (features.get("severity") or ("",))[0]
            for name, value in _SEVERITY_COUNTS:
                if severity == value:
                    counts[name] += count
            group["accounts"].add(template.account)
            for vuln in features.get("vulnerabilityId", ()):
                if vuln not in group["vulns"]:
                    group["vulns"].append(vuln)
            if "YES" in features.get("exploitAvailable", ()):
                group["exploit"] += count
            if "YES" in features.get("fixAvailable", ()):
                group["fix"] += count
        sort_by = str(spec.get("sortBy", "CRITICAL")).lower()
        descending = spec.get("sortOrder", "DESC") == "DESC"
        ordered = sorted(groups.items(), key=lambda item: item[0])
        ordered.sort(key=lambda item: int(item[1]["counts"][sort_by]), reverse=descending)
        out: list[str] = []
        for group_key, group in ordered:
            if kind == "ACCOUNT":
                response: dict[str, Any] = {
                    "accountId": group_key,
                    "severityCounts": group["counts"],
                    "exploitAvailableCount": group["exploit"],
                    "fixAvailableCount": group["fix"],
                }
            else:
                response = {"title": group_key, "severityCounts": group["counts"]}
                if group["vulns"]:
                    response["vulnerabilityId"] = group["vulns"][0]
                if len(group["accounts"]) == 1:
                    response["accountId"] = next(iter(group["accounts"]))
            out.append(_dumps({member: response}))
        return out

    def _list_finding_aggregations(self, caller: Caller, body: dict[str, Any]) -> str:
        key = self._query_key("ListFindingAggregations", caller, body)
        items: list[str] = self._cached(key, lambda: self._aggregation_rows(caller, body))
        size = int(body.get("maxResults", _DEFAULT_PAGE["ListFindingAggregations"]))
        start, end, token = self._page("ListFindingAggregations", caller, body, len(items), size)
        head = '{"aggregationType":' + json.dumps(body["aggregationType"]) + ","
        return self._join("responses", items[start:end], token, head=head)

    # ------------------------------------------------------------------ coverage

    def _coverage_records(self, caller: Caller, body: Mapping[str, Any]) -> list[Any]:
        predicates = compile_coverage_filter(body.get("filterCriteria"))
        scope = caller.scope
        return [
            record
            for record in self.dataset._coverage.get(caller.region, ())
            if (scope is None or record.account == scope)
            and all(p(record.features) for p in predicates)
        ]

    def _list_coverage(self, caller: Caller, body: dict[str, Any]) -> str:
        records = self._coverage_records(caller, body)
        size = int(body.get("maxResults", _DEFAULT_PAGE["ListCoverage"]))
        start, end, token = self._page("ListCoverage", caller, body, len(records), size)
        return self._join("coveredResources", [r.text for r in records[start:end]], token)

    def _list_coverage_statistics(self, caller: Caller, body: dict[str, Any]) -> str:
        group_by = body.get("groupBy")
        if group_by is not None and group_by not in COVERAGE_GROUPS:
            raise ServiceError.validation(
                f"The inspector_kit loopback server does not implement groupBy {group_by} "
                f"(it implements {', '.join(COVERAGE_GROUPS)})"
            )
        records = self._coverage_records(caller, body)
        groups: dict[str, int] = {}
        if group_by is not None:
            feature = COVERAGE_GROUPS[group_by]
            for record in records:
                for value in record.features.get(feature, ()):
                    groups[str(value)] = groups.get(str(value), 0) + 1
        ordered = sorted(groups.items(), key=lambda item: (-item[1], item[0]))
        start, end, token = self._page(
            "ListCoverageStatistics", caller, body, len(ordered), _STATISTICS_PAGE
        )
        out: dict[str, Any] = {"totalCounts": len(records)}
        if group_by is not None:
            out["countsByGroup"] = [
                {"groupKey": name, "count": count} for name, count in ordered[start:end]
            ]
        if token is not None:
            out["nextToken"] = token
        return _dumps(out)

    # ------------------------------------------------------------------ account settings

    def _get_configuration(self, caller: Caller, body: dict[str, Any]) -> str:
        target = body.get("accountId") or caller.own_account
        if caller.scope is not None and target != caller.scope:
            raise ServiceError(
                "AccessDeniedException",
                f"Account {caller.scope} is not the delegated administrator of {target}",
            )
        config = self.dataset._configurations.get((str(target), caller.region))
        if config is None:
            raise ServiceError(
                "ResourceNotFoundException",
                f"No Amazon Inspector configuration for account {target} in {caller.region}",
            )
        return _dumps(config)

    def _get_deep_inspection(self, caller: Caller, body: dict[str, Any]) -> str:
        target = caller.own_account
        config = self.dataset._deep_inspection.get((str(target), caller.region))
        if config is None:
            raise ServiceError(
                "ResourceNotFoundException",
                f"No deep inspection configuration for account {target} in {caller.region}",
            )
        return _dumps(config)

    def _batch_get_account_status(self, caller: Caller, body: dict[str, Any]) -> str:
        ids = body.get("accountIds") or ([caller.own_account] if caller.own_account else [])
        known = set(self.dataset.accounts)
        accounts: list[dict[str, Any]] = []
        failed: list[dict[str, Any]] = []
        for account in ids:
            if caller.scope is not None and account != caller.scope:
                failed.append(
                    {
                        "accountId": account,
                        "errorCode": "ACCESS_DENIED",
                        "errorMessage": f"Account {caller.scope} cannot read {account}",
                    }
                )
            elif account not in known:
                failed.append(
                    {
                        "accountId": account,
                        "errorCode": "RESOURCE_NOT_FOUND",
                        "errorMessage": f"Account {account} is not known to the loopback",
                    }
                )
            else:
                state = self.dataset._account_status.get((account, caller.region))
                accounts.append(state if state is not None else _account_state(account, "DISABLED"))
        out: dict[str, Any] = {"accounts": accounts}
        if failed:
            out["failedAccounts"] = failed
        return _dumps(out)

    def _batch_get_member_deep_inspection(self, caller: Caller, body: dict[str, Any]) -> str:
        """Each member's deep inspection status in the caller's region, as the admin reads it.

        ``status`` comes from the account's ``GetEc2DeepInspectionConfiguration`` answer in
        the dataset (``DEACTIVATED`` without one). An account whose EC2 scanning is not
        ENABLED, one the loopback does not know or one a member caller may not read is
        in ``failedAccountIds`` (with ``ec2ScanStatus`` where the account is known).
        """
        known = set(self.dataset.accounts)
        region = caller.region
        accounts: list[dict[str, Any]] = []
        failed: list[dict[str, Any]] = []
        for account in body.get("accountIds") or ():
            if caller.scope is not None and account != caller.scope:
                failed.append(
                    {
                        "accountId": account,
                        "errorMessage": f"Account {caller.scope} cannot read {account}",
                    }
                )
                continue
            if account not in known:
                failed.append(
                    {
                        "accountId": account,
                        "errorMessage": f"Account {account} is not known to the loopback",
                    }
                )
                continue
            state = self.dataset._account_status.get((account, region))
            ec2 = (state or {}).get("resourceState", {}).get("ec2", {}).get("status")
            if state is not None and ec2 != "ENABLED":
                failed.append(
                    {
                        "accountId": account,
                        "ec2ScanStatus": ec2,
                        "errorMessage": f"EC2 scanning is {ec2} for account {account}",
                    }
                )
                continue
            config = self.dataset._deep_inspection.get((account, region))
            status = (config or {}).get("status", "DEACTIVATED")
            accounts.append({"accountId": account, "status": status})
        out: dict[str, Any] = {"accountIds": accounts}
        if failed:
            out["failedAccountIds"] = failed
        return _dumps(out)

    def _list_usage_totals(self, caller: Caller, body: dict[str, Any]) -> str:
        ds = self.dataset
        region = caller.region
        present = {a for a, r in ds._usage_totals if r == region}
        present.update(a for a, r in ds._account_status if r == region)
        visible = sorted(present if caller.scope is None else present & {caller.scope})
        wanted = body.get("accountIds")
        if wanted:
            visible = [a for a in visible if a in set(wanted)]
        totals = [
            _dumps({"accountId": a, "usage": ds._usage_totals.get((a, region), [])})
            for a in visible
        ]
        size = int(body.get("maxResults", _DEFAULT_PAGE["ListUsageTotals"]))
        start, end, token = self._page("ListUsageTotals", caller, body, len(totals), size)
        return self._join("totals", totals[start:end], token)

    # --- cost (issue 16 §6): BatchGetFreeTrialInfo ---
    def _batch_get_free_trial_info(self, caller: Caller, body: dict[str, Any]) -> str:
        # The model's error codes are ACCESS_DENIED and INTERNAL_ERROR only: an account the
        # caller may not read, or one the loopback does not know, is ACCESS_DENIED.
        known = set(self.dataset.accounts)
        accounts: list[dict[str, Any]] = []
        failed: list[dict[str, Any]] = []
        for account in body.get("accountIds") or []:
            if (caller.scope is not None and account != caller.scope) or account not in known:
                failed.append(
                    {
                        "accountId": account,
                        "code": "ACCESS_DENIED",
                        "message": f"Account {caller.scope or 'admin'} cannot read {account}",
                    }
                )
                continue
            trials = self.dataset._free_trials.get((account, caller.region), [])
            accounts.append({"accountId": account, "freeTrialInfo": trials})
        return _dumps({"accounts": accounts, "failedAccounts": failed})

    # --- end of cost ---

    def _list_members(self, caller: Caller, body: dict[str, Any]) -> str:
        members = [] if caller.scope is not None else self.dataset._members
        if body.get("onlyAssociated"):
            members = [m for m in members if m.get("relationshipStatus") == "ENABLED"]
        size = int(body.get("maxResults", _DEFAULT_PAGE["ListMembers"]))
        start, end, token = self._page("ListMembers", caller, body, len(members), size)
        return self._join("members", [_dumps(m) for m in members[start:end]], token)


def _ami_as_resource(operation: str, body: dict[str, Any]) -> dict[str, Any]:
    """The body to validate: an AMI id stands in as an instance id for the on-demand scans.

    The model's ``ResourceId`` pattern admits ECR, EC2 instance, Lambda, code repository
    and Azure ids but no ``ami-`` id, although ``resourceType`` can only be ``AMI``
    (docs/facts.md#ami); every other constraint is still checked.
    """
    resource = body.get("resourceId")
    if (
        operation in ON_DEMAND_OPERATIONS
        and isinstance(resource, str)
        and AMI_ID.fullmatch(resource)
    ):
        return {**body, "resourceId": "i-" + resource[4:].ljust(17, "0")[:17]}
    return body


def _detail_error(arn: str, code: str, message: str) -> dict[str, str]:
    return {"findingArn": arn, "errorCode": code, "errorMessage": message}


def _sigv4(authorization: str | None) -> tuple[str, str]:
    """``(region, access key id)`` from a SigV4 ``Authorization`` header (``""`` when absent)."""
    if not authorization:
        return "", ""
    match = _CREDENTIAL.search(authorization)
    if match is None:
        return "", ""
    return match.group(3), match.group(1)


def _parse_body(raw: bytes) -> dict[str, Any]:
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ServiceError.validation(
            f"The request body is not valid JSON: {exc}", reason="CANNOT_PARSE"
        ) from exc
    if not isinstance(body, dict):
        raise ServiceError.validation(
            "The request body must be a JSON object", reason="CANNOT_PARSE"
        )
    return body


def reason_phrase(status: int) -> str:
    """The HTTP reason phrase of a status the loopback sends."""
    return _REASONS.get(status, "Error")
