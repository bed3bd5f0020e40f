"""Errors a step handler raises to say how its step failed.

The names and signatures are the reference Tasker's (``tasker_core.errors``): raise a
``PermanentError`` (or one of its subclasses) for a failure no retry can fix, a ``RetryableError``
(or a subclass) for one that may pass on a later attempt. Any other exception is a retryable
``handler_error``.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "TaskerError",
    "RetryableError",
    "PermanentError",
    "TimeoutError",
    "NetworkError",
    "RateLimitError",
    "ServiceUnavailableError",
    "ResourceContentionError",
    "ValidationError",
    "NotFoundError",
    "AuthenticationError",
    "AuthorizationError",
    "ConfigurationError",
    "BusinessLogicError",
]


class TaskerError(Exception):
    """Base of every handler error: a message, whether to retry, and details for the operator."""

    retryable: bool = True

    def __init__(
        self,
        message: str,
        *,
        retryable: bool | None = None,
        metadata: dict[str, Any] | None = None,
        error_code: str | None = None,
        retry_after: int | float | None = None,
        context: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if retryable is not None:
            self.retryable = retryable
        self.metadata: dict[str, Any] = dict(metadata or {})
        self.error_code = error_code
        self.retry_after = retry_after
        if error_code is not None:
            self.metadata["error_code"] = error_code
        if retry_after is not None:
            self.metadata["retry_after"] = retry_after
        if context is not None:
            self.metadata.update(context)

    def to_dict(self) -> dict[str, Any]:
        return {
            "error_type": self.__class__.__name__,
            "message": self.message,
            "retryable": self.retryable,
            "metadata": self.metadata,
        }


class RetryableError(TaskerError):
    """A transient failure: the step is retried (after ``retry_after`` seconds, if given)."""

    retryable = True


class PermanentError(TaskerError):
    """A failure no retry can fix: the step fails for good."""

    retryable = False


class TimeoutError(RetryableError):  # noqa: A001 - the reference's name
    """An operation took too long."""


class NetworkError(RetryableError):
    """A connection failed."""


class RateLimitError(RetryableError):
    """An external service asked to slow down."""


class ServiceUnavailableError(RetryableError):
    """An external service is down for now."""


class ResourceContentionError(RetryableError):
    """A lock or resource could not be had."""


class ValidationError(PermanentError):
    """The input is invalid."""


class NotFoundError(PermanentError):
    """A required resource does not exist."""


class AuthenticationError(PermanentError):
    """Credentials were refused."""


class AuthorizationError(PermanentError):
    """The caller lacks a permission."""


class ConfigurationError(PermanentError):
    """The system is misconfigured."""


class BusinessLogicError(PermanentError):
    """A business rule forbids the operation."""
