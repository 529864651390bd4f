"""Growth of ``rank``, ``TriagePolicy.plan`` and ``history.diff`` from n to 10n findings.

Issue 19, item 6: each stage must grow at most 11x when its input grows 10x (linear is 10x;
``rank`` grew 20.9x from 100k to 1M findings). The ratio is measured in one run: the small
and the large size alternate, best of ``--repeat`` each, so a noisy neighbour slows both.
Times are CPU times of this process (``time.process_time``): on a machine shared with other
jobs, wall-clock time counts their turns on the CPU too, and short runs (the small size) find
a quiet moment more often than long ones, which inflates the growth.

Data: the sample estate's findings (a few hundred distinct ones), replicated with distinct
finding ARNs (``attrs.evolve``) up to the size, with exposures for a third of the
resources; ``diff`` compares the set with a copy where every 7th finding is CLOSED, every
11th has another severity and every 13th is gone. Sizes: 100k and 1M (``--quick``: 20k
and 200k). This is a benchmark, not a test: it exits 0 and says MISSED when a target is.
A last line, with no target, times the floor of any diff (two dicts by ARN and a lookup per
finding): when it grows faster than 10x too, the machine's caches, not the code, are why.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from datetime import datetime, timezone

import attrs

from inspector_kit import Finding, sample_findings
from inspector_kit.history import diff
from inspector_kit.models import FindingStatus, Severity
from inspector_kit.scoring import NetworkExposure
from inspector_kit.triage import BusinessCalendar, TriagePolicy, rank

TARGET = 11.0
NOW = datetime(2026, 11, 20, 12, tzinfo=timezone.utc)
_EXPOSURES = (NetworkExposure.INTERNET, NetworkExposure.INTERNAL, NetworkExposure.ISOLATED)


def estate(count: int) -> list[Finding]:
    """``count`` findings: the sample estate's, again and again, each with its own ARN."""
    pool = list(sample_findings())
    return [
        attrs.evolve(pool[n % len(pool)], finding_arn=f"{pool[n % len(pool)].finding_arn}/{n}")
        for n in range(count)
    ]


def exposures(findings: list[Finding]) -> dict[str, NetworkExposure]:
    """An exposure for every third distinct resource."""
    ids = sorted({f.primary_resource.id for f in findings})
    return {rid: _EXPOSURES[n % 3] for n, rid in enumerate(ids) if n % 3 == 0}


def changed(findings: list[Finding]) -> list[Finding]:
    """A later look at ``findings``: some closed, some rescored, some gone."""
    out = []
    for n, f in enumerate(findings):
        if n % 13 == 0:
            continue
        if n % 7 == 0:
            f = attrs.evolve(f, status=FindingStatus.CLOSED)
        elif n % 11 == 0:
            f = attrs.evolve(f, severity=Severity.LOW)
        out.append(f)
    return out


def _best(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def stages(
    findings: list[Finding], later: list[Finding], known: dict[str, NetworkExposure]
) -> dict[str, Callable[[], object]]:
    """What each stage runs, reading its whole output as a user would."""
    policy = TriagePolicy.default()
    calendar = BusinessCalendar("US")

    def run_rank() -> object:
        ranked = rank(findings, exposures=known)
        return [r.score for r in ranked], ranked[0].why

    def run_plan() -> object:
        plan = policy.plan(findings, now=NOW, calendar=calendar, exposures=known)
        return [i.due for i in plan.items], plan.items[0].why

    def run_diff() -> object:
        return diff(findings, later)

    def run_join() -> object:
        # The floor of any diff: a dict by ARN on each side and one lookup per finding.
        before = {f.finding_arn: f for f in findings}
        after = {f.finding_arn: f for f in later}
        return [before.get(arn) for arn in after]

    return {
        "rank": run_rank,
        "TriagePolicy.plan": run_plan,
        "history.diff": run_diff,
        "(floor) dict join by ARN": run_join,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20k and 200k findings")
    parser.add_argument("--small", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--only", choices=("rank", "TriagePolicy.plan", "history.diff", "(floor) dict join by ARN")
    )
    args = parser.parse_args()
    small = args.small or (20_000 if args.quick else 100_000)
    large = small * 10
    big = estate(large)
    sets = {}
    for size in (small, large):
        findings = big[:size]
        sets[size] = stages(findings, changed(findings), exposures(findings))
    missed = False
    for name in sets[small]:
        if args.only and name != args.only:
            continue
        times = {small: float("inf"), large: float("inf")}
        for _ in range(args.repeat):  # interleaved: small, large, small, large...
            for size in (small, large):
                times[size] = min(times[size], _best(sets[size][name], 1))
        growth = times[large] / times[small]
        if name.startswith("(floor)"):  # no target: how this machine's memory scales
            print(
                f"{name}: {small:,} -> {large:,} findings: {times[small]:.3f} s -> "
                f"{times[large]:.3f} s: growth {growth:.1f}x (no target: the memory floor)",
                flush=True,
            )
            continue
        ok = growth <= TARGET
        missed |= not ok
        print(
            f"{name}: {small:,} -> {large:,} findings: {times[small]:.3f} s -> "
            f"{times[large]:.3f} s: growth {growth:.1f}x (target <= {TARGET:g}x) "
            f"{'ok' if ok else 'MISSED'}",
            flush=True,
        )
    if missed:
        print("MISSED: at least one stage grows faster than its target")


if __name__ == "__main__":
    main()
