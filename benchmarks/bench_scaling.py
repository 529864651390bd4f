"""Linear-time guards, as ratios: each input at 10x the size should take about 10x the time.

These were wall-clock assertions in unit tests (issue 15 moved speed here). Each case is
measured at a small and a large size in the same run, best of ``--repeat``; a ratio near
10 is linear, near 100 quadratic (the regressions they guard against):

* ``parse_timestamp`` on long bad strings (a backtracking pattern was quadratic);
* ``load_findings`` skipping megabytes of whitespace (a character loop was 8x slower);
* ``load_findings`` refilling its window past megabytes of other members (copying the
  whole kept window on every refill was quadratic);
* ``TriagePolicy.from_yaml`` on a policy nested n levels deep (it is refused at level 33).
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from collections.abc import Callable

from inspector_kit import load_findings
from inspector_kit.errors import PolicyFileError, TimestampError
from inspector_kit.models import parse_timestamp
from inspector_kit.testing import finding_payload
from inspector_kit.triage import TriagePolicy


def _best(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _bad_timestamp(n: int) -> Callable[[], object]:
    text = "2024-09-04T16:59:44." + "1" * n + "x"

    def run() -> object:
        try:
            return parse_timestamp(text)
        except TimestampError:
            return None

    return run


def _whitespace(n: int) -> Callable[[], object]:
    good = json.dumps(finding_payload()).encode()
    data = (" \n\t\r" * n).encode()
    text = good + data + b"[" + data + good + b"]" + data
    return lambda: list(load_findings(text))


def _refills(n: int) -> Callable[[], object]:
    member = '"k%d": "' + "v" * 1000 + '", '
    members = "".join(member % i for i in range(n))
    text = ("{" + members + '"findings": ' + json.dumps([finding_payload()]) + "}").encode()
    return lambda: list(load_findings(text, strict=True))


def _deep_policy(n: int) -> Callable[[], object]:
    text = "rules: " + "[" * n + "]" * n + "\n"

    def run() -> object:
        try:
            return TriagePolicy.from_yaml(text)
        except PolicyFileError:
            return None

    return run


CASES: dict[str, tuple[Callable[[int], Callable[[], object]], int]] = {
    "parse_timestamp, bad string of n digits": (_bad_timestamp, 20_000),
    "load_findings, n x 4 bytes of whitespace (x3)": (_whitespace, 400_000),
    "load_findings, n members of 1 kB before the findings": (_refills, 2_400),
    "TriagePolicy.from_yaml, a policy nested n levels deep": (_deep_policy, 5_000),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'case':<55} {'small':>9} {'10x':>9} {'ratio':>7}")
    for name, (make, small) in CASES.items():
        t_small = _best(make(small), args.repeat)
        t_large = _best(make(small * 10), args.repeat)
        print(f"{name:<55} {t_small:>8.4f}s {t_large:>8.4f}s {t_large / t_small:>6.1f}x")


if __name__ == "__main__":
    main()
