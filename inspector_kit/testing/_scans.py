"""The loopback's on-demand machine image scans (``StartOnDemandScan`` and its two readers).

Deterministic, like the exports:

* ``StartOnDemandScan`` of an AMI the caller's account owns in the request's region (see
  [`LoopbackDataset.amis`][inspector_kit.testing.LoopbackDataset.amis]; an administrator key
  acts for every account, as everywhere in the loopback) answers a new
  ``scanId``; the scan is ``IN_PROGRESS``. An AMI the account does not own answers
  ``AccessDeniedException``, a second scan of an AMI while one is ``IN_PROGRESS`` a
  ``ConflictException`` (both as the user guide says, docs/facts.md#ami). The same
  ``clientToken`` again answers the same ``scanId``.
* Each ``GetOnDemandScanStatus`` of a running scan counts one poll: the first
  ``POLLS_TO_FINISH`` polls answer ``IN_PROGRESS``, the next one the final status,
  ``SUCCESSFUL``, or ``FAILED`` with the reason the dataset gives the AMI
  ([`with_on_demand`][inspector_kit.testing.LoopbackDataset.with_on_demand]).
  ``ListOnDemandScans`` does not advance a scan. An unknown ``scanId`` (or one of another
  AMI) answers ``ResourceNotFoundException``.
* ``ListOnDemandScans`` lists an AMI's scans newest first, paginated (at most ``maxResults``,
  default 100) through the same tokens and pagination faults as every ``List*``.

The AMI ids themselves fail the model's ``ResourceId`` pattern, which names no AMI form (a
defect of the model, docs/facts.md#ami); the server accepts ``ami-`` ids for these three
operations.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from typing import TYPE_CHECKING, Any

from ._service import ServiceError

if TYPE_CHECKING:
    from ._backend import Backend, Caller

__all__ = ["AMI_ID", "ON_DEMAND_OPERATIONS", "POLLS_TO_FINISH"]

#: Status polls a scan answers ``IN_PROGRESS`` before its final status.
POLLS_TO_FINISH = 2
#: An EC2 machine image id.
AMI_ID = re.compile(r"ami-(?:[0-9a-f]{8}|[0-9a-f]{17})")
ON_DEMAND_OPERATIONS = frozenset(
    {"StartOnDemandScan", "GetOnDemandScanStatus", "ListOnDemandScans"}
)
_DEFAULT_PAGE = 100


class _Scan:
    __slots__ = ("ami", "polls", "wire")

    def __init__(self, wire: dict[str, Any], ami: str, polls: int) -> None:
        self.wire = wire
        self.ami = ami
        self.polls = polls


class _Scans:
    """On-demand scans per (account, region), newest last; shared by every server thread."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self._lock = threading.Lock()
        self._scans: dict[tuple[str, str], list[_Scan]] = {}
        self._tokens: dict[tuple[str, str, str], str] = {}
        for pair, history in backend.dataset.on_demand_scans().items():
            ordered = sorted(history, key=lambda w: w.get("startedAt", 0))
            self._scans[pair] = [
                _Scan(w, str(w.get("resourceId")), POLLS_TO_FINISH) for w in ordered
            ]

    def _owner(self, caller: Caller, ami: str) -> str | None:
        """The account owning ``ami`` in the caller's region, among those the caller sees."""
        for (account, region), owned in self._backend.dataset.ami_owners().items():
            visible = caller.scope is None or caller.scope == account
            if region == caller.region and ami in owned and visible:
                return account
        return None

    def _visible(self, caller: Caller, ami: str) -> list[_Scan]:
        account = self._owner(caller, ami)
        if account is None:
            return []
        return [s for s in self._scans.get((account, caller.region), ()) if s.ami == ami]

    def start(self, caller: Caller, body: dict[str, Any]) -> str:
        ami = str(body["resourceId"])
        account = self._owner(caller, ami)
        if account is None:
            who = caller.scope or caller.own_account or "the caller"
            raise ServiceError(
                "AccessDeniedException",
                f"Account {who} does not own machine image {ami} in {caller.region}: "
                "copy a shared image into the account first",
            )
        token = body.get("clientToken")
        with self._lock:
            if token is not None:
                known = self._tokens.get((account, caller.region, str(token)))
                if known is not None:
                    return json.dumps({"scanId": known})
            scans = self._scans.setdefault((account, caller.region), [])
            if any(s.ami == ami and s.wire["scanStatus"] == "IN_PROGRESS" for s in scans):
                raise ServiceError(
                    "ConflictException",
                    f"An on-demand scan of {ami} is already in progress",
                    members={"resourceId": ami, "resourceType": "AMI"},
                )
            scan_id = uuid.uuid4().hex
            wire = {
                "scanId": scan_id,
                "resourceId": ami,
                "resourceType": "AMI",
                "scanStatus": "IN_PROGRESS",
                "startedAt": round(time.time(), 3),
            }
            scans.append(_Scan(wire, ami, 0))
            if token is not None:
                self._tokens[(account, caller.region, str(token))] = scan_id
        return json.dumps({"scanId": scan_id})

    def status(self, caller: Caller, body: dict[str, Any]) -> str:
        scan_id = body["scanId"]
        ami = str(body["resourceId"])
        with self._lock:
            for scan in self._visible(caller, ami):
                if scan.wire["scanId"] == scan_id:
                    self._advance(scan)
                    return json.dumps(scan.wire)
        raise ServiceError(
            "ResourceNotFoundException",
            f"No on-demand scan {scan_id} of {ami} in {caller.region} (records are kept 30 days)",
        )

    def _advance(self, scan: _Scan) -> None:
        if scan.wire["scanStatus"] != "IN_PROGRESS":
            return
        if scan.polls < POLLS_TO_FINISH:
            scan.polls += 1
            return
        reason = self._backend.dataset.on_demand_failure(scan.ami)
        scan.wire["scanStatus"] = "FAILED" if reason else "SUCCESSFUL"
        if reason:
            scan.wire["scanStatusReason"] = reason
        scan.wire["completedAt"] = round(max(time.time(), scan.wire["startedAt"]), 3)

    def list(self, caller: Caller, body: dict[str, Any]) -> str:
        ami = str(body["resourceId"])
        with self._lock:
            rows = [
                json.dumps(s.wire, separators=(",", ":"))
                for s in reversed(self._visible(caller, ami))
            ]
        size = int(body.get("maxResults", _DEFAULT_PAGE))
        start, end, token = self._backend._page("ListOnDemandScans", caller, body, len(rows), size)
        return self._backend._join("items", rows[start:end], token)
