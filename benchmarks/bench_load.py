"""Loader speed and memory, as ratios against a naive baseline measured in the same run.

Baseline: read the whole file, ``json.loads`` each line (or the page), ``Finding.from_api``
each record, keep the list. Ours: ``load_findings()`` consuming the stream without keeping it.
"""

from __future__ import annotations

import argparse
import gc
import json
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from inspector_kit import Finding, load_findings, sample_estate_path


def _timed(fn: Callable[[], int], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _peak(fn: Callable[[], int]) -> int:
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=100, help="copies of the sample estate")
    args = parser.parse_args()

    lines = (sample_estate_path() / "findings.jsonl").read_text().splitlines()
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "findings.jsonl"
        jsonl.write_text("\n".join(lines * args.copies) + "\n")
        page = Path(tmp) / "page.json"
        page.write_text(json.dumps({"findings": [json.loads(x) for x in lines] * args.copies}))
        count = len(lines) * args.copies

        def naive_jsonl() -> int:
            text = jsonl.read_text()
            return len([Finding.from_api(json.loads(x)) for x in text.splitlines()])

        def naive_page() -> int:
            return len([Finding.from_api(x) for x in json.loads(page.read_text())["findings"]])

        def ours(path: Path) -> Callable[[], int]:
            return lambda: sum(1 for _ in load_findings(path, strict=True))

        times = {
            "JSON Lines": (_timed(ours(jsonl)), _timed(naive_jsonl)),
            "page": (_timed(ours(page)), _timed(naive_page)),
        }
        peaks = {
            "JSON Lines": (_peak(ours(jsonl)), _peak(naive_jsonl)),
            "page": (_peak(ours(page)), _peak(naive_page)),
        }
    print(f"{count} findings ({args.copies} copies of the sample estate)")
    for name, (mine, base) in times.items():
        print(f"  time, {name}: load_findings / naive = {mine / base:.2f}x")
    for name, (mine, base) in peaks.items():
        print(
            f"  peak memory, {name}: load_findings / naive = {mine / base:.4f}x "
            f"({mine / 2**20:.1f} MiB vs {base / 2**20:.1f} MiB)"
        )


if __name__ == "__main__":
    main()
