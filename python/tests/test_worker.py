"""The pull worker and its command against a stand-in server: discovery, reports, hand-over, heartbeats,
and a clean stop that gives back what it could not finish."""

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from tasker_core import PullWorker, StepHandler, StepHandlerResult
from tasker_core.discovery import DiscoveryError, discover_handlers

from tests.fake_server import FakeServer, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_DIR = os.path.dirname(HERE)
SEED = os.path.join(PYTHON_DIR, "..", "examples", "python-seed", "handlers.py")
ORDER = {
    "order_id": "ORD-1",
    "customer_email": "customer@example.com",
    "items": [{"sku": "WIDGET-A", "price": 29.99, "quantity": 2}, {"sku": "GADGET-B", "price": 49.99, "quantity": 1}],
}


class Echo(StepHandler):
    handler_name = "Echo"

    def call(self, context):
        return StepHandlerResult.success({"step": context.step_name})


release_slow = threading.Event()


class Slow(StepHandler):
    handler_name = "Slow"

    def call(self, context):
        release_slow.wait(5)
        return StepHandlerResult.success({})


class DiscoveryTest(unittest.TestCase):
    def test_the_guides_file_yields_its_four_handlers(self) -> None:
        handlers = discover_handlers([SEED])
        self.assertEqual(
            sorted(handlers),
            ["ChargePaymentHandler", "NotifyCustomerHandler", "ReserveInventoryHandler", "ValidateOrderHandler"],
        )

    def test_modules_by_name_and_clear_errors(self) -> None:
        self.assertEqual(sorted(discover_handlers(["tests.test_worker"])), ["Echo", "Slow"])
        with tempfile.TemporaryDirectory() as tmp:
            empty = os.path.join(tmp, "empty.py")
            with open(empty, "w") as f:
                f.write("X = 1\n")
            twin = os.path.join(tmp, "twin.py")
            with open(twin, "w") as f:
                f.write(
                    "from tasker_core import StepHandler\n"
                    "class A(StepHandler):\n    handler_name = 'Echo'\n    def call(self, c): pass\n"
                )
            broken = os.path.join(tmp, "broken.py")
            with open(broken, "w") as f:
                f.write("import not_a_module_anywhere\n")
            cases = {
                empty: "defines no StepHandler subclass",
                broken: "ModuleNotFoundError",
                os.path.join(tmp, "absent.py"): "no such file",
            }
            for source, message in cases.items():
                with self.assertRaises(DiscoveryError) as raised:
                    discover_handlers([source])
                self.assertIn(message, str(raised.exception))
            with self.assertRaises(DiscoveryError) as raised:
                discover_handlers(["tests.test_worker", twin])
            self.assertIn('handler name "Echo" is defined twice', str(raised.exception))


