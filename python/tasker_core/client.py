"""``TaskerClient``: the reference's Python client, over tasker-edge's REST API.

Method names, signatures and defaults are the reference's (``create_task(name, *, namespace="default",
context=None, version="1.0.0", reason="Task requested", **kwargs)``, ``initiator="tasker-core-python"``,
``source_system="tasker-core"``); answers are the same frozen dataclasses. The server is ``TASKER_URL``
or ``http://localhost:8787``; an error answer raises ``TaskerApiError`` with the API's error code.

Example::

    client = TaskerClient()
    task = client.create_task("order_processing", context={"order_id": "ORD-1", "items": []})
    print(task.task_uuid, task.status)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from tasker_core._http import DEFAULT_URL, HttpTransport, TaskerApiError

__all__ = [
    "DEFAULT_URL",
    "HealthResponse",
    "PaginationInfo",
    "StepAuditResponse",
    "StepResponse",
    "TaskListResponse",
    "TaskResponse",
    "TaskerApiError",
    "TaskerClient",
]

TERMINAL_TASK_STATES = ("complete", "error", "cancelled")


def _pick(cls: type, data: dict[str, Any], defaults: dict[str, Any]) -> Any:
    """Builds a response dataclass from the fields it knows; the whole answer is kept in ``raw``."""
    values = {name: data.get(name, default) for name, default in defaults.items()}
    return cls(**values, raw=dict(data))


@dataclass(frozen=True)
class PaginationInfo:
    page: int = 0
    per_page: int = 50
    total_count: int = 0
    total_pages: int = 0
    has_next: bool = False
    has_previous: bool = False

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PaginationInfo:
        return cls(
            page=data.get("page", 0),
            per_page=data.get("per_page", 50),
            total_count=data.get("total_count", 0),
            total_pages=data.get("total_pages", 0),
            has_next=data.get("has_next", False),
            has_previous=data.get("has_previous", False),
        )


_TASK_DEFAULTS: dict[str, Any] = {
    "task_uuid": "",
    "name": "",
    "namespace": "",
    "version": "",
    "status": "",
    "created_at": "",
    "updated_at": "",
    "completed_at": None,
    "context": {},
    "initiator": "",
    "source_system": "",
    "reason": "",
    "priority": None,
    "tags": None,
    "correlation_id": "",
    "parent_correlation_id": None,
    "total_steps": 0,
    "pending_steps": 0,
    "in_progress_steps": 0,
    "completed_steps": 0,
    "failed_steps": 0,
    "ready_steps": 0,
    "execution_status": "",
    "recommended_action": "",
    "completion_percentage": 0.0,
    "health_status": "",
    "steps": [],
}


@dataclass(frozen=True)
class TaskResponse:
    task_uuid: str = ""
    name: str = ""
    namespace: str = ""
    version: str = ""
    status: str = ""
    created_at: str = ""
    updated_at: str = ""
    completed_at: str | None = None
    context: dict[str, Any] = field(default_factory=dict)
    initiator: str = ""
    source_system: str = ""
    reason: str = ""
    priority: int | None = None
    tags: list[str] | None = None
    correlation_id: str = ""
    parent_correlation_id: str | None = None
    total_steps: int = 0
    pending_steps: int = 0
    in_progress_steps: int = 0
    completed_steps: int = 0
    failed_steps: int = 0
    ready_steps: int = 0
    execution_status: str = ""
    recommended_action: str = ""
    completion_percentage: float = 0.0
    health_status: str = ""
    steps: list[dict[str, Any]] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TaskResponse:
        return _pick(cls, data, _TASK_DEFAULTS)


@dataclass(frozen=True)
class TaskListResponse:
    tasks: list[TaskResponse] = field(default_factory=list)
    pagination: PaginationInfo = field(default_factory=PaginationInfo)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TaskListResponse:
        tasks = [TaskResponse.from_dict(t) for t in data.get("tasks", []) if isinstance(t, dict)]
        pagination = data.get("pagination")
        return cls(
            tasks=tasks,
            pagination=PaginationInfo.from_dict(pagination) if isinstance(pagination, dict) else PaginationInfo(),
        )


_STEP_DEFAULTS: dict[str, Any] = {
    "step_uuid": "",
    "task_uuid": "",
    "name": "",
    "created_at": "",
    "updated_at": "",
    "completed_at": None,
    "results": None,
    "current_state": "",
    "dependencies_satisfied": False,
    "retry_eligible": False,
    "ready_for_execution": False,
    "total_parents": 0,
    "completed_parents": 0,
    "attempts": 0,
    "max_attempts": 0,
    "last_failure_at": None,
    "next_retry_at": None,
    "last_attempted_at": None,
}


@dataclass(frozen=True)
class StepResponse:
    step_uuid: str = ""
    task_uuid: str = ""
    name: str = ""
    created_at: str = ""
    updated_at: str = ""
    completed_at: str | None = None
    results: dict[str, Any] | None = None
    current_state: str = ""
    dependencies_satisfied: bool = False
    retry_eligible: bool = False
    ready_for_execution: bool = False
    total_parents: int = 0
    completed_parents: int = 0
    attempts: int = 0
    max_attempts: int = 0
    last_failure_at: str | None = None
    next_retry_at: str | None = None
    last_attempted_at: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StepResponse:
        return _pick(cls, data, _STEP_DEFAULTS)


_AUDIT_DEFAULTS: dict[str, Any] = {
    "audit_uuid": "",
    "workflow_step_uuid": "",
    "transition_uuid": "",
    "task_uuid": "",
    "recorded_at": "",
    "worker_uuid": None,
    "correlation_id": None,
    "success": False,
    "execution_time_ms": None,
    "result": None,
    "step_name": "",
    "from_state": None,
    "to_state": "",
}


@dataclass(frozen=True)
class StepAuditResponse:
    audit_uuid: str = ""
    workflow_step_uuid: str = ""
    transition_uuid: str = ""
    task_uuid: str = ""
    recorded_at: str = ""
    worker_uuid: str | None = None
    correlation_id: str | None = None
    success: bool = False
    execution_time_ms: int | None = None
    result: dict[str, Any] | None = None
    step_name: str = ""
    from_state: str | None = None
    to_state: str = ""
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StepAuditResponse:
        return _pick(cls, data, _AUDIT_DEFAULTS)


@dataclass(frozen=True)
class HealthResponse:
    healthy: bool = False
    status: str = ""
    timestamp: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HealthResponse:
        status = str(data.get("status", ""))
        return cls(healthy=data.get("healthy", status == "healthy"), status=status, timestamp=data.get("timestamp", ""))


class TaskerClient:
    """The orchestration API with the reference client's defaults.

    ``initiator`` and ``source_system`` are sent with every task created (a ``create_task`` keyword
    overrides them). ``base_url`` defaults to ``TASKER_URL`` or ``http://localhost:8787``;
    ``api_key`` to ``TASKER_API_KEY`` (sent as ``X-API-Key``), ``token`` to ``TASKER_TOKEN`` (sent as
    ``Authorization: Bearer``).
    """

    def __init__(
        self,
        initiator: str = "tasker-core-python",
        source_system: str = "tasker-core",
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        token: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.initiator = initiator
        self.source_system = source_system
        self._http = HttpTransport(base_url, api_key=api_key, token=token, timeout=timeout)

    @property
    def base_url(self) -> str:
        return self._http.base_url

    def create_task(
        self,
        name: str,
        *,
        namespace: str = "default",
        context: dict[str, Any] | None = None,
        version: str = "1.0.0",
        reason: str = "Task requested",
        **kwargs: Any,
    ) -> TaskResponse:
        """Submits a task; extra keywords (``initiator``, ``tags``, ``idempotency_key``, ...) join the request."""
        request: dict[str, Any] = {
            "name": name,
            "namespace": namespace,
            "version": version,
            "context": context or {},
            "initiator": self.initiator,
            "source_system": self.source_system,
            "reason": reason,
        }
        request.update(kwargs)
        return TaskResponse.from_dict(self._http.request("POST", "/v1/tasks", request))

    def get_task(self, task_uuid: str) -> TaskResponse:
        return TaskResponse.from_dict(self._http.request("GET", f"/v1/tasks/{_segment(task_uuid)}"))

    def wait_for_task(self, task_uuid: str, timeout: float = 30.0) -> TaskResponse:
        """Reads the task until it is ``complete``, ``error`` or ``cancelled`` (the server holds each read).

        When ``timeout`` runs out first, returns the task as last read, unfinished: check its ``status``.
        """
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            wait = max(0, min(60, int(left)))
            data = self._http.request(
                "GET",
                f"/v1/tasks/{_segment(task_uuid)}",
                query={"wait_seconds": wait},
                timeout=wait + 30,
            )
            task = TaskResponse.from_dict(data)
            if task.status in TERMINAL_TASK_STATES or time.monotonic() >= deadline:
                return task

    def list_tasks(
        self,
        *,
        limit: int = 50,
        offset: int = 0,
        namespace: str | None = None,
        status: str | None = None,
    ) -> TaskListResponse:
        """One page of tasks, newest first; ``limit``/``offset`` map to the API's pages (at most 100 each)."""
        per_page = max(1, min(100, limit))
        page = offset // per_page + 1
        data = self._http.request(
            "GET",
            "/v1/tasks",
            query={"page": page, "per_page": per_page, "namespace": namespace, "status": status},
        )
        return TaskListResponse.from_dict(data)

    def cancel_task(self, task_uuid: str) -> dict[str, Any]:
        return self._http.request("DELETE", f"/v1/tasks/{_segment(task_uuid)}")

    def list_task_steps(self, task_uuid: str) -> list[StepResponse]:
        data = self._http.request("GET", f"/v1/tasks/{_segment(task_uuid)}/workflow_steps")
        return [StepResponse.from_dict(s) for s in data or [] if isinstance(s, dict)]

    def get_step(self, task_uuid: str, step_uuid: str) -> StepResponse:
        path = f"/v1/tasks/{_segment(task_uuid)}/workflow_steps/{_segment(step_uuid)}"
        return StepResponse.from_dict(self._http.request("GET", path))

    def get_step_audit_history(self, task_uuid: str, step_uuid: str) -> list[StepAuditResponse]:
        path = f"/v1/tasks/{_segment(task_uuid)}/workflow_steps/{_segment(step_uuid)}/audit"
        data = self._http.request("GET", path)
        return [StepAuditResponse.from_dict(e) for e in data or [] if isinstance(e, dict)]

    def health_check(self) -> HealthResponse:
        return HealthResponse.from_dict(self._http.request("GET", "/health") or {})


def _segment(value: str) -> str:
    import urllib.parse

    return urllib.parse.quote(str(value), safe="")
