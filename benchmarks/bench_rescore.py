"""``rescore_all`` vs a naive loop constructing ``cvss.CVSS3`` per finding, in one run.

Data: 200,000 EC2 package findings of 300 vulnerabilities whose vectors come from a pool of
300 distinct CVSS v3.1 vectors (every distinct vector of the sample estate, topped up with
seeded random valid vectors). Each vulnerability has an NVD and a vendor score, the same on
every finding, as in real data; exposures spread over INTERNET, INTERNAL and ISOLATED
instances (2,000 of them).

Naive: for each finding pick the base entry (its own source's v3, else NVD's), build
``cvss.CVSS3`` for it, and when the default policy applies (not internet-facing, ``AV:N``) build
``cvss.CVSS3`` again for the vector with ``MAV:A``. Both must give identical scores.
Target: ``rescore_all`` at least 50x faster.

Careful (issue 19, the baseline that counts): what a careful user writes, the same loop with
a dict memo, ``cache[(vector, exposure)]`` -> score and severity from ``cvss.CVSS3`` of the
modified vector, so ``cvss`` runs once per distinct pair. Against it, ``rescore_all`` reading
every result as users do (iterating and reading each result's ``score`` and ``severity``).
Target: at least 5x faster. Times are CPU times of this process (``time.process_time``), best
of ``--repeat``, the two interleaved, so other jobs on a shared machine count for neither.
``--quick``: 20,000 findings, one repeat. This is a benchmark, not a test: it exits 0 and
says MISSED when a target is missed.
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from decimal import Decimal
from typing import Any

import cvss
import pyarrow as pa

from inspector_kit import Finding, sample_findings
from inspector_kit.formats import to_arrow
from inspector_kit.scoring import TABLE_INPUT_COLUMNS, NetworkExposure, rescore_all, rescore_table
from inspector_kit.testing import finding_payload

BASE = {
    "AV": "NALP",
    "AC": "LH",
    "PR": "NLH",
    "UI": "NR",
    "S": "UC",
    "C": "HLN",
    "I": "HLN",
    "A": "HLN",
}


def vectors(n: int, seed: int = 7) -> list[str]:
    seen: dict[str, None] = {}
    for f in sample_findings():
        pvd = f.package_vulnerability_details
        for entry in pvd.cvss if pvd and pvd.cvss else ():
            if entry.version == "3.1":
                seen[entry.scoring_vector] = None
    rng = random.Random(seed)
    while len(seen) < n:
        parts = [f"{m}:{rng.choice(values)}" for m, values in BASE.items()]
        seen["CVSS:3.1/" + "/".join(parts)] = None
    return list(seen)[:n]


def findings(count: int, distinct: int) -> tuple[list[Finding], dict[str, NetworkExposure]]:
    pool = vectors(distinct)
    rng = random.Random(11)
    instances = [f"i-{n:017x}" for n in range(2000)]
    exposures = {
        iid: (NetworkExposure.INTERNET, NetworkExposure.INTERNAL, NetworkExposure.ISOLATED)[n % 3]
        for n, iid in enumerate(instances)
    }
    # A vulnerability carries the same scores on every resource it affects: ~300
    # vulnerabilities, each with its vendor's and NVD's vector drawn from the pool.
    vulns = [(rng.choice(pool), rng.choice(pool)) for _ in range(distinct)]
    out = []
    for n in range(count):
        number = rng.randrange(distinct)
        vendor, nvd = vulns[number]
        payload = finding_payload(
            findingArn=f"arn:aws:inspector2:us-east-1:111122223333:finding/{n:032x}",
            resources=[{"type": "AWS_EC2_INSTANCE", "id": instances[n % len(instances)]}],
            packageVulnerabilityDetails={
                "vulnerabilityId": f"CVE-2024-{number + 1000}",
                "source": "AMAZON_CVE",
                "cvss": [
                    {"source": "NVD", "version": "3.1", "baseScore": 0.0, "scoringVector": nvd},
                    {
                        "source": "AMAZON_CVE",
                        "version": "3.1",
                        "baseScore": 0.0,
                        "scoringVector": vendor,
                    },
                ],
            },
        )
        out.append(Finding.from_api(payload))
    return out, exposures


_BANDS = (
    (Decimal("9.0"), "CRITICAL"),
    (Decimal("7.0"), "HIGH"),
    (Decimal("4.0"), "MEDIUM"),
    (Decimal("0.1"), "LOW"),
)


def naive(items: list[Finding], exposures: dict[str, NetworkExposure]) -> list[float]:
    scores = []
    for f in items:
        pvd = f.package_vulnerability_details
        assert pvd is not None
        assert pvd.cvss
        entry = sorted(
            (e for e in pvd.cvss if e.version.startswith("3")),
            key=lambda e: (e.source == pvd.source, e.source == "NVD", e.version),
        )[-1]
        vector = entry.scoring_vector
        base = cvss.CVSS3(vector).scores()[0]
        score = base
        exposure = exposures.get(f.resources[0].id, NetworkExposure.UNKNOWN)
        if exposure in (NetworkExposure.INTERNAL, NetworkExposure.ISOLATED) and "/AV:N/" in vector:
            score = cvss.CVSS3(vector + "/MAV:A").scores()[2]
        next((name for floor, name in _BANDS if score >= floor), "INFORMATIONAL")
        scores.append(float(score))
    return scores


def _pick(pvd: Any) -> str:
    """The base vector, as a careful user picks it: the own source's v3, else NVD's v3."""
    nvd = None
    for entry in pvd.cvss:
        if entry.version.startswith("3"):
            if entry.source == pvd.source:
                return str(entry.scoring_vector)
            if entry.source == "NVD" and nvd is None:
                nvd = entry.scoring_vector
    assert nvd is not None
    return str(nvd)


def _scored(vector: str, exposure: NetworkExposure) -> tuple[float, str]:
    """What the careful user's memo holds: ``cvss``'s score and band for one pair."""
    if exposure in (NetworkExposure.INTERNAL, NetworkExposure.ISOLATED) and "/AV:N/" in vector:
        score = cvss.CVSS3(vector + "/MAV:A").scores()[2]
    else:
        score = cvss.CVSS3(vector).scores()[0]
    severity = next((name for floor, name in _BANDS if score >= floor), "INFORMATIONAL")
    return float(score), severity


def careful(items: list[Finding], exposures: dict[str, NetworkExposure]) -> list[Any]:
    """The careful user's loop: ``cvss`` once per distinct (vector, exposure)."""
    cache: dict[tuple[str, NetworkExposure], tuple[float, str]] = {}
    unknown = NetworkExposure.UNKNOWN
    out = []
    for f in items:
        vector = _pick(f.package_vulnerability_details)
        exposure = exposures.get(f.resources[0].id, unknown)
        hit = cache.get((vector, exposure))
        if hit is None:
            hit = cache[vector, exposure] = _scored(vector, exposure)
        out.append(hit)
    return out