class PullWorkerTest(unittest.TestCase):
    def setUp(self) -> None:
        self.server = FakeServer()
        self.addCleanup(self.server.close)
        self.lines: list[str] = []
        release_slow.clear()
        self.addCleanup(release_slow.set)

    def worker(self, handlers, **options) -> PullWorker:
        worker = PullWorker(handlers, url=self.server.url, wait_seconds=1, log=self.lines.append, **options)
        self.addCleanup(worker.stop)
        return worker

    def test_runs_the_guides_handlers_and_reports_each_with_its_lease(self) -> None:
        handlers = discover_handlers([SEED])
        self.server.queue_step("validate_order", "ValidateOrderHandler", context=ORDER)
        worker = self.worker(handlers)
        worker.start()
        wait_until(lambda: "validate_order" in self.server.outcomes())
        outcome = self.server.outcomes()["validate_order"]
        self.assertEqual(outcome["result"], {"valid": True, "total": 109.97, "item_count": 2})
        [report] = self.server.reports
        self.assertEqual((report["lease_id"], report["attempt"], report["take_next"]), ("lease-1", 1, True))
        self.assertEqual(report["handlers"], sorted(handlers))
        # The worker logs a step once the report's reply is back, after the server has recorded it.
        wait_until(
            lambda: any(line.startswith("step.succeeded") and "step=validate_order" in line for line in self.lines)
        )

        # A permanent failure of the guide's own kind.
        self.server.queue_step("bad", "ValidateOrderHandler", context={"order_id": None})
        wait_until(lambda: "bad" in self.server.outcomes())
        error = self.server.outcomes()["bad"]["error"]
        self.assertEqual((error["error_code"], error["retryable"]), ("MISSING_INPUT", False))

    def test_runs_handed_over_steps_at_once(self) -> None:
        self.server.queue_step("start", "Echo")
        after = {"step_uuid": "uuid-left", "step_name": "left", "callable": "Echo", "task_uuid": "task-1", "attempt": 1}
        self.server.handover["start"] = [after, {**after, "step_uuid": "uuid-right", "step_name": "right"}]
        self.worker({"Echo": Echo}).start()
        wait_until(lambda: {"start", "left", "right"} <= set(self.server.outcomes()))
        handed = [r for r in self.server.reports if r["step_uuid"] != "uuid-start"]
        self.assertEqual([r["lease_id"] for r in handed], [None, None])
        self.assertEqual(sum(1 for r in self.server.requests if r["path"] == "/v1/workers/poll" and r["body"]["max_steps"] < 1), 0)

    def test_keeps_leases_alive_and_gives_back_what_it_cannot_finish_when_stopped(self) -> None:
        self.server.queue_step("slow", "Slow")
        # One slot, held by the slow step: no poll is in flight at the stop, so none can be handed the step
        # the drain gives back (a poll in flight would, and would give it back too, as lease-2).
        worker = self.worker({"Slow": Slow}, lease_seconds=2, drain_seconds=0.2, concurrency=1)
        worker.start()
        wait_until(lambda: "lease-1" in self.server.leased and worker._active == 1)
        wait_until(lambda: "lease-1" in self.server.extended, timeout=8)
        worker.stop()
        worker.drain()
        self.assertEqual(self.server.released, ["lease-1"])
        self.assertTrue(any(line.startswith("worker.abandoned leases=1") for line in self.lines))
        self.assertEqual(self.server.reports, [])

    def test_leaves_when_it_stops_so_its_held_poll_takes_no_step_for_it(self) -> None:
        worker = self.worker({"Echo": Echo}, drain_seconds=0.2)
        worker.start()
        wait_until(lambda: any(r["path"] == "/v1/workers/poll" for r in self.server.requests))
        worker.stop()
        worker.drain()
        self.assertEqual(self.server.left, [worker.worker_id])
        polls = [r for r in self.server.requests if r["path"] == "/v1/workers/poll"]
        self.assertTrue(all(r["body"]["worker_id"] == worker.worker_id for r in polls))
        # A server without the route (older) answers 404: said, and the stop goes on.
        del self.server.routes["POST /v1/workers/leave"]
        other = self.worker({"Echo": Echo}, drain_seconds=0.2)
        other.stop()
        other.drain()
        self.assertTrue(any(line.startswith("worker.leave_failed code=NOT_FOUND") for line in self.lines))

    def test_stops_when_the_server_refuses_its_polls(self) -> None:
        self.server.routes["POST /v1/workers/poll"] = lambda b, q, h: (
            404,
            {"error": {"code": "NOT_FOUND", "message": 'namespace "default" is not served by pull workers'}},
        )
        worker = self.worker({"Echo": Echo})
        worker.start()
        wait_until(lambda: worker.stopping)
        self.assertTrue(any("NOT_FOUND" in line for line in self.lines))

    def test_a_poll_answered_with_a_page_is_retried_and_said_not_fatal(self) -> None:
        answers = [(200, b"<html>proxy login</html>")]
        original = self.server.routes["POST /v1/workers/poll"]
        self.server.routes["POST /v1/workers/poll"] = lambda b, q, h: answers.pop() if answers else original(b, q, h)
        self.server.queue_step("validate_order", "Echo", context={})
        worker = self.worker({"Echo": Echo})
        worker.start()
        wait_until(lambda: "validate_order" in self.server.outcomes(), timeout=10)
        self.assertTrue(any("INVALID_RESPONSE" in line for line in self.lines), self.lines)
        self.assertFalse(worker.stopping)

    def test_stops_saying_why_when_polling_fails_unexpectedly(self) -> None:
        worker = self.worker({"Echo": Echo})

        def broken(*_args, **_kwargs):
            raise RuntimeError("a bug in the poller")

        worker._post = broken  # type: ignore[method-assign]
        worker.start()
        wait_until(lambda: worker.stopping)
        self.assertTrue(any("RuntimeError: a bug in the poller" in line for line in self.lines), self.lines)

    def test_a_result_too_large_for_a_request_fails_the_step_for_good(self) -> None:
        accept = self.server.routes["POST /v1/workers/results"]

        def limited(body, q, h):
            if body["results"][0]["outcome"]["success"]:
                return 413, {"error": {"code": "PAYLOAD_TOO_LARGE", "message": "the body is over 1048576 bytes"}}
            return accept(body, q, h)

        self.server.routes["POST /v1/workers/results"] = limited
        self.server.queue_step("big", "Echo")
        self.worker({"Echo": Echo}).start()
        wait_until(lambda: "big" in self.server.outcomes())
        error = self.server.outcomes()["big"]["error"]
        self.assertEqual((error["error_code"], error["retryable"]), ("RESULT_TOO_LARGE", False))

    def test_a_step_without_a_handler_here_fails_for_good(self) -> None:
        self.server.queue_step("x", "Missing")
        self.worker({"Echo": Echo}).start()
        wait_until(lambda: "x" in self.server.outcomes())
        error = self.server.outcomes()["x"]["error"]
        self.assertEqual((error["error_code"], error["retryable"]), ("HANDLER_NOT_FOUND", False))


