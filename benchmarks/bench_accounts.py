"""Many accounts: OrgInspector over 1,000 accounts x 4 regions with simulated latency.

Every call goes through real boto3 clients (serialization, SigV4 signing with each account's
assumed-role credentials, response parsing); only the network is replaced: a botocore
``before-send`` hook sleeps ``--latency`` seconds and answers with a canned response (an empty
``ListFindings`` page, STS ``AssumeRole`` credentials). Calls per run: one ``AssumeRole`` per
account and one ``ListFindings`` per (account, region).

* wall time vs the ideal ``calls x latency / workers``. Target: <= 1.5x (issue 20).
* memory: peak RSS of a process running N accounts vs one running N/10. Target: flat (~1.0x);
  accounts are taken a window at a time and only failures are kept.

``--quick``: 200 accounts. The script exits 0 even when a target is missed and prints MISSED.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse

from inspector_kit.fetch import OrgInspector

REGIONS = ["us-east-1", "eu-west-1", "ap-northeast-1", "us-west-2"]

_STS = """<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<AssumeRoleResult><Credentials><AccessKeyId>ASIABENCH</AccessKeyId>
<SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken>
<Expiration>{expiry}</Expiration></Credentials>
<AssumedRoleUser><AssumedRoleId>AROA:bench</AssumedRoleId>
<Arn>arn:aws:sts::111122223333:assumed-role/R/bench</Arn></AssumedRoleUser>
</AssumeRoleResult></AssumeRoleResponse>"""


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body


def _answer(latency: float, body: bytes, counter: list[int]) -> Any:
    def send(request: Any, **_: Any) -> AWSResponse:
        counter.append(1)
        time.sleep(latency)
        return AWSResponse(request.url, 200, {"Content-Type": "application/json"}, _Raw(body))

    return send


def run(accounts: int, workers: int, latency: float) -> dict[str, float]:
    """One run in this process; returns wall seconds, calls and peak RSS."""
    session = boto3.Session(
        aws_access_key_id="AKIDBENCH", aws_secret_access_key="x", region_name="us-east-1"
    )
    calls: list[int] = []
    expiry = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    session.events.register(
        "before-send.sts.AssumeRole", _answer(latency, _STS.format(expiry=expiry).encode(), calls)
    )
    ids = (f"{100000000000 + i:012d}" for i in range(accounts))
    org = OrgInspector(ids, "InspectorRead", session=session, regions=REGIONS, max_workers=workers)
    org.core.session.events.register(
        "before-send.inspector2.ListFindings", _answer(latency, b'{"findings": []}', calls)
    )
    # findings() first asks each pair's status (check_enabled): one more call per pair.
    enabled = b'{"accounts": [{"accountId": "100000000000", "state": {"status": "ENABLED"}, '
    enabled += b'"resourceState": {}}]}'
    org.core.session.events.register(
        "before-send.inspector2.BatchGetAccountStatus", _answer(latency, enabled, calls)
    )
    start = time.perf_counter()
    stream = org.findings()
    found = sum(1 for _ in stream)
    seconds = time.perf_counter() - start
    assert found == 0
    assert not stream.failures, stream.failures[:3]
    assert stream.pairs == accounts * len(REGIONS)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "calls": len(calls), "peak_mib": peak_kib / 1024}


def _child(accounts: int, workers: int, latency: float) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(accounts), "--workers", str(workers),
         "--latency", str(latency)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(run(args.child, args.workers, args.latency)))
        return
    accounts = 200 if args.quick else args.accounts
    big = _child(accounts, args.workers, args.latency)
    small = _child(max(1, accounts // 10), args.workers, args.latency)
    ideal = big["calls"] * args.latency / args.workers
    ratio = big["seconds"] / ideal
    print(
        f"{accounts} accounts x {len(REGIONS)} regions, {int(big['calls'])} calls, "
        f"{args.latency * 1000:.0f} ms each, {args.workers} workers"
    )
    verdict = "" if ratio <= 1.5 else "  MISSED"
    print(
        f"wall {big['seconds']:.2f} s vs ideal {ideal:.2f} s: {ratio:.2f}x",
        f"(target <= 1.5x){verdict}",
    )
    mem = big["peak_mib"] / small["peak_mib"]
    verdict = "" if mem <= 1.1 else "  MISSED"
    print(
        f"peak RSS {big['peak_mib']:.0f} MiB ({accounts} accounts) vs {small['peak_mib']:.0f} MiB "
        f"({max(1, accounts // 10)}): {mem:.2f}x (target flat, <= 1.1x){verdict}"
    )


if __name__ == "__main__":
    main()
