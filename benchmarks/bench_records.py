"""Records, CSV and pandas exports against what a careful user writes by hand (issue 19).

Findings: the sample estate repeated to about 50,000 findings, each with its own ARN. The
baselines are measured in the same run, interleaved with the library's calls:

* ``to_records`` and ``to_csv`` vs ``csv.writer(io.StringIO()).writerows(rows)`` over the
  same records precomputed once (a list of values per row, in column order);
  target <= 2.0x each;
* ``to_pandas`` vs a hand-built typed frame: ``pd.DataFrame({column: values})`` with every
  column built from a precomputed list of values with the same dtype as ``to_pandas``'s
  (ordered categoricals, tz-aware timestamps, nullable numbers); target <= 1.5x.

The PURL cache is cleared before each library run, so every run pays for its distinct
packages once. Times are the process's CPU time (``time.process_time``: on a shared machine
the time spent waiting for a core is not counted), each figure the median of interleaved
rounds. The script is not a test: it exits 0 and says
``MISSED`` when a target is missed. ``--quick`` is a smoke run (2,000 findings, 3 rounds).

For information it also times ``to_pandas``'s typing and frame building alone, from the
precomputed columns the typed frame starts from: the rest of ``to_pandas``'s time is
reading the values from the findings, which the typed frame does not pay.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from inspector_kit.models import Finding
from inspector_kit.sample import sample_finding_payloads


def estate(count: int) -> list[Finding]:
    """The sample estate's findings repeated to ``count``, with distinct ARNs."""
    payloads = sample_finding_payloads()
    findings = []
    for n in range(count):
        payload = json.loads(json.dumps(payloads[n % len(payloads)]))
        arn = payload["findingArn"]
        payload["findingArn"] = f"{arn[:-12]}{n:012x}"
        findings.append(Finding.from_api(payload))
    return findings


def _clear_caches() -> None:
    from inspector_kit import purl

    clear = getattr(purl, "_clear_cache", None)
    if clear is not None:
        clear()


def _timed(run: Callable[[], Any], *, clear: bool) -> float:
    if clear:
        _clear_caches()
    start = time.process_time()
    run()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="a smoke run")
    args = parser.parse_args()
    count, rounds = (2_000, 3) if args.quick else (args.count, args.rounds)

    import pandas as pd

    from inspector_kit.formats import FINDING_COLUMNS, to_csv, to_pandas, to_records

    findings = estate(count)
    records = to_records(findings)
    rows = [[record[name] for name in FINDING_COLUMNS] for record in records]
    frame = to_pandas(findings)
    dtypes = dict(frame.dtypes)
    column_values = {name: [record[name] for record in records] for name in FINDING_COLUMNS}

    def csv_baseline() -> str:
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        return out.getvalue()

    def frame_baseline() -> Any:
        return pd.DataFrame(
            {name: pd.Series(values, dtype=dtypes[name]) for name, values in column_values.items()}
        )

    assert list(frame_baseline().dtypes) == list(frame.dtypes), "baseline dtypes differ"

    from inspector_kit.formats._frames import _frame

    runs: dict[str, tuple[Callable[[], Any], bool]] = {
        "csv.writer": (csv_baseline, False),
        "typed frame": (frame_baseline, False),
        # Not a target: to_pandas's typing and frame building alone, from the same
        # precomputed columns as the typed frame (what is left is reading the findings).
        "frame only": (lambda: _frame(pd, column_values, excel_safe=False), False),
        "to_records": (lambda: to_records(findings), True),
        "to_csv": (lambda: to_csv(findings), True),
        "to_pandas": (lambda: to_pandas(findings), True),
    }
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):  # interleaved: each round runs every contender once
        for name, (run, clear) in runs.items():
            times[name].append(_timed(run, clear=clear))
    median = {name: statistics.median(values) for name, values in times.items()}

    print(f"{count:,} findings, CPU time, median of {rounds} interleaved rounds")
    for name, seconds in median.items():
        print(f"  {name:<12} {seconds:8.3f} s  {seconds / count * 1e6:7.1f} us/finding")
    targets = (
        ("to_records", "csv.writer", 2.0),
        ("to_csv", "csv.writer", 2.0),
        ("to_pandas", "typed frame", 1.5),
    )
    for name, baseline, target in targets:
        ratio = median[name] / median[baseline]
        verdict = "ok" if ratio <= target else "MISSED"
        print(f"{name} / {baseline}: {ratio:.2f}x (target <= {target:.1f}x) {verdict}")
    only = median["frame only"] / median["typed frame"]
    print(f"(to_pandas's frame building alone / typed frame: {only:.2f}x, for information)")


if __name__ == "__main__":
    main()
