"""Records, CSV and pandas exports against what a careful user writes by hand (issue 19).

Findings: the sample estate repeated to about 50,000 findings, each with its own ARN. The
baselines are measured in the same run, interleaved with the library's calls:

* ``to_records`` and ``to_csv`` vs ``csv.writer(io.StringIO()).writerows(rows)`` over the
  same records precomputed once (a list of values per row, in column order);
  target <= 2.0x each;
* ``to_pandas`` vs a careful user's typed frame from the SAME findings
  (``careful_frame``): one list comprehension per column over the findings' public
  attributes (enum members to their values, the packages' names, PURLs, fixed versions and
  remediation joined with ``;`` as ``to_records`` does, each distinct package's PURL text
  memoised in a dict, the base CVSS columns from ``scoring.base_cvss_columns``), then one
  ``pd.DataFrame`` of ``pd.Series`` with the same dtypes
  (ordered categoricals, tz-aware timestamps, nullable numbers, ``string``); the script
  checks that it equals ``to_pandas``'s frame. Target <= 1.5x.

The PURL cache is cleared before each library run, so every run pays for its distinct
packages once. Times are the process's CPU time (``time.process_time``: on a shared machine
the time spent waiting for a core is not counted), each figure the median of interleaved
rounds. The script is not a test: it exits 0 and says
``MISSED`` when a target is missed. ``--quick`` is a smoke run (2,000 findings, 3 rounds).

For information it also prints the floor no user has: the same typed frame built from
column lists precomputed once (``typed frame``, no reading of the findings), and
``to_pandas``'s typing and frame building alone from those lists (``frame only``).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import statistics
import time
from collections.abc import Callable
from enum import Enum
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


def _value(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def careful_frame(pd: Any, findings: list[Finding], dtypes: dict[str, Any]) -> Any:
    """What a careful user writes: typed columns from the findings, one DataFrame."""
    from inspector_kit.purl import to_purl
    from inspector_kit.scoring import base_cvss_columns

    purl_texts: dict[tuple[Any, str | None], str | None] = {}

    def purl_text(package: Any, platform: str | None) -> str | None:
        key = (package, platform)
        if key not in purl_texts:
            purl = to_purl(package, platform=platform)
            purl_texts[key] = None if purl is None else str(purl)
        return purl_texts[key]

    def recommendation(finding: Finding) -> str | None:
        rec = finding.remediation.recommendation
        text = rec.text if rec is not None else None
        return text if text and text != "None Provided" else None

    def purls(finding: Finding) -> str | None:
        platform = finding.primary_resource.platform
        texts = (purl_text(p, platform) for p in finding.vulnerable_packages)
        return ";".join(dict.fromkeys(t for t in texts if t is not None)) or None

    resources = [f.primary_resource for f in findings]
    packages = [f.vulnerable_packages for f in findings]
    columns = {
        "finding_arn": [f.finding_arn for f in findings],
        "aws_account_id": [f.aws_account_id for f in findings],
        "region": [f.region for f in findings],
        "type": [_value(f.type) for f in findings],
        "severity": [_value(f.severity) for f in findings],
        "status": [_value(f.status) for f in findings],
        "title": [f.title for f in findings],
        "vulnerability_id": [f.vulnerability_id for f in findings],
        "inspector_score": [f.inspector_score for f in findings],
        "epss_score": [f.epss_score for f in findings],
        "exploit_available": [_value(f.exploit_available) for f in findings],
        "fix_available": [_value(f.fix_available) for f in findings],
        "first_observed_at": [f.first_observed_at for f in findings],
        "last_observed_at": [f.last_observed_at for f in findings],
        "updated_at": [f.updated_at for f in findings],
        "resource_type": [_value(r.type) for r in resources],
        "resource_id": [r.id for r in resources],
        "resource_short_name": [r.short_name for r in resources],
        "packages": [";".join(dict.fromkeys(p.name for p in ps)) or None for ps in packages],
        "purls": [purls(f) for f in findings],
        "fixed_in": [
            ";".join(dict.fromkeys(f"{p.name} {p.fixed_in_version}" for p in ps if p.has_fix))
            or None
            for ps in packages
        ],
        "remediation": [
            ";".join(dict.fromkeys(p.remediation for p in f.vulnerable_packages if p.remediation))
            or recommendation(f)
            for f in findings
        ],
    }
    # The base CVSS entry (the pick rule is the library's: a user calls its public helper).
    vectors, versions, sources = base_cvss_columns(findings)
    columns.update(cvss_vector=vectors, cvss_version=versions, cvss_source=sources)
    columns["cvss_score"] = [None if f.cvss is None else f.cvss.score for f in findings]
    return pd.DataFrame(
        {name: pd.Series(values, dtype=dtypes[name]) for name, values in columns.items()}
    )


def user_dtypes(pd: Any) -> dict[str, Any]:
    """The dtypes a user writes down for the finding columns (those of ``to_pandas``)."""
    from inspector_kit.formats import FINDING_COLUMNS, ORDERED_CATEGORIES

    dtypes: dict[str, Any] = dict.fromkeys(FINDING_COLUMNS, "string")
    for name in ("type", "exploit_available", "fix_available", "resource_type", "cvss_source"):
        dtypes[name] = "category"
    for name in ("severity", "status"):
        dtypes[name] = pd.CategoricalDtype(ORDERED_CATEGORIES[name], ordered=True)
    for name in ("inspector_score", "epss_score", "cvss_score"):
        dtypes[name] = "Float64"
    for name in ("first_observed_at", "last_observed_at", "updated_at"):
        dtypes[name] = "datetime64[ns, UTC]"
    return dtypes


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
    user = user_dtypes(pd)
    pd.testing.assert_frame_equal(careful_frame(pd, findings, user), frame)

    from inspector_kit.formats._frames import _frame

    runs: dict[str, tuple[Callable[[], Any], bool]] = {
        "csv.writer": (csv_baseline, False),
        "careful user": (lambda: careful_frame(pd, findings, user), True),
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
        print(f"  {name:<13} {seconds:8.3f} s  {seconds / count * 1e6:7.1f} us/finding")
    targets = (
        ("to_records", "csv.writer", 2.0),
        ("to_csv", "csv.writer", 2.0),
        ("to_pandas", "careful user", 1.5),
    )
    for name, baseline, target in targets:
        ratio = median[name] / median[baseline]
        verdict = "ok" if ratio <= target else "MISSED"
        print(f"{name} / {baseline}: {ratio:.2f}x (target <= {target:.1f}x) {verdict}")
    floor = median["to_pandas"] / median["typed frame"]
    only = median["frame only"] / median["typed frame"]
    print(
        f"(for information: to_pandas / typed frame from precomputed columns, a floor no user"
        f" has: {floor:.2f}x; to_pandas's frame building alone / typed frame: {only:.2f}x)"
    )


if __name__ == "__main__":
    main()
