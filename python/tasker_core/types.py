"""What a step handler receives (``StepContext``) and returns (``StepHandlerResult``).

Names, signatures and defaults follow the reference Tasker's Python API, so that handlers written for
it run here unchanged. A context is built from one step delivered to a pull worker: the task's
context, the handler's configuration, the results of every ancestor step and the attempt.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

__all__ = ["ErrorType", "StepContext", "StepHandlerResult"]


class ErrorType(str, Enum):
    """Standard error types, as the reference's."""

    PERMANENT_ERROR = "permanent_error"
    RETRYABLE_ERROR = "retryable_error"
    VALIDATION_ERROR = "validation_error"
    TIMEOUT = "timeout"
    HANDLER_ERROR = "handler_error"

    @classmethod
    def is_standard(cls, error_type: str) -> bool:
        return error_type in [e.value for e in cls]

    @classmethod
    def is_typically_retryable(cls, error_type: str) -> bool:
        return error_type in (cls.RETRYABLE_ERROR.value, cls.TIMEOUT.value)


class StepContext:
    """One attempt of one step, as its handler sees it.

    ``input_data`` is the task's context, ``step_config`` the template's ``handler.initialization``,
    ``dependency_results`` the result of every ancestor step by step name. ``retry_count`` is the
    number of runs before this one (0 on the first) and ``max_retries`` the step's ``max_attempts``.
    """

    def __init__(
        self,
        *,
        task_uuid: str,
        step_uuid: str,
        correlation_id: str = "",
        handler_name: str = "",
        input_data: dict[str, Any] | None = None,
        dependency_results: dict[str, Any] | None = None,
        step_config: dict[str, Any] | None = None,
        step_inputs: dict[str, Any] | None = None,
        retry_count: int = 0,
        max_retries: int = 3,
        step_name: str = "",
        namespace: str = "",
        task_name: str = "",
        task_version: str = "",
        timeout_seconds: int = 30,
        checkpoint: dict[str, Any] | None = None,
    ) -> None:
        self.task_uuid = task_uuid
        self.step_uuid = step_uuid
        self.correlation_id = correlation_id
        self.handler_name = handler_name
        self.input_data: dict[str, Any] = input_data if input_data is not None else {}
        self.dependency_results: dict[str, Any] = dependency_results if dependency_results is not None else {}
        self.step_config: dict[str, Any] = step_config if step_config is not None else {}
        self.step_inputs: dict[str, Any] = step_inputs if step_inputs is not None else {}
        self.retry_count = retry_count
        self.max_retries = max_retries
        self.step_name = step_name
        self.namespace = namespace
        self.task_name = task_name
        self.task_version = task_version
        self.timeout_seconds = timeout_seconds
        self._checkpoint = checkpoint

    @classmethod
    def from_pulled_step(cls, step: dict[str, Any]) -> StepContext:
        """The context of a step as the server delivers it to a pull worker (``/v1/workers/poll``)."""
        attempt = int(step.get("attempt") or 1)
        checkpoint = step.get("checkpoint")
        return cls(
            task_uuid=str(step.get("task_uuid", "")),
            step_uuid=str(step.get("step_uuid", "")),
            correlation_id=str(step.get("correlation_id", "")),
            handler_name=str(step.get("callable", "")),
            input_data=dict(step.get("context") or {}),
            dependency_results=dict(step.get("dependency_results") or {}),
            step_config=dict(step.get("initialization") or {}),
            step_inputs=dict(step.get("step_inputs") or {}),
            retry_count=max(0, attempt - 1),
            max_retries=int(step.get("max_attempts") or 3),
            step_name=str(step.get("step_name", "")),
            namespace=str(step.get("namespace", "")),
            task_name=str(step.get("task_name", "")),
            task_version=str(step.get("task_version", "")),
            timeout_seconds=int(step.get("timeout_seconds") or 30),
            checkpoint=checkpoint if isinstance(checkpoint, dict) else None,
        )

    @property
    def attempt(self) -> int:
        """1 on the first run."""
        return self.retry_count + 1

    @property
    def idempotency_key(self) -> str:
        """The same on every attempt and delivery of this step: key side effects on it."""
        return f"{self.task_uuid}:{self.step_uuid}"

    def get_input(self, key: str) -> Any:
        """A value of the task's context, or None."""
        return self.input_data.get(key)

    def get_input_or(self, key: str, default: Any = None) -> Any:
        """A value of the task's context, or ``default`` when it is absent or None."""
        value = self.input_data.get(key)
        return default if value is None else value

    def get_config(self, key: str) -> Any:
        """A value of the handler's ``initialization``, or None."""
        return self.step_config.get(key)

    def get_dependency_result(self, step_name: str) -> Any:
        """The result of an ancestor step, or None when there is none by that name.

        tasker-edge stores a step's result as its handler returned it, so the value is the handler's
        own output (the reference unwraps its stored envelope to give the same value).
        """
        return self.dependency_results.get(step_name)

    def get_dependency_field(self, step_name: str, *path: str) -> Any:
        """A nested field of an ancestor's result, or None if any part of the path is missing."""
        result = self.get_dependency_result(step_name)
        if result is None:
            return None
        for key in path:
            if not isinstance(result, dict):
                return None
            result = result.get(key)
        return result

    def get_dependency_result_keys(self) -> list[str]:
        return list(self.dependency_results.keys())

    def get_all_dependency_results(self, prefix: str) -> list[Any]:
        """The results of every ancestor whose step name starts with ``prefix`` (batch workers)."""
        return [
            value
            for name, value in self.dependency_results.items()
            if name.startswith(prefix) and value is not None
        ]

    def is_retry(self) -> bool:
        return self.retry_count > 0

    def is_last_retry(self) -> bool:
        """True when a retryable failure now would fail the step for good."""
        return self.retry_count >= self.max_retries - 1

    @property
    def checkpoint(self) -> dict[str, Any] | None:
        return self._checkpoint

    @property
    def checkpoint_cursor(self) -> Any | None:
        return self._checkpoint.get("cursor") if self._checkpoint else None

    @property
    def checkpoint_items_processed(self) -> int:
        return int(self._checkpoint.get("items_processed", 0)) if self._checkpoint else 0

    @property
    def accumulated_results(self) -> dict[str, Any] | None:
        return self._checkpoint.get("accumulated_results") if self._checkpoint else None

    def has_checkpoint(self) -> bool:
        return self.checkpoint_cursor is not None

    def __repr__(self) -> str:
        return (
            f"StepContext(step_name={self.step_name!r}, handler_name={self.handler_name!r}, "
            f"task_uuid={self.task_uuid!r}, attempt={self.attempt})"
        )


