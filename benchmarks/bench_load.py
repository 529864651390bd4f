"""Loader speed and memory, as ratios against a careful user's code measured in the same run.

Targets (issue 19, item 2):

* time: ``list(load_findings(path))`` over JSON Lines <= 2x reading the same file and
  ``json.loads``-ing each line into a list (what a careful user writes; no model at all);
* memory: bytes retained per finding by a list of ~20,000 decoded findings <= 2.5 KiB
  (``tracemalloc``: memory still allocated after the list is built, divided by its length).

The file is the sample estate's findings repeated (``--copies``); each copy gets its own
finding ARNs, the one member unique to every finding (resources, CVEs, titles repeat
across findings in a real estate as they do here). Timings are interleaved (ours, then the
baseline, ``--repeat`` times) and the best of each is kept; both wall-clock and CPU time
of this process are printed, CPU time being the one compared against the target (the
machine is shared, so wall-clock time includes waiting for a core). Not a test: it exits 0
even when a target is missed, and says MISSED.

Also printed, for reference: the JSON Lines ratio with the garbage collector off for both
(collections triggered by the baseline's ~40 dicts and lists per record make it slower per
record as the list grows, which flatters the ratio at 20k findings), the same ratio for a
JSON page (``{"findings": [...]}``),
and the peak memory of streaming ``load_findings`` against the naive
``[Finding.from_api(json.loads(line)) ...]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from inspector_kit import Finding, load_findings, sample_estate_path

TIME_TARGET = 2.0
MEMORY_TARGET = 2.5 * 1024


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def _interleaved(fns: dict[str, Callable[[], Any]], repeat: int) -> dict[str, tuple[float, float]]:
    """Best (wall, cpu) seconds of each function, runs interleaved."""
    best = {name: (float("inf"), float("inf")) for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            result = fn()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            del result
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
    return best


def _retained(fn: Callable[[], list[Any]]) -> tuple[int, int]:
    """Bytes still allocated after ``fn()`` built its list, and the list's length."""
    fn()  # warm up: imports, compiled decoders, caches that live for the process
    gc.collect()
    tracemalloc.start()
    kept = fn()
    gc.collect()
    current, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return current, len(kept)


def _peak(fn: Callable[[], int]) -> int:
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


_STAMP = re.compile(r'"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)')


