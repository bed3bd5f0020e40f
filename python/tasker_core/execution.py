"""Runs one attempt of a handler and turns whatever happens into the outcome the server records.

The outcome has the shape a queue consumer reports (``{success, result, metadata,
execution_time_ms}`` or ``{success: false, error: {...}}``), with the same classification: a
``PermanentError`` fails the step for good, a ``RetryableError`` (or any other exception) is retried,
a result that is not JSON or larger than 1 MiB fails it permanently. Never raises.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import math
import time
from typing import Any

from tasker_core.errors import PermanentError, RetryableError, TaskerError
from tasker_core.handler import StepHandler
from tasker_core.types import StepContext, StepHandlerResult

__all__ = ["MAX_RESULT_BYTES", "run_step"]

#: The server's limit on one step's result, serialised as JSON.
MAX_RESULT_BYTES = 1_048_576


def run_step(handler_class: type[StepHandler], step: dict[str, Any]) -> dict[str, Any]:
    """The outcome of running ``handler_class`` on a step delivered by the server."""
    started = time.monotonic()

    def elapsed() -> int:
        return max(0, round((time.monotonic() - started) * 1000))

    try:
        context = StepContext.from_pulled_step(step)
        returned = handler_class().call(context)
        if inspect.isawaitable(returned):
            returned = asyncio.run(_await(returned))
    except BaseException as thrown:  # noqa: BLE001 - every failure becomes an outcome
        if isinstance(thrown, KeyboardInterrupt):
            raise
        if isinstance(thrown, SystemExit):
            # In a worker's thread sys.exit() ends only that thread: reported, or the step waits out its lease.
            return _failure(
                elapsed(),
                name="SystemExit",
                error_type="handler_error",
                message=f"the handler called sys.exit({thrown.code!r}): a handler returns a result or raises an error",
                retryable=False,
            )
        return {"success": False, "error": _thrown_error(thrown), "execution_time_ms": elapsed()}
    return _outcome(handler_class.registered_name(), returned, elapsed())


async def _await(awaitable: Any) -> Any:
    return await awaitable


def _outcome(handler: str, returned: Any, ms: int) -> dict[str, Any]:
    if not isinstance(returned, StepHandlerResult):
        return _failure(
            ms,
            name="InvalidResultError",
            error_type="invalid_handler_result",
            message=(
                f'handler "{handler}" returned {type(returned).__name__} instead of a StepHandlerResult '
                "(return StepHandlerResult.success(...) or StepHandlerResult.failure(...))"
            ),
            retryable=False,
        )
    if not returned.is_success:
        return _failure(
            ms,
            name="StepHandlerResult",
            error_type=returned.error_type or "handler_error",
            error_code=returned.error_code,
            message=returned.error_message or "handler reported a failure",
            retryable=returned.retryable is not False,
            metadata=_json_or_empty(returned.metadata),
        )
    try:
        encoded = json.dumps(returned.result, allow_nan=False)
    except (TypeError, ValueError) as error:
        return _failure(
            ms,
            name="InvalidResultError",
            error_type="invalid_result",
            error_code="RESULT_NOT_SERIALIZABLE",
            message=f'handler "{handler}" returned a result that cannot be stored as JSON: {error}',
            retryable=False,
        )
    size = len(encoded.encode("utf-8"))
    if size > MAX_RESULT_BYTES:
        return _failure(
            ms,
            name="InvalidResultError",
            error_type="invalid_result",
            error_code="RESULT_TOO_LARGE",
            message=(
                f'handler "{handler}" returned a result of {size} bytes as JSON; the limit is '
                f"{MAX_RESULT_BYTES} bytes: store large data elsewhere and return a reference"
            ),
            retryable=False,
            metadata={"result_bytes": size, "limit_bytes": MAX_RESULT_BYTES},
        )
    return {
        "success": True,
        "result": json.loads(encoded),
        "metadata": _json_or_empty(returned.metadata),
        "execution_time_ms": ms,
    }


def _thrown_error(thrown: BaseException) -> dict[str, Any]:
    if isinstance(thrown, TaskerError):
        if isinstance(thrown, PermanentError):
            error_type = "permanent_error"
        elif isinstance(thrown, RetryableError):
            error_type = "retryable_error"
        else:
            error_type = "retryable_error" if thrown.retryable else "permanent_error"
        retry_after = thrown.retry_after
        return _error(
            name=type(thrown).__name__,
            error_type=error_type,
            error_code=thrown.error_code,
            message=thrown.message,
            retryable=bool(thrown.retryable),
            retry_after_seconds=(
                float(retry_after)
                if isinstance(retry_after, (int, float)) and math.isfinite(retry_after) and retry_after >= 0
                else None
            ),
            metadata=_json_or_empty(thrown.metadata),
        )
    return _error(
        name=type(thrown).__name__,
        error_type="handler_error",
        message=str(thrown) or type(thrown).__name__,
        retryable=True,
    )


def _failure(ms: int, **fields: Any) -> dict[str, Any]:
    return {"success": False, "error": _error(**fields), "execution_time_ms": ms}


def _error(
    *,
    name: str,
    error_type: str,
    message: str,
    retryable: bool,
    error_code: str | None = None,
    retry_after_seconds: float | None = None,
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "name": name[:1000] or "Error",
        "error_type": (error_type or "handler_error")[:100],
        "error_code": str(error_code)[:200] if error_code else None,
        "message": str(message),
        "retryable": retryable,
        "retry_after_seconds": retry_after_seconds,
        "metadata": metadata or {},
    }


def _json_or_empty(value: Any) -> dict[str, Any]:
    """Metadata travels as JSON: anything that is not a JSON object is left out rather than failing the step."""
    if not isinstance(value, dict):
        return {}
    try:
        return json.loads(json.dumps(value, allow_nan=False, default=str))
    except (TypeError, ValueError):
        return {}
