"""Reading a findings-report export: flat memory at 1,000,000 findings, and API calls saved.

A ``CreateFindingsReport`` JSON export is one ``{"findings": [...]}`` document per report.
This script generates one on the fly (no disk: a file-like object producing the bytes as
they are read, from the sample estate's findings with unique ARNs) and streams it through
``load_findings``, as ``Inspector.export_findings`` does with S3 object bodies. Each size
runs in its own process so its peak RSS is its own.

Measures, in one run:

* peak RSS parsing 1,000,000 findings / parsing 100,000 (target: about 1, i.e. flat);
* API calls: the export path (CreateFindingsReport, a few GetFindingsReportStatus polls,
  one ListObjectsV2, one GetObject per object) vs ListFindings at 25 per page (the
  console's and the API's default) and at 100 (the maximum, what ``Inspector.findings``
  uses).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import resource
import subprocess
import sys
import time
from collections.abc import Iterator

from inspector_kit.sample import sample_estate_path


def _templates() -> list[str]:
    lines = (sample_estate_path() / "findings.jsonl").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip()]


class GeneratedReport(io.RawIOBase):
    """``{"findings": [...]}`` with ``count`` findings, produced while it is read."""

    def __init__(self, count: int) -> None:
        self._chunks = self._generate(count)
        self._buffer = b""

    @staticmethod
    def _generate(count: int) -> Iterator[bytes]:
        templates = _templates()
        yield b'{"findings": ['
        for n in range(count):
            text = templates[n % len(templates)]
            arn = json.loads(text)["findingArn"]
            unique = text.replace(arn, f"{arn[:-12]}{n:012x}")
            yield (b"," if n else b"") + unique.encode()
        yield b"]}"

    def readable(self) -> bool:
        return True

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        while len(self._buffer) < len(target):
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


def _child(count: int) -> None:
    from inspector_kit import load_findings

    start = time.perf_counter()
    seen = 0
    loaded = load_findings(io.BufferedReader(GeneratedReport(count), 1 << 16), strict=True)
    for _ in loaded:
        seen += 1
    took = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"count": seen, "seconds": took, "peak_kib": peak_kib}))


def _measure(count: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(count)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    if result["count"] != count:
        raise SystemExit(f"parsed {result['count']} findings, expected {count}")
    return result


def api_calls(findings: int, *, objects: int = 1, polls: int = 5) -> dict[str, int]:
    """Calls to read ``findings`` findings: the export path vs ListFindings."""
    return {
        "export": 1 + polls + 1 + objects,
        "list_findings_25": math.ceil(findings / 25),
        "list_findings_100": math.ceil(findings / 100),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child)
        return
    small = _measure(args.small)
    large = _measure(args.large)
    for r in (small, large):
        print(
            f"parsed {int(r['count']):>9,} findings in {r['seconds']:6.1f} s "
            f"({r['seconds'] / r['count'] * 1e6:.0f} us each), "
            f"peak RSS {r['peak_kib'] / 1024:.0f} MiB"
        )
    print(f"peak RSS {args.large:,} / {args.small:,}: {large['peak_kib'] / small['peak_kib']:.2f}")
    calls = api_calls(args.large)
    print(
        f"API calls for {args.large:,} findings: export {calls['export']}, ListFindings "
        f"{calls['list_findings_25']:,} at 25 per page "
        f"({calls['list_findings_25'] / calls['export']:,.0f}x) or "
        f"{calls['list_findings_100']:,} at 100 "
        f"({calls['list_findings_100'] / calls['export']:,.0f}x)"
    )


if __name__ == "__main__":
    main()
