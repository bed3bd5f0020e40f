"""StepContext, StepHandlerResult, ErrorType and the error hierarchy: the reference's names and defaults."""

import unittest

from tasker_core import ErrorType, StepContext, StepHandlerResult
from tasker_core import errors

PULLED = {
    "lease_id": "lease-1",
    "task_uuid": "t-1",
    "step_uuid": "s-1",
    "step_name": "charge_payment",
    "namespace": "default",
    "task_name": "order_processing",
    "task_version": "1.0.0",
    "correlation_id": "c-1",
    "callable": "ChargePaymentHandler",
    "initialization": {"gateway": "test", "retries": None},
    "context": {"order_id": "ORD-1", "empty": None, "items": [{"price": 1}]},
    "dependency_results": {
        "validate_order": {"total": 109.97, "nested": {"deep": {"x": 1}}},
        "batch_001": {"n": 1},
        "batch_002": {"n": 2},
        "other": None,
    },
    "attempt": 2,
    "max_attempts": 3,
    "timeout_seconds": 12,
}


class StepContextTest(unittest.TestCase):
    def setUp(self) -> None:
        self.context = StepContext.from_pulled_step(PULLED)

    def test_inputs_and_config(self) -> None:
        self.assertEqual(self.context.get_input("order_id"), "ORD-1")
        self.assertIsNone(self.context.get_input("missing"))
        self.assertEqual(self.context.get_input_or("empty", "fallback"), "fallback")
        self.assertEqual(self.context.get_input_or("missing", 7), 7)
        self.assertEqual(self.context.get_input_or("order_id", 7), "ORD-1")
        self.assertEqual(self.context.get_config("gateway"), "test")
        self.assertIsNone(self.context.get_config("missing"))
        self.assertEqual(self.context.input_data["items"], [{"price": 1}])
        self.assertEqual(self.context.step_config, PULLED["initialization"])

    def test_dependency_results(self) -> None:
        self.assertEqual(self.context.get_dependency_result("validate_order")["total"], 109.97)
        self.assertIsNone(self.context.get_dependency_result("not_an_ancestor"))
        self.assertEqual(self.context.get_dependency_field("validate_order", "nested", "deep", "x"), 1)
        self.assertIsNone(self.context.get_dependency_field("validate_order", "total", "x"))
        self.assertIsNone(self.context.get_dependency_field("nope", "x"))
        self.assertEqual(self.context.get_all_dependency_results("batch_"), [{"n": 1}, {"n": 2}])
        self.assertIn("other", self.context.get_dependency_result_keys())

    def test_identity_and_retries(self) -> None:
        c = self.context
        self.assertEqual((c.task_uuid, c.step_uuid, c.correlation_id), ("t-1", "s-1", "c-1"))
        self.assertEqual((c.handler_name, c.step_name, c.namespace), ("ChargePaymentHandler", "charge_payment", "default"))
        self.assertEqual((c.retry_count, c.max_retries, c.attempt), (1, 3, 2))
        self.assertTrue(c.is_retry())
        self.assertFalse(c.is_last_retry())
        self.assertEqual(c.idempotency_key, "t-1:s-1")
        self.assertEqual(c.timeout_seconds, 12)
        last = StepContext.from_pulled_step({**PULLED, "attempt": 3})
        self.assertTrue(last.is_last_retry())
        first = StepContext.from_pulled_step({**PULLED, "attempt": 1})
        self.assertFalse(first.is_retry())

    def test_checkpoint(self) -> None:
        self.assertFalse(self.context.has_checkpoint())
        self.assertEqual(self.context.checkpoint_items_processed, 0)
        resumed = StepContext.from_pulled_step(
            {**PULLED, "checkpoint": {"cursor": 40, "items_processed": 40, "accumulated_results": {"sum": 3}}}
        )
        self.assertTrue(resumed.has_checkpoint())
        self.assertEqual((resumed.checkpoint_cursor, resumed.checkpoint_items_processed), (40, 40))
        self.assertEqual(resumed.accumulated_results, {"sum": 3})


class StepHandlerResultTest(unittest.TestCase):
    def test_success(self) -> None:
        result = StepHandlerResult.success({"ok": True}, {"m": 1})
        self.assertTrue(result.is_success)
        self.assertTrue(result.is_success_result())
        self.assertEqual((result.result, result.metadata), ({"ok": True}, {"m": 1}))

    def test_wait_for_event(self) -> None:
        wait = StepHandlerResult.wait_for_event(
            "payment_confirmed", 600, match="order_id", result={"payment_id": "p-1"}, metadata={"m": 1}
        )
        self.assertTrue(wait.is_success)
        self.assertTrue(wait.is_wait_for_event())
        self.assertFalse(StepHandlerResult.success({"ok": True}).is_wait_for_event())
        self.assertEqual(
            wait.result,
            {
                "type": "wait_for_event",
                "event": {"name": "payment_confirmed", "timeout_seconds": 600, "match": "order_id"},
                "result": {"payment_id": "p-1"},
            },
        )
        self.assertEqual(wait.metadata, {"m": 1, "wait_for_event": True})

    def test_failure_defaults_and_enum(self) -> None:
        failure = StepHandlerResult.failure("boom")
        self.assertFalse(failure.is_success)
        self.assertTrue(failure.is_failure_result())
        self.assertEqual((failure.error_type, failure.retryable, failure.error_code), ("handler_error", True, None))
        typed = StepHandlerResult.failure(
            message="bad", error_type=ErrorType.VALIDATION_ERROR, retryable=False, error_code="BAD"
        )
        self.assertEqual((typed.error_type, typed.retryable, typed.error_code), ("validation_error", False, "BAD"))

    def test_error_type(self) -> None:
        self.assertTrue(ErrorType.is_standard("timeout"))
        self.assertFalse(ErrorType.is_standard("custom"))
        self.assertTrue(ErrorType.is_typically_retryable("retryable_error"))
        self.assertFalse(ErrorType.is_typically_retryable("permanent_error"))


class ErrorsTest(unittest.TestCase):
    def test_hierarchy(self) -> None:
        for cls in (errors.TimeoutError, errors.NetworkError, errors.RateLimitError,
                    errors.ServiceUnavailableError, errors.ResourceContentionError):
            self.assertTrue(issubclass(cls, errors.RetryableError))
            self.assertTrue(cls("x").retryable)
        for cls in (errors.ValidationError, errors.NotFoundError, errors.AuthenticationError,
                    errors.AuthorizationError, errors.ConfigurationError, errors.BusinessLogicError):
            self.assertTrue(issubclass(cls, errors.PermanentError))
            self.assertFalse(cls("x").retryable)

    def test_keywords_as_the_guide_uses_them(self) -> None:
        error = errors.PermanentError(message="Missing order_id or items", error_code="MISSING_INPUT")
        self.assertEqual((error.message, error.error_code), ("Missing order_id or items", "MISSING_INPUT"))
        self.assertEqual(error.metadata, {"error_code": "MISSING_INPUT"})
        self.assertEqual(error.to_dict()["error_type"], "PermanentError")
        later = errors.RetryableError("later", retry_after=5, context={"gateway": "x"})
        self.assertEqual(later.metadata, {"retry_after": 5, "gateway": "x"})
        self.assertFalse(errors.RetryableError("x", retryable=False).retryable)


if __name__ == "__main__":
    unittest.main()
