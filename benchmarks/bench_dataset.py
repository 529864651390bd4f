"""Snapshot a large estate into a SnapshotDataset and diff two snapshots: memory and growth.

Issue 20, part 2: 10,000,000 findings snapshotted and diffed with peak memory under 2 GB and
time linear from 1M to 10M (growth <= 11x). Each size runs in fresh child processes (one to
write both snapshots, one to diff them with the named query "diff" of ``history.query`` on
DuckDB, counted per change inside DuckDB), and each child reports
its own peak resident set (``VmHWM`` of ``/proc/self/status``; ``ru_maxrss`` where there is
no ``/proc``); the parent checks the children's figures against ``RUSAGE_CHILDREN``.

The findings are generated on the fly, never listed: the 274 distinct findings of the
sample estate are templates, each copy gets its own ARN, account and region
(``attrs.evolve``). They stream in the order a fetch over accounts x regions yields them
(pages of 100 per account and region, several accounts interleaved). The second snapshot
drops every 20th finding (resolved), adds as many new ones, and raises the severity of every
50th (re-scored); every finding is ACTIVE; the diff's counts are checked against these rules.

    .venv/bin/python benchmarks/bench_dataset.py            # 1M and 10M (about an hour)
    .venv/bin/python benchmarks/bench_dataset.py --quick    # 100k and 1M
    .venv/bin/python benchmarks/bench_dataset.py --sizes 200000 2000000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

RSS_LIMIT_MIB = 2048
GROWTH_LIMIT = 11.0
PAGE = 100  # findings per page of ListFindings (maxResults)
INTERLEAVE = 8  # accounts fetched at once, their pages interleaved
DAY_1 = datetime(2026, 11, 2, 6, 0, tzinfo=timezone.utc)
DAY_2 = datetime(2026, 11, 9, 6, 0, tzinfo=timezone.utc)
REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2")


def cpu_seconds() -> float:
    """This process's CPU time (user + system): robust to other load on the machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mib() -> float:
    """This process's peak resident set, in MiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    # ru_maxrss is KiB on Linux, bytes on macOS.
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


# ----------------------------------------------------------------------------- the estate


def _order(count: int, accounts: int) -> Iterator[tuple[int, int, int]]:
    """(index, account, region) in fetch order: pages per (account, region), interleaved."""
    per_partition = -(-count // (accounts * len(REGIONS)))
    partitions = [(a, r) for a in range(accounts) for r in range(len(REGIONS))]
    index = 0
    for start in range(0, len(partitions), INTERLEAVE):
        group = partitions[start : start + INTERLEAVE]
        for page_start in range(0, per_partition, PAGE):
            for account, region in group:
                for _ in range(min(PAGE, per_partition - page_start)):
                    if index == count:
                        return
                    yield index, account, region
                    index += 1


def estate(count: int, accounts: int, *, second: bool) -> Iterator[Any]:
    """``count`` findings (first snapshot) or the second snapshot's, made one at a time."""
    import attrs

    from inspector_kit import sample_findings
    from inspector_kit.models import FindingStatus, Severity

    templates = tuple(sample_findings())
    for index, account, region in _order(count, accounts):
        if second and index % 20 == 0:
            index += count  # resolved in the second snapshot; this one is new
        template = templates[index % len(templates)]
        account_id = f"{account + 1:012d}"  # leading zeros, as real account ids have
        changes: dict[str, Any] = {
            "finding_arn": (
                f"arn:aws:inspector2:{REGIONS[region]}:{account_id}:finding/{index:032x}"
            ),
            "aws_account_id": account_id,
            # ACTIVE, so the named query "diff" (which reads statuses) follows the rules above.
            "status": FindingStatus.ACTIVE,
        }
        if second and index % 50 == 1:
            changes["severity"] = (
                Severity.CRITICAL if template.severity != "CRITICAL" else (Severity.HIGH)
            )
        yield attrs.evolve(template, **changes)


# ----------------------------------------------------------------------------- children


def child_write(root: str, count: int, accounts: int) -> dict[str, Any]:
    from inspector_kit.history import SnapshotDataset

    dataset = SnapshotDataset(root)
    started = time.perf_counter()
    ids = []
    for when, second in ((DAY_1, False), (DAY_2, True)):
        with dataset.writer(taken_at=when, regions=REGIONS) as writer:
            writer.write(estate(count, accounts, second=second))
        ids.append(writer.snapshot_id)
    seconds = time.perf_counter() - started
    files = dataset.files()
    size = sum(Path(name).stat().st_size for name in files)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds(),
        "peak_rss_mib": peak_rss_mib(),
        "snapshots": ids,
        "files": len(files),
        "bytes": size,
    }


