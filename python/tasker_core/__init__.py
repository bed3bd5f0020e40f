"""tasker_core for tasker-edge: the reference Tasker's Python API, over HTTP.

Write step handlers as in the reference (``StepHandler``, ``StepContext``, ``StepHandlerResult``,
``tasker_core.errors``), serve them for a namespace with the pull worker
(``python3 -m tasker_core worker --namespace default handlers.py``), and submit tasks with
``TaskerClient``. Standard library only.
"""

from __future__ import annotations

from tasker_core._http import TaskerApiError
from tasker_core.client import (
    HealthResponse,
    PaginationInfo,
    StepAuditResponse,
    StepResponse,
    TaskerClient,
    TaskListResponse,
    TaskResponse,
)
from tasker_core.errors import (
    AuthenticationError,
    AuthorizationError,
    BusinessLogicError,
    ConfigurationError,
    NetworkError,
    NotFoundError,
    PermanentError,
    RateLimitError,
    ResourceContentionError,
    RetryableError,
    ServiceUnavailableError,
    TaskerError,
)
from tasker_core.errors import TimeoutError as StepTimeoutError
from tasker_core.errors import ValidationError as StepValidationError
from tasker_core.handler import StepHandler
from tasker_core.types import ErrorType, StepContext, StepHandlerResult
from tasker_core.worker import PullWorker

__version__ = "0.1.0"

# The reference's names for the client's answers, beside the short ones.
ClientTaskResponse = TaskResponse
ClientTaskListResponse = TaskListResponse
ClientStepResponse = StepResponse
ClientStepAuditResponse = StepAuditResponse
ClientHealthResponse = HealthResponse
ClientPaginationInfo = PaginationInfo


def version() -> str:
    return __version__


__all__ = [
    "__version__",
    "version",
    "StepHandler",
    "StepContext",
    "StepHandlerResult",
    "ErrorType",
    "TaskerClient",
    "TaskerApiError",
    "TaskResponse",
    "TaskListResponse",
    "StepResponse",
    "StepAuditResponse",
    "HealthResponse",
    "PaginationInfo",
    "ClientTaskResponse",
    "ClientTaskListResponse",
    "ClientStepResponse",
    "ClientStepAuditResponse",
    "ClientHealthResponse",
    "ClientPaginationInfo",
    "PullWorker",
    "TaskerError",
    "RetryableError",
    "PermanentError",
    "StepTimeoutError",
    "NetworkError",
    "RateLimitError",
    "ServiceUnavailableError",
    "ResourceContentionError",
    "StepValidationError",
    "NotFoundError",
    "AuthenticationError",
    "AuthorizationError",
    "ConfigurationError",
    "BusinessLogicError",
]
