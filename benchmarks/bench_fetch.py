"""Fetch speed, fan-out and memory, as ratios against baselines measured in the same run.

The loopback Inspector runs in its own process (``python -m inspector_kit.testing``), so
its work does not share a GIL with the client being measured. Every measure talks HTTP
to it through real boto3 clients.

* overhead: ``Inspector.findings()`` (typed ``Finding`` models, de-duplication, fan-out
  machinery) vs a raw boto3 paginator over the same server, same filter, same page size.
  Target: <= 1.25x.
* fan-out: 16 regions with 50 ms latency per request, all at once vs the slowest region
  fetched alone. Target: <= 1.5x.
* memory: peak RSS of a process streaming 100,000 findings vs one streaming 10,000.
  Target: flat (about 1.0x; the only per-finding state kept is a 16-byte digest for
  de-duplication).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import boto3

from inspector_kit import Inspector

ACTIVE = {"findingStatus": [{"comparison": "EQUALS", "value": "ACTIVE"}]}
SIXTEEN = [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "sa-east-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-south-1",
]


@contextlib.contextmanager
def serve(*args: str) -> Iterator[str]:
    """Start ``python -m inspector_kit.testing`` with ``args``; yield its endpoint URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "inspector_kit.testing", *args],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        if not url.startswith("http"):
            raise RuntimeError(f"loopback server did not start: {url!r}")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def best_of(fn: Callable[[], int], repeat: int) -> tuple[float, int]:
    best, count = float("inf"), 0
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        count = fn()
        best = min(best, time.perf_counter() - start)
    return best, count


def overhead(findings: int, repeat: int) -> dict[str, Any]:
    with serve("--findings", str(findings), "--regions", "us-east-1") as url:
        inspector = Inspector(regions=["us-east-1"], endpoint_url=url)
        raw_client = boto3.Session(region_name="us-east-1").client(
            "inspector2", endpoint_url=url, config=inspector.client().meta.config
        )

        def raw() -> int:
            pager = raw_client.get_paginator("list_findings")
            n = 0
            for page in pager.paginate(filterCriteria=ACTIVE, PaginationConfig={"PageSize": 100}):
                n += len(page["findings"])
            return n

        def ours() -> int:
            return sum(1 for _ in inspector.findings())

        raw(), ours()  # warm both (connections, botocore's model caches)
        raw_times, our_times = [], []
        n_raw = n_ours = 0
        for _ in range(repeat):  # alternate, so drift hits both alike
            t, n_raw = best_of(raw, 1)
            raw_times.append(t)
            t, n_ours = best_of(ours, 1)
            our_times.append(t)
    assert n_raw == n_ours, (n_raw, n_ours)
    raw_t, our_t = min(raw_times), min(our_times)
    return {
        "findings": n_ours,
        "raw_s": raw_t,
        "ours_s": our_t,
        "ratio": our_t / raw_t,
        "target": 1.25,
    }


def fan_out(per_region: int, latency: float, repeat: int) -> dict[str, Any]:
    total = per_region * len(SIXTEEN)
    with serve(
        "--findings", str(total), "--regions", ",".join(SIXTEEN), "--latency", str(latency)
    ) as url:
        inspector = Inspector(regions=SIXTEEN, endpoint_url=url)
        for region in SIXTEEN:
            inspector.client(region)  # clients exist before timing, as in a long-lived app
        singles: dict[str, float] = {}
        for region in SIXTEEN:
            t, _ = best_of(lambda r=region: sum(1 for _ in inspector.findings(regions=[r])), repeat)
            singles[region] = t
        t_all, n_all = best_of(lambda: sum(1 for _ in inspector.findings()), repeat)
    slowest = max(singles, key=singles.__getitem__)
    return {
        "regions": len(SIXTEEN),
        "findings": n_all,
        "latency_s": latency,
        "slowest_region": slowest,
        "slowest_single_s": singles[slowest],
        "all_regions_s": t_all,
        "ratio": t_all / singles[slowest],
        "target": 1.5,
    }


def _stream_child(url: str, limit: int) -> None:
    """Child process: stream ``limit`` findings without keeping them; print peak RSS (KiB)."""
    inspector = Inspector(regions=["us-east-1"], endpoint_url=url)
    stream = inspector.findings(include_suppressed=True, include_closed=True, limit=limit)
    n = sum(1 for _ in stream)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{n} {peak_kib}")


def memory(small: int, large: int) -> dict[str, Any]:
    with serve("--findings", str(large), "--regions", "us-east-1") as url:
        peaks = {}
        for n in (small, large):
            out = subprocess.run(
                [sys.executable, __file__, "_stream", url, str(n)],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ},
            ).stdout.split()
            assert int(out[0]) == n, out
            peaks[n] = int(out[1])
    return {
        "small": small,
        "large": large,
        "peak_small_mib": peaks[small] / 1024,
        "peak_large_mib": peaks[large] / 1024,
        "ratio": peaks[large] / peaks[small],
        "bytes_per_extra_finding": (peaks[large] - peaks[small]) * 1024 / (large - small),
    }


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "_stream":
        _stream_child(sys.argv[2], int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=10_000)
    parser.add_argument("--per-region", type=int, default=250)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--memory-small", type=int, default=10_000)
    parser.add_argument("--memory-large", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=("overhead", "fanout", "memory"), default=None)
    args = parser.parse_args()
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    if args.only in (None, "overhead"):
        r = overhead(args.findings, args.repeat)
        print(
            f"overhead: {r['findings']} findings, raw paginator {r['raw_s']:.2f} s, "
            f"Inspector.findings() {r['ours_s']:.2f} s -> {r['ratio']:.2f}x (target <= 1.25x)"
        )
    if args.only in (None, "fanout"):
        r = fan_out(args.per_region, args.latency, args.repeat)
        print(
            f"fan-out: {r['regions']} regions x {args.per_region} findings, "
            f"{r['latency_s'] * 1000:.0f} ms/request: slowest single region "
            f"({r['slowest_region']}) {r['slowest_single_s']:.2f} s, all regions "
            f"{r['all_regions_s']:.2f} s -> {r['ratio']:.2f}x (target <= 1.5x)"
        )
    if args.only in (None, "memory"):
        r = memory(args.memory_small, args.memory_large)
        print(
            f"memory: peak RSS streaming {r['small']} findings {r['peak_small_mib']:.1f} MiB, "
            f"{r['large']} findings {r['peak_large_mib']:.1f} MiB -> {r['ratio']:.2f}x "
            f"({r['bytes_per_extra_finding']:.0f} bytes per extra finding)"
        )


if __name__ == "__main__":
    main()