def ours_read(items: list[Finding], exposures: dict[str, NetworkExposure]) -> list[Any]:
    """``rescore_all``, reading every result's score and severity."""
    return [(r.score, r.severity) for r in rescore_all(items, exposures)]


def careful_table(table: Any, exposures: dict[str, NetworkExposure]) -> tuple[list, list]:
    """The careful user's loop over a table's rows: the memo keyed by (vector, exposure).

    The table already holds each finding's base vector (``cvss_vector``), so the loop reads
    two columns and looks each row up in the memo.
    """
    cache: dict[tuple[str, NetworkExposure], tuple[float, str]] = {}
    unknown = NetworkExposure.UNKNOWN
    scores: list[float] = []
    severities: list[str] = []
    get = exposures.get
    columns = []
    for name in ("cvss_vector", "resource_id"):
        column = table.column(name)
        if pa.types.is_dictionary(column.type):  # pyarrow's to_pylist of these is slow
            column = column.cast(pa.string())
        columns.append(column.to_pylist())
    for vector, rid in zip(*columns, strict=True):
        exposure = get(rid, unknown)
        hit = cache.get((vector, exposure))
        if hit is None:
            hit = cache[vector, exposure] = _scored(vector, exposure)
        scores.append(hit[0])
        severities.append(hit[1])
    return scores, severities


def ours_table(table: Any, exposures: dict[str, NetworkExposure]) -> tuple[list, list]:
    """``rescore_table``, reading every result: the score and severity columns as lists."""
    result = rescore_table(table, exposures)
    return result.column("score").to_pylist(), result.column("severity").to_pylist()


def cpu_timed(fn: Any, *args: Any) -> tuple[float, Any]:
    gc.collect()
    start = time.process_time()
    out = fn(*args)
    return time.process_time() - start, out


def ours(items: list[Finding], exposures: dict[str, NetworkExposure]) -> list[float]:
    return [s for s in rescore_all(items, exposures).scores() if s is not None]