# The library's named query "diff" (one row per changed finding), counted per change inside
# DuckDB: the rows of 10M findings are never brought into Python. "rescored" is a finding
# whose severity changed (the query gives its old severity), whatever its change.
DIFF_COUNTS = """
SELECT count(*) FILTER (WHERE change = 'new') AS new,
       count(*) FILTER (WHERE change = 'resolved') AS resolved,
       count(*) FILTER (WHERE change = 'still_open') AS still_open,
       count(*) FILTER (WHERE old_severity IS NOT NULL) AS rescored
FROM ({diff}) AS diff
"""


def child_diff(root: str, old: str, new: str, spill: str) -> dict[str, Any]:
    from inspector_kit.history import NAMED_QUERIES, query

    started = time.perf_counter()
    sql = DIFF_COUNTS.format(diff=NAMED_QUERIES["diff"].sql)
    # DuckDB spills its join to disk past the limit: memory stays flat in the row count.
    rows = query(
        root,
        sql,
        params={"old": old, "new": new},
        duckdb_config={"memory_limit": "1GB", "temp_directory": spill},
    )
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds(),
        "peak_rss_mib": peak_rss_mib(),
        **rows[0],
    }


def expected_diff(count: int) -> dict[str, int]:
    resolved = len(range(0, count, 20))
    rescored = sum(1 for i in range(1, count, 50) if i % 20)
    return {
        "new": resolved,
        "resolved": resolved,
        "still_open": count - resolved,
        "rescored": rescored,
    }


def run_child(*args: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# ----------------------------------------------------------------------------- the parent


def measure(count: int, accounts: int, workdir: Path) -> dict[str, Any]:
    root = workdir / f"dataset-{count}"
    spill = workdir / f"spill-{count}"
    spill.mkdir()
    write = run_child("write", str(root), str(count), str(accounts))
    old, new = write["snapshots"]
    diff = run_child("diff", str(root), old, new, str(spill))
    expected = expected_diff(count)
    got = {key: diff[key] for key in expected}
    if got != expected:
        raise SystemExit(f"diff of {count:,} findings: got {got}, expected {expected}")
    children_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    shutil.rmtree(root)
    shutil.rmtree(spill, ignore_errors=True)
    return {"count": count, "write": write, "diff": diff, "children_peak_mib": children_peak}


def report(results: list[dict[str, Any]]) -> bool:
    ok = True
    print(
        f"{'findings':>12} {'write s':>9} {'write MiB':>10} {'diff s':>8} {'diff MiB':>9} "
        f"{'files':>6} {'MB on disk':>11}"
    )
    for r in results:
        w, d = r["write"], r["diff"]
        print(
            f"{r['count']:>12,} {w['seconds']:>9.1f} {w['peak_rss_mib']:>10.0f} "
            f"{d['seconds']:>8.1f} {d['peak_rss_mib']:>9.0f} {w['files']:>6} "
            f"{w['bytes'] / 1e6:>11.1f}"
        )
    peak = max(max(r["write"]["peak_rss_mib"], r["diff"]["peak_rss_mib"]) for r in results)
    verdict = "ok" if peak < RSS_LIMIT_MIB else "MISSED"
    ok &= peak < RSS_LIMIT_MIB
    print(f"peak RSS of any child: {peak:.0f} MiB (target < {RSS_LIMIT_MIB} MiB) {verdict}")
    print(f"RUSAGE_CHILDREN max: {max(r['children_peak_mib'] for r in results):.0f} MiB")
    small, large = results[0], results[-1]
    factor = large["count"] / small["count"]
    for phase in ("write", "diff"):
        growth = large[phase]["seconds"] / small[phase]["seconds"]
        limit = GROWTH_LIMIT * factor / 10
        verdict = "ok" if growth <= limit else "MISSED"
        ok &= growth <= limit
        print(
            f"{phase} time growth {small['count']:,} -> {large['count']:,}: {growth:.1f}x "
            f"(target <= {limit:.1f}x) {verdict}"
        )
    for phase in ("write", "diff"):
        if "cpu_seconds" in small[phase] and "cpu_seconds" in large[phase]:
            growth = large[phase]["cpu_seconds"] / small[phase]["cpu_seconds"]
            print(f"{phase} CPU time growth: {growth:.1f}x (whole child, imports included)")
    memory = large["write"]["peak_rss_mib"] / small["write"]["peak_rss_mib"]
    print(f"write peak RSS growth: {memory:.2f}x (flat: about 1x)")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100k and 1M findings")
    parser.add_argument("--sizes", type=int, nargs="+", help="finding counts (default 1M 10M)")
    parser.add_argument("--accounts", type=int, default=200, help="accounts (x 4 regions)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "write":
            result = child_write(rest[0], int(rest[1]), int(rest[2]))
        else:
            result = child_diff(*rest)
        print(json.dumps(result))
        return
    sizes = args.sizes or ([100_000, 1_000_000] if args.quick else [1_000_000, 10_000_000])
    with tempfile.TemporaryDirectory(prefix="bench-dataset-") as workdir:
        results = []
        for count in sizes:
            results.append(measure(count, args.accounts, Path(workdir)))
            print(f"  {count:,} done: {json.dumps(results[-1])}", flush=True)
    ok = report(results)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
