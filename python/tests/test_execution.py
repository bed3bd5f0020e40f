"""run_step: every way a handler can end becomes the outcome a queue consumer would report."""

import asyncio
import unittest

from tasker_core import StepContext, StepHandler, StepHandlerResult
from tasker_core.errors import NetworkError, PermanentError, RetryableError, ValidationError
from tasker_core.execution import MAX_RESULT_BYTES, run_step

STEP = {"task_uuid": "t", "step_uuid": "s", "step_name": "a", "callable": "H", "context": {"n": 2}, "attempt": 1}


def handler(body):
    class H(StepHandler):
        handler_name = "H"

        def call(self, context: StepContext):
            return body(context)

    return H


def raising(error):
    def body(_context):
        raise error

    return body


class RunStepTest(unittest.TestCase):
    def test_success_round_trips_json(self) -> None:
        outcome = run_step(handler(lambda c: StepHandlerResult.success({"double": c.get_input("n") * 2, "t": (1, 2)}, {"m": 1})), STEP)
        self.assertEqual(outcome["success"], True)
        self.assertEqual(outcome["result"], {"double": 4, "t": [1, 2]})
        self.assertEqual(outcome["metadata"], {"m": 1})
        self.assertIsInstance(outcome["execution_time_ms"], int)

    def test_permanent_error_with_code(self) -> None:
        outcome = run_step(handler(raising(PermanentError(message="Missing", error_code="MISSING_INPUT"))), STEP)
        self.assertFalse(outcome["success"])
        self.assertEqual(
            {k: outcome["error"][k] for k in ("name", "error_type", "error_code", "message", "retryable")},
            {"name": "PermanentError", "error_type": "permanent_error", "error_code": "MISSING_INPUT",
             "message": "Missing", "retryable": False},
        )
        sub = run_step(handler(raising(ValidationError("bad email"))), STEP)["error"]
        self.assertEqual((sub["name"], sub["error_type"], sub["retryable"]), ("ValidationError", "permanent_error", False))

    def test_retryable_error_with_delay(self) -> None:
        error = run_step(handler(raising(NetworkError("down", retry_after=7))), STEP)["error"]
        self.assertEqual((error["error_type"], error["retryable"], error["retry_after_seconds"]), ("retryable_error", True, 7.0))
        plain = run_step(handler(raising(RetryableError("later"))), STEP)["error"]
        self.assertIsNone(plain["retry_after_seconds"])

    def test_any_other_exception_is_a_retryable_handler_error(self) -> None:
        error = run_step(handler(raising(KeyError("price"))), STEP)["error"]
        self.assertEqual((error["name"], error["error_type"], error["retryable"]), ("KeyError", "handler_error", True))
        self.assertIn("price", error["message"])

    def test_sys_exit_in_a_handler_fails_the_step_for_good_instead_of_ending_its_thread_unreported(self) -> None:
        error = run_step(handler(raising(SystemExit(3))), STEP)["error"]
        self.assertEqual((error["name"], error["error_type"], error["retryable"]), ("SystemExit", "handler_error", False))
        self.assertIn("sys.exit(3)", error["message"])
        with self.assertRaises(KeyboardInterrupt):
            run_step(handler(raising(KeyboardInterrupt())), STEP)

    def test_returned_failure(self) -> None:
        error = run_step(handler(lambda c: StepHandlerResult.failure("declined", error_type="payment", retryable=False, error_code="DECLINED", metadata={"x": 1})), STEP)["error"]
        self.assertEqual(
            (error["error_type"], error["error_code"], error["message"], error["retryable"], error["metadata"]),
            ("payment", "DECLINED", "declined", False, {"x": 1}),
        )

    def test_bad_return_values_fail_for_good(self) -> None:
        not_a_result = run_step(handler(lambda c: {"ok": True}), STEP)["error"]
        self.assertEqual((not_a_result["error_type"], not_a_result["retryable"]), ("invalid_handler_result", False))
        self.assertIn("dict", not_a_result["message"])
        for bad in ({"x": object()}, {"x": float("nan")}):
            error = run_step(handler(lambda c, bad=bad: StepHandlerResult.success(bad)), STEP)["error"]
            self.assertEqual((error["error_code"], error["retryable"]), ("RESULT_NOT_SERIALIZABLE", False))
        big = run_step(handler(lambda c: StepHandlerResult.success({"x": "a" * MAX_RESULT_BYTES})), STEP)["error"]
        self.assertEqual(big["error_code"], "RESULT_TOO_LARGE")

    def test_async_handler(self) -> None:
        class AsyncHandler(StepHandler):
            handler_name = "H"

            async def call(self, context):
                await asyncio.sleep(0)
                return StepHandlerResult.success({"async": True})

        self.assertEqual(run_step(AsyncHandler, STEP)["result"], {"async": True})

    def test_a_fresh_instance_per_run(self) -> None:
        seen = []

        class Counting(StepHandler):
            handler_name = "H"

            def __init__(self):
                self.calls = 0

            def call(self, context):
                self.calls += 1
                seen.append(self.calls)
                return StepHandlerResult.success({})

        run_step(Counting, STEP)
        run_step(Counting, STEP)
        self.assertEqual(seen, [1, 1])


if __name__ == "__main__":
    unittest.main()
