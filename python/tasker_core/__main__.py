"""``python3 -m tasker_core worker --url URL --namespace NS FILE_OR_MODULE...``

Serves the StepHandler subclasses of the given files or modules for one namespace of a tasker-edge
server (one served by pull workers: PULL_NAMESPACES). Stops cleanly on SIGINT or SIGTERM: no new
steps, running ones finish (up to --drain-seconds), the leases of the rest are given back.
Exit status: 0 after a clean stop, 1 when the server refuses the worker (or polling fails in a way
retrying cannot mend), 2 for bad usage (a URL that is not http(s) included).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

from tasker_core._http import DEFAULT_URL
from tasker_core.discovery import DiscoveryError, discover_handlers
from tasker_core.worker import PullWorker


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python3 -m tasker_core", description="tasker-edge for Python")
    commands = parser.add_subparsers(dest="command", required=True)
    worker = commands.add_parser("worker", help="serve step handlers for a namespace (a pull worker)")
    worker.add_argument("sources", nargs="+", metavar="FILE_OR_MODULE", help="Python files or module names")
    worker.add_argument("--url", default=None, help=f"the server (default: TASKER_URL or {DEFAULT_URL})")
    worker.add_argument("--namespace", default="default", help="the namespace to serve (default: default)")
    worker.add_argument("--concurrency", type=int, default=4, help="steps run at once, one thread each (default 4)")
    worker.add_argument("--lease-seconds", type=int, default=30, help="lease of each step, kept alive while it runs")
    worker.add_argument("--wait-seconds", type=int, default=20, help="how long one poll waits for a step")
    worker.add_argument(
        "--drain-seconds", type=float, default=10.0, help="on SIGINT/SIGTERM, how long running steps may finish"
    )
    worker.add_argument("--worker-id", default=None, help="names this worker in the logs")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.concurrency < 1 or not 1 <= args.lease_seconds <= 300 or not 0 <= args.wait_seconds <= 25:
        print("--concurrency must be >= 1, --lease-seconds 1..300, --wait-seconds 0..25", file=sys.stderr)
        return 2
    # The current directory is importable, as for `python3 -m`, so modules of the project load by name.
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        handlers = discover_handlers(args.sources)
    except DiscoveryError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        worker = PullWorker(
            handlers,
            url=args.url,
            namespace=args.namespace,
            concurrency=args.concurrency,
            lease_seconds=args.lease_seconds,
            wait_seconds=args.wait_seconds,
            drain_seconds=args.drain_seconds,
            worker_id=args.worker_id,
        )
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    stop = threading.Event()
    signals = {"count": 0}

    def on_signal(signum: int, _frame: object) -> None:
        signals["count"] += 1
        if signals["count"] > 1:
            print("second signal: exiting now", file=sys.stderr, flush=True)
            os._exit(130)
        print(f"{signal.Signals(signum).name}: stopping", file=sys.stderr, flush=True)
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    worker.start()
    # The poller stops on its own when the server refuses it (bad namespace, credentials).
    while not stop.wait(0.2):
        if worker.stopping:
            worker.drain()
            return 1
    worker.stop()
    worker.drain()
    return 0


if __name__ == "__main__":
    sys.exit(main())
