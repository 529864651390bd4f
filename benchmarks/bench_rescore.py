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
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from decimal import Decimal
from typing import Any

import cvss

from inspector_kit import Finding, sample_findings
from inspector_kit.scoring import NetworkExposure, rescore_all
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
    parser.add_argument("--findings", type=int, default=200_000)
    parser.add_argument("--distinct", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    items, exposures = findings(args.findings, args.distinct)
    t_naive, naive_scores = timed(naive, items, exposures)  # once: it is the slow one
    best = float("inf")
    our_scores: list[float] = []
    for _ in range(args.repeat):
        t, our_scores = timed(ours, items, exposures)
        best = min(best, t)
    assert our_scores == naive_scores, "scores differ"
    best_objects = float("inf")
    for _ in range(args.repeat):
        t, object_scores = timed(ours_objects, items, exposures)
        best_objects = min(best_objects, t)
    assert object_scores == naive_scores, "scores differ"
    print(
        f"rescore_all: {len(items)} findings, {args.distinct} distinct vectors: naive "
        f"{t_naive:.2f} s, rescore_all {best:.3f} s -> {t_naive / best:.0f}x faster "
        "(target >= 50x), identical scores"
    )
    print(
        f"  ... and reading every result as a Rescore object: {best_objects:.3f} s -> "
        f"{t_naive / best_objects:.0f}x"
    )


if __name__ == "__main__":
    main()