class StepHandlerResult:
    """A handler's outcome: ``StepHandlerResult.success(result)`` or ``.failure(message, ...)``."""

    def __init__(
        self,
        *,
        is_success: bool,
        result: dict[str, Any] | None = None,
        error_message: str | None = None,
        error_type: str | None = None,
        error_code: str | None = None,
        retryable: bool = True,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        self.is_success = is_success
        self.result = result
        self.error_message = error_message
        self.error_type = error_type
        self.error_code = error_code
        self.retryable = retryable
        self.metadata: dict[str, Any] = metadata if metadata is not None else {}

    @classmethod
    def success(cls, result: dict[str, Any], metadata: dict[str, Any] | None = None) -> StepHandlerResult:
        return cls(is_success=True, result=result, metadata=metadata or {})

    @classmethod
    def failure(
        cls,
        message: str,
        error_type: str | ErrorType = ErrorType.HANDLER_ERROR,
        retryable: bool = True,
        metadata: dict[str, Any] | None = None,
        error_code: str | None = None,
    ) -> StepHandlerResult:
        return cls(
            is_success=False,
            error_message=message,
            error_type=error_type.value if isinstance(error_type, ErrorType) else error_type,
            error_code=error_code,
            retryable=retryable,
            metadata=metadata or {},
        )

    @classmethod
    def wait_for_event(
        cls,
        name: str,
        timeout_seconds: int,
        *,
        match: str | None = None,
        on_timeout: str | None = None,
        result: Any = None,
        metadata: dict[str, Any] | None = None,
    ) -> StepHandlerResult:
        """End the step by waiting for the event ``name`` (tasker-edge's own, as the TypeScript SDK's
        ``waitForEvent``): the event's payload becomes the step's result; ``result`` (what the handler
        has so far, e.g. an external id) is kept beside it. ``on_timeout``: ``fail`` (default) or
        ``complete_with_null``."""
        event: dict[str, Any] = {"name": name, "timeout_seconds": timeout_seconds}
        if match is not None:
            event["match"] = match
        if on_timeout is not None:
            event["on_timeout"] = on_timeout
        return cls(
            is_success=True,
            result={"type": "wait_for_event", "event": event, "result": result},
            metadata={**(metadata or {}), "wait_for_event": True},
        )

    def is_wait_for_event(self) -> bool:
        return self.is_success and self.metadata.get("wait_for_event") is True

    def is_success_result(self) -> bool:
        return self.is_success

    def is_failure_result(self) -> bool:
        return not self.is_success

    def __repr__(self) -> str:
        if self.is_success:
            return f"StepHandlerResult.success({self.result!r})"
        return f"StepHandlerResult.failure({self.error_message!r}, error_type={self.error_type!r})"
