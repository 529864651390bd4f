"""Run a loopback Inspector in the foreground: ``python -m inspector_kit.testing``.

The first line on stdout is the endpoint URL (flushed), so a parent process can read it and
point its clients there. The server runs until SIGTERM or SIGINT (Ctrl-C).

Example::

    $ python -m inspector_kit.testing --findings 100000 --regions us-east-1,eu-west-1
    http://127.0.0.1:54321
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import TYPE_CHECKING

from ._dataset import LoopbackDataset
from ._faults import Faults
from ._loopback import LoopbackInspector

if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import FrameType

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m inspector_kit.testing",
        description="Serve a loopback Amazon Inspector (inspector2 REST-JSON) until SIGTERM.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="TCP port (default 0: any free)")
    parser.add_argument(
        "--findings",
        type=int,
        default=None,
        metavar="N",
        help="serve N synthetic findings cloned from the sample estate (default: the sample)",
    )
    parser.add_argument(
        "--regions",
        default=None,
        metavar="R1,R2",
        help="regions to spread the synthetic findings over (default: the sample's)",
    )
    parser.add_argument(
        "--latency", type=float, default=0.0, metavar="S", help="seconds added to each request"
    )
    parser.add_argument(
        "--throttle-rate", type=float, default=0.0, help="probability of a 429 per request"
    )
    parser.add_argument(
        "--server-error-rate", type=float, default=0.0, help="probability of a 500 per request"
    )
    parser.add_argument("--seed", type=int, default=None, help="seed for random faults")
    parser.add_argument(
        "--account",
        action="append",
        default=[],
        metavar="KEY=ACCOUNT",
        help="map an access key id to a member account (repeatable)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv``, serve until SIGTERM/SIGINT, return the exit status."""
    args = _parser().parse_args(argv)
    regions = [r.strip() for r in args.regions.split(",") if r.strip()] if args.regions else None
    dataset = LoopbackDataset.sample()
    if args.findings is not None or regions:
        count = len(dataset) if args.findings is None else args.findings
        dataset = dataset.replicated(count, regions=regions)
    accounts = dict(item.split("=", 1) for item in args.account)
    faults = Faults(
        latency=args.latency,
        throttle_rate=args.throttle_rate,
        server_error_rate=args.server_error_rate,
        seed=args.seed,
    )
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    with LoopbackInspector(
        dataset, host=args.host, port=args.port, faults=faults, accounts=accounts
    ) as server:
        print(server.endpoint_url, flush=True)
        print(f"serving {dataset!r}; stop with SIGTERM or Ctrl-C", file=sys.stderr, flush=True)
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