def ours_objects(items: list[Finding], exposures: dict[str, NetworkExposure]) -> list[float]:
    # The same, reading every result as a Rescore object (made on access).
    return [r.score for r in rescore_all(items, exposures) if r.score is not None]


def timed(fn: Any, *args: Any) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=None)
    parser.add_argument("--distinct", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--quick", action="store_true", help="20,000 findings, one repeat")
    args = parser.parse_args()
    count = args.findings or (20_000 if args.quick else 200_000)
    repeat = args.repeat or (1 if args.quick else 5)
    items, exposures = findings(count, args.distinct)

    # The issue-19 target first: against the careful, memoised loop.
    t_careful = t_read = float("inf")
    careful_out: list[Any] = []
    read_out: list[Any] = []
    for _ in range(repeat):  # interleaved
        t, careful_out = cpu_timed(careful, items, exposures)
        t_careful = min(t_careful, t)
        t, read_out = cpu_timed(ours_read, items, exposures)
        t_read = min(t_read, t)
    read_out = [(score, str(severity)) for score, severity in read_out]
    assert read_out == careful_out, "scores or severities differ"
    ratio = t_careful / t_read
    verdict = "ok" if ratio >= 5 else "MISSED"
    print(
        f"rescore_all reading every result / memoised cvss loop: {len(items)} findings, "
        f"{args.distinct} distinct vectors: careful {t_careful:.3f} s, rescore_all "
        f"{t_read:.3f} s ({t_read / len(items) * 1e6:.2f} us/finding): {ratio:.1f}x faster "
        f"(target >= 5x) {verdict}, identical scores and severities",
        flush=True,
    )

    # The columnar path (issue 20): the same findings as an Arrow table of their record
    # columns (what a snapshot dataset or Parquet snapshot gives), plain strings and, as a
    # Parquet reader gives them with ``read_dictionary``, dictionary-encoded.
    import pyarrow.compute as pc

    table = to_arrow(items).select(list(TABLE_INPUT_COLUMNS))
    encoded = table.select(list(TABLE_INPUT_COLUMNS))
    for name in TABLE_INPUT_COLUMNS:
        if name != "finding_arn":
            index = encoded.column_names.index(name)
            encoded = encoded.set_column(index, name, pc.dictionary_encode(table.column(name)))
    columnar_missed = False
    for label, source in (("plain strings", table), ("dictionary-encoded", encoded)):
        t_loop = t_cols = float("inf")
        for _ in range(repeat):  # interleaved
            t, loop_out = cpu_timed(careful_table, source, exposures)
            t_loop = min(t_loop, t)
            t, cols_out = cpu_timed(ours_table, source, exposures)
            t_cols = min(t_cols, t)
        assert cols_out == loop_out, "scores or severities differ"
        assert loop_out[0] == [score for score, _ in careful_out], "not the findings' scores"
        ratio_cols = t_loop / t_cols
        columnar_missed = columnar_missed or ratio_cols < 5
        print(
            f"rescore_table reading every result / memoised cvss loop over the same table "
            f"({label}): careful {t_loop:.3f} s, rescore_table {t_cols:.3f} s "
            f"({t_cols / len(items) * 1e9:.0f} ns/finding): {ratio_cols:.1f}x faster "
            f"(target >= 5x) {'ok' if ratio_cols >= 5 else 'MISSED'}, identical results",
            flush=True,
        )

    t_naive, naive_scores = timed(naive, items, exposures)  # once: it is the slow one
    best = float("inf")
    our_scores: list[float] = []
    for _ in range(repeat):
        t, our_scores = timed(ours, items, exposures)
        best = min(best, t)
    assert our_scores == naive_scores, "scores differ"
    best_objects = float("inf")
    for _ in range(repeat):
        t, object_scores = timed(ours_objects, items, exposures)
        best_objects = min(best_objects, t)
    assert object_scores == naive_scores, "scores differ"
    naive_ratio = t_naive / best
    print(
        f"rescore_all / naive cvss loop: naive {t_naive:.2f} s, rescore_all {best:.3f} s -> "
        f"{naive_ratio:.0f}x faster (target >= 50x) {'ok' if naive_ratio >= 50 else 'MISSED'}"
    )
    print(
        f"  ... and reading every result as a Rescore object: {best_objects:.3f} s -> "
        f"{t_naive / best_objects:.0f}x"
    )
    if verdict == "MISSED" or naive_ratio < 50 or columnar_missed:
        print("MISSED: at least one target")


if __name__ == "__main__":
    main()
