"""Fetch speed, fan-out and memory, as ratios against baselines measured in the same run.

The loopback Inspector runs in its own process (``python -m inspector_kit.testing``), so
its work does not share a GIL with the client being measured. Every measure talks HTTP
to it through real boto3 clients.

* overhead: ``Inspector.findings()`` (typed ``Finding`` models, de-duplication, fan-out
  machinery) vs a raw boto3 paginator over the same server, same filter, same page size.
  Target: <= 1.25x.
* fan-out: 17 and 33 regions (botocore's ``inspector2`` regions: 33 in the ``aws``
  partition) with 250 ms latency per request, ``Inspector.findings()`` vs what a careful user
  writes: a ``ThreadPoolExecutor`` with one worker per region, each running a boto3
  ``list_findings`` paginator. Medians of alternating runs. Target: <= 1.1x (issue 19).
* memory: peak RSS of a process streaming 100,000 findings vs one streaming 10,000.
  Target: flat (about 1.0x; the only per-finding state kept is a 16-byte digest for
  de-duplication).

``--quick`` is a smoke run (fewer findings and pages, one repeat). The script exits 0 even
when a target is missed (it is not a test) and prints MISSED next to that figure.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3

from inspector_kit import Inspector

ACTIVE = {"findingStatus": [{"comparison": "EQUALS", "value": "ACTIVE"}]}


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


def _alternate(
    raw: Callable[[], int], ours: Callable[[], int], repeat: int
) -> tuple[list[float], list[float], int]:
    """Warm both, then time them alternately ``repeat`` times (drift hits both alike).

    Both must count the same findings each time; the count is returned with the times.
    """
    raw(), ours()  # warm both (connections, botocore's model caches)
    raw_times: list[float] = []
    our_times: list[float] = []
    n_ours = 0
    for _ in range(repeat):
        t, n_raw = best_of(raw, 1)
        raw_times.append(t)
        t, n_ours = best_of(ours, 1)
        our_times.append(t)
        assert n_raw == n_ours, (n_raw, n_ours)
    return raw_times, our_times, n_ours


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

        raw_times, our_times, n_ours = _alternate(raw, ours, repeat)
    raw_t, our_t = min(raw_times), min(our_times)
    return {
        "findings": n_ours,
        "raw_s": raw_t,
        "ours_s": our_t,
        "ratio": our_t / raw_t,
        "target": 1.25,
    }


def _regions(n: int) -> list[str]:
    """The first ``n`` regions where botocore knows an ``inspector2`` endpoint (33 in ``aws``)."""
    known = boto3.Session().get_available_regions("inspector2")
    if n > len(known):
        raise SystemExit(f"botocore knows {len(known)} inspector2 regions, not {n}")
    return known[:n]


def fan_out(n_regions: int, per_region: int, latency: float, repeat: int) -> dict[str, Any]:
    """``Inspector.findings()`` over ``n_regions`` vs one thread per region with a raw paginator.

    The baseline is what a careful user writes: a ``ThreadPoolExecutor`` with one worker per
    region, each running boto3's ``list_findings`` paginator (same filter, page size and client
    ``Config``) and counting items. Both sides reuse clients built before timing (a long-lived
    app) and run alternately, so drift on the shared machine hits both alike.
    """
    regions = _regions(n_regions)
    total = per_region * len(regions)
    with serve(
        "--findings", str(total), "--regions", ",".join(regions), "--latency", str(latency)
    ) as url:
        inspector = Inspector(regions=regions, endpoint_url=url)
        config = inspector.client().meta.config
        session = boto3.Session()
        raw_clients = {
            r: session.client("inspector2", region_name=r, endpoint_url=url, config=config)
            for r in regions
        }
        for region in regions:
            inspector.client(region)  # clients exist before timing, as in a long-lived app

        def one_region(region: str) -> int:
            pager = raw_clients[region].get_paginator("list_findings")
            n = 0
            for page in pager.paginate(filterCriteria=ACTIVE, PaginationConfig={"PageSize": 100}):
                n += len(page["findings"])
            return n

        def raw() -> int:
            with ThreadPoolExecutor(max_workers=len(regions)) as pool:
                return sum(pool.map(one_region, regions))

        def ours() -> int:
            return sum(1 for _ in inspector.findings())

        raw_times, our_times, n_ours = _alternate(raw, ours, repeat)
    raw_t, our_t = statistics.median(raw_times), statistics.median(our_times)
    return {
        "regions": len(regions),
        "findings": n_ours,
        "latency_s": latency,
        "workers": inspector.max_workers,
        "raw_s": raw_t,
        "ours_s": our_t,
        "raw_best_s": min(raw_times),
        "ours_best_s": min(our_times),
        "ratio": our_t / raw_t,
        "best_ratio": min(our_times) / min(raw_times),
        "target": 1.1,
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
    parser.add_argument(
        "--per-region",
        type=int,
        default=480,
        help="findings per region in the fan-out (about 83%% ACTIVE, pages of 25: 16 pages)",
    )
    parser.add_argument("--latency", type=float, default=0.25)
    parser.add_argument(
        "--fanout-regions", default="17,33", help="region counts for the fan-out (default 17,33)"
    )
    parser.add_argument("--memory-small", type=int, default=10_000)
    parser.add_argument("--memory-large", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="smoke run: small sizes, 1 repeat")
    parser.add_argument("--only", choices=("overhead", "fanout", "memory"), default=None)
    args = parser.parse_args()
    if args.quick:
        args.findings, args.per_region, args.repeat = 2_000, 120, 1
        args.memory_small, args.memory_large = 2_000, 10_000
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    if args.only in (None, "overhead"):
        r = overhead(args.findings, args.repeat)
        print(
            f"overhead: {r['findings']} findings, raw paginator {r['raw_s']:.2f} s, "
            f"Inspector.findings() {r['ours_s']:.2f} s -> {r['ratio']:.2f}x "
            f"(target <= 1.25x) {_verdict(r['ratio'], 1.25)}"
        )
    if args.only in (None, "fanout"):
        for n in (int(x) for x in args.fanout_regions.split(",")):
            r = fan_out(n, args.per_region, args.latency, args.repeat)
            print(
                f"fan-out: {r['regions']} regions x {args.per_region} findings "
                f"({r['findings']} ACTIVE), {r['latency_s'] * 1000:.0f} ms/request, "
                f"{r['workers']} workers: one thread per region (raw boto3) {r['raw_s']:.2f} s, "
                f"Inspector.findings() {r['ours_s']:.2f} s -> {r['ratio']:.2f}x "
                f"(best of {args.repeat}: {r['ours_best_s']:.2f} s / {r['raw_best_s']:.2f} s = "
                f"{r['best_ratio']:.2f}x) (target <= 1.1x) {_verdict(r['ratio'], 1.1)}"
            )
    if args.only in (None, "memory"):
        r = memory(args.memory_small, args.memory_large)
        print(
            f"memory: peak RSS streaming {r['small']} findings {r['peak_small_mib']:.1f} MiB, "
            f"{r['large']} findings {r['peak_large_mib']:.1f} MiB -> {r['ratio']:.2f}x "
            f"({r['bytes_per_extra_finding']:.0f} bytes per extra finding) (target: flat)"
        )


def _verdict(ratio: float, target: float) -> str:
    return "ok" if ratio <= target else "MISSED"


if __name__ == "__main__":
    main()