class WorkerCommandTest(unittest.TestCase):
    def run_command(self, *args: str, **kwargs):
        env = {**os.environ, "PYTHONPATH": PYTHON_DIR}
        return subprocess.Popen(
            [sys.executable, "-m", "tasker_core", "worker", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            **kwargs,
        )

    def test_serves_the_guides_file_and_stops_cleanly_on_sigterm(self) -> None:
        server = FakeServer()
        self.addCleanup(server.close)
        server.queue_step("validate_order", "ValidateOrderHandler", context=ORDER)
        process = self.run_command("--url", server.url, "--namespace", "default", "--wait-seconds", "1", SEED)
        try:
            wait_until(lambda: "validate_order" in server.outcomes(), timeout=10)
        finally:
            process.send_signal(signal.SIGTERM)
        started = time.monotonic()
        _, stderr = process.communicate(timeout=10)
        self.assertEqual(process.returncode, 0, stderr)
        self.assertLess(time.monotonic() - started, 8)
        self.assertIn("SIGTERM: stopping", stderr)
        self.assertIn("step.succeeded", stderr)
        self.assertIn("worker.stopped", stderr)

    def test_bad_usage_exits_2(self) -> None:
        process = self.run_command("--url", "http://127.0.0.1:9", "no_such_module_here")
        _, stderr = process.communicate(timeout=10)
        self.assertEqual(process.returncode, 2)
        self.assertIn("no_such_module_here", stderr)
        # A URL without its scheme is a mistake to fix, not a server to wait for.
        process = self.run_command("--url", "127.0.0.1:8787", SEED)
        _, stderr = process.communicate(timeout=10)
        self.assertEqual(process.returncode, 2)
        self.assertIn("must start with http:// or https://, got '127.0.0.1:8787'", stderr)


if __name__ == "__main__":
    unittest.main()
