"""TaskerClient against a stand-in server: the reference's defaults on the wire, errors as exceptions."""

import os
import unittest
from unittest import mock

from tasker_core import TaskerApiError, TaskerClient

from tests.fake_server import FakeServer

TASK = {"task_uuid": "019a-task", "name": "order_processing", "status": "pending", "total_steps": 4, "extra": 1}


class TaskerClientTest(unittest.TestCase):
    def setUp(self) -> None:
        self.server = FakeServer()
        self.addCleanup(self.server.close)
        self.server.routes["POST /v1/tasks"] = lambda body, q, h: (201, {**TASK, "context": body["context"]})
        self.server.routes["GET /v1/tasks/019a-task"] = lambda body, q, h: (200, {**TASK, "status": "complete"})
        self.env = mock.patch.dict(os.environ, {"TASKER_URL": self.server.url}, clear=False)
        self.env.start()
        self.addCleanup(self.env.stop)
        for name in ("TASKER_API_KEY", "TASKER_TOKEN"):
            os.environ.pop(name, None)

    def last(self):
        return self.server.requests[-1]

    def test_create_task_sends_the_reference_defaults(self) -> None:
        task = TaskerClient().create_task("order_processing", context={"order_id": "A"})
        self.assertEqual(task.task_uuid, "019a-task")
        self.assertEqual(task.total_steps, 4)
        self.assertEqual(task.raw["extra"], 1)
        self.assertEqual(
            self.last()["body"],
            {
                "name": "order_processing",
                "namespace": "default",
                "version": "1.0.0",
                "context": {"order_id": "A"},
                "initiator": "tasker-core-python",
                "source_system": "tasker-core",
                "reason": "Task requested",
            },
        )

    def test_keywords_override_and_join_the_request(self) -> None:
        TaskerClient(source_system="web").create_task(
            "order_processing",
            namespace="billing",
            version="2.0.0",
            initiator="api:checkout",
            reason="New order received",
            idempotency_key="k-1",
        )
        body = self.last()["body"]
        self.assertEqual(
            (body["namespace"], body["version"], body["initiator"], body["source_system"], body["reason"], body["idempotency_key"], body["context"]),
            ("billing", "2.0.0", "api:checkout", "web", "New order received", "k-1", {}),
        )

    def test_url_from_the_environment_and_the_default(self) -> None:
        self.assertEqual(TaskerClient().base_url, self.server.url)
        with mock.patch.dict(os.environ, {}, clear=True):
            self.assertEqual(TaskerClient().base_url, "http://localhost:8787")
        self.assertEqual(TaskerClient(base_url="http://x:1/").base_url, "http://x:1")

    def test_credentials_from_the_environment(self) -> None:
        with mock.patch.dict(os.environ, {"TASKER_API_KEY": "tk_1", "TASKER_TOKEN": "jwt.token"}):
            TaskerClient().get_task("019a-task")
        headers = self.last()["headers"]
        self.assertEqual((headers["x-api-key"], headers["authorization"]), ("tk_1", "Bearer jwt.token"))
        TaskerClient().get_task("019a-task")
        self.assertNotIn("x-api-key", self.last()["headers"])

    def test_an_error_answer_raises_with_the_api_code(self) -> None:
        self.server.routes["POST /v1/tasks"] = lambda body, q, h: (
            409,
            {"error": {"code": "CONFLICT", "message": "a task with this identity exists: 019a-first"}},
        )
        with self.assertRaises(TaskerApiError) as raised:
            TaskerClient().create_task("order_processing", context={})
        error = raised.exception
        self.assertEqual((error.status, error.code, error.request_id), (409, "CONFLICT", "req-1"))
        self.assertIn("019a-first", str(error))

    def test_a_page_instead_of_json_is_an_invalid_response(self) -> None:
        self.server.routes["GET /v1/tasks/019a-task"] = lambda b, q, h: (200, b"<html>sign in</html>")
        with self.assertRaises(TaskerApiError) as raised:
            TaskerClient().get_task("019a-task")
        self.assertEqual((raised.exception.status, raised.exception.code), (200, "INVALID_RESPONSE"))
        self.assertIn("<html>sign in", raised.exception.message)

    def test_a_url_without_its_scheme_is_refused_at_once(self) -> None:
        for url in ("127.0.0.1:8787", "notaurl", "ftp://host"):
            with self.assertRaises(ValueError) as raised:
                TaskerClient(base_url=url)
            self.assertIn(f"got {url!r}", str(raised.exception))

    def test_no_server_is_a_network_error(self) -> None:
        self.server.close()
        with self.assertRaises(TaskerApiError) as raised:
            TaskerClient(timeout=2).get_task("019a-task")
        self.assertEqual((raised.exception.status, raised.exception.code), (0, "NETWORK_ERROR"))

    def test_reads_steps_lists_and_cancels(self) -> None:
        self.server.routes["GET /v1/tasks/019a-task/workflow_steps"] = lambda b, q, h: (
            200,
            [{"step_uuid": "s1", "name": "validate_order", "current_state": "complete", "results": {"result": {"total": 1}}}],
        )
        self.server.routes["GET /v1/tasks"] = lambda b, q, h: (
            200,
            {"tasks": [TASK], "pagination": {"page": int(q["page"]), "per_page": int(q["per_page"]), "total_count": 1}},
        )
        self.server.routes["DELETE /v1/tasks/019a-task"] = lambda b, q, h: (200, {**TASK, "status": "cancelled"})
        client = TaskerClient()
        [step] = client.list_task_steps("019a-task")
        self.assertEqual((step.name, step.current_state, step.results), ("validate_order", "complete", {"result": {"total": 1}}))
        listed = client.list_tasks(limit=10, offset=20, status="complete")
        self.assertEqual((listed.pagination.page, listed.pagination.per_page), (3, 10))
        self.assertEqual(self.last()["query"], {"page": "3", "per_page": "10", "status": "complete"})
        self.assertEqual(listed.tasks[0].task_uuid, "019a-task")
        self.assertEqual(client.cancel_task("019a-task")["status"], "cancelled")


if __name__ == "__main__":
    unittest.main()