def _copies(lines: list[str], copies: int, *, fresh_times: bool = False) -> list[str]:
    """``copies`` copies of the estate, each with its own finding ARNs.

    ``fresh_times``: also move every timestamp of copy ``n`` by ``n`` seconds, so that no
    timestamp repeats across copies (within a copy they repeat as in the sample estate):
    the worst case for the decoder's cache of parsed timestamps.
    """
    out = []
    for copy in range(copies):
        for line in lines:
            if fresh_times and copy:

                def moved(match: re.Match[str], by: int = copy) -> str:
                    when = datetime.fromisoformat(match.group(1)) + timedelta(seconds=by)
                    return '"' + when.isoformat()

                line = _STAMP.sub(moved, line)
            record = json.loads(line)
            record["findingArn"] = f"{record['findingArn']}-{copy:05d}"
            out.append(json.dumps(record, separators=(",", ":")))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--copies", type=int, default=73, help="copies of the sample estate (73: ~20k findings)"
    )
    parser.add_argument("--repeat", type=int, default=5, help="interleaved runs (best kept)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 4 copies, 1 run")
    args = parser.parse_args()
    if args.quick:
        args.copies, args.repeat = 4, 1

    lines = _copies((sample_estate_path() / "findings.jsonl").read_text().splitlines(), args.copies)
    count = len(lines)
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "findings.jsonl"
        jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
        page = Path(tmp) / "page.json"
        page.write_text(json.dumps({"findings": [json.loads(x) for x in lines]}), encoding="utf-8")

        def read_and_loads() -> list[Any]:  # the baseline: a careful user's JSON Lines read
            with jsonl.open(encoding="utf-8") as stream:
                return [json.loads(line) for line in stream]

        def read_page() -> list[Any]:
            with page.open(encoding="utf-8") as stream:
                findings: list[Any] = json.load(stream)["findings"]
                return findings

        def ours_jsonl() -> list[Finding]:
            return list(load_findings(jsonl, strict=True))

        def ours_page() -> list[Finding]:
            return list(load_findings(page, strict=True))

        ours_jsonl()  # warm up (decoders are compiled on first use)
        best = _interleaved(
            {
                "ours": ours_jsonl,
                "base": read_and_loads,
                "ours page": ours_page,
                "base page": read_page,
            },
            args.repeat,
        )
        gc.disable()  # the same again with the collector off: the cost of the work alone
        try:
            no_gc = _interleaved({"ours": ours_jsonl, "base": read_and_loads}, args.repeat)
        finally:
            gc.enable()
        retained, kept = _retained(ours_jsonl)
        fresh = Path(tmp) / "fresh.jsonl"
        fresh_lines = _copies(
            (sample_estate_path() / "findings.jsonl").read_text().splitlines(),
            args.copies,
            fresh_times=True,
        )
        fresh.write_text("\n".join(fresh_lines) + "\n", encoding="utf-8")

        def fresh_ours() -> list[Finding]:
            return list(load_findings(fresh, strict=True))

        def fresh_base() -> list[Any]:
            with fresh.open(encoding="utf-8") as stream:
                return [json.loads(line) for line in stream]

        fresh_best = _interleaved({"ours": fresh_ours, "base": fresh_base}, args.repeat)

        def naive_jsonl() -> int:
            text = jsonl.read_text(encoding="utf-8")
            return len([Finding.from_api(json.loads(x)) for x in text.splitlines()])

        def streamed() -> int:
            return sum(1 for _ in load_findings(jsonl, strict=True))

        peaks = (_peak(streamed), _peak(naive_jsonl)) if not args.quick else None

    print(f"{count} findings ({args.copies} copies of the sample estate), best of {args.repeat}")
    for label, mine, base in (
        ("JSON Lines", best["ours"], best["base"]),
        ("page", best["ours page"], best["base page"]),
    ):
        ratio = mine[1] / base[1]
        tail = f"(target <= {TIME_TARGET:.1f}x) {_verdict(ratio <= TIME_TARGET)}"
        print(
            f"  load_findings / (read + json.loads), {label}: {ratio:.2f}x "
            f"{tail if label == 'JSON Lines' else '(no target)'}\n"
            f"    cpu {mine[1] / count * 1e6:.1f} vs {base[1] / count * 1e6:.1f} us/finding; "
            f"wall {mine[0] / count * 1e6:.1f} vs {base[0] / count * 1e6:.1f} us/finding "
            f"(wall ratio {mine[0] / base[0]:.2f}x)"
        )
    print(
        f"  the same, garbage collector off for both: {no_gc['ours'][1] / no_gc['base'][1]:.2f}x "
        f"(no target; cpu {no_gc['ours'][1] / count * 1e6:.1f} vs "
        f"{no_gc['base'][1] / count * 1e6:.1f} us/finding: the baseline's many dicts make "
        "collections costly as the list grows)"
    )
    print(
        f"  the same, every timestamp unique to its copy: "
        f"{fresh_best['ours'][1] / fresh_best['base'][1]:.2f}x (no target; cpu "
        f"{fresh_best['ours'][1] / count * 1e6:.1f} vs "
        f"{fresh_best['base'][1] / count * 1e6:.1f} us/finding: repeated timestamps, parsed "
        "once, help less)"
    )
    per = retained / kept
    print(
        f"  memory per retained finding: {per / 1024:.2f} KiB ({per:.0f} B) "
        f"(target <= {MEMORY_TARGET / 1024:.1f} KiB) {_verdict(per <= MEMORY_TARGET)}"
    )
    if peaks is not None:
        mine_peak, base_peak = peaks
        print(
            f"  peak memory, streaming load_findings / naive from_api list: "
            f"{mine_peak / base_peak:.4f}x ({mine_peak / 2**20:.1f} MiB vs "
            f"{base_peak / 2**20:.1f} MiB) (no target)"
        )


if __name__ == "__main__":
    main()
