"""``StepHandler``: the base class of a Python step handler, as the reference's.

A subclass sets ``handler_name`` to the template's ``handler.callable`` and implements
``call(context)``, returning a ``StepHandlerResult`` (``call`` may also be ``async``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from tasker_core.types import StepContext, StepHandlerResult

__all__ = ["StepHandler"]


class StepHandler(ABC):
    """Base class of every step handler. A new instance runs each attempt."""

    handler_name: str = ""
    handler_version: str = "1.0.0"

    @abstractmethod
    def call(self, context: StepContext) -> Any:
        """Run the step: return ``StepHandlerResult.success(...)`` or ``.failure(...)``, or raise."""

    @property
    def name(self) -> str:
        return self.handler_name or self.__class__.__name__

    @property
    def version(self) -> str:
        return self.handler_version

    @property
    def capabilities(self) -> list[str]:
        return ["process"]

    def config_schema(self) -> dict[str, Any] | None:
        return None

    def success(
        self, result: dict[str, Any] | None = None, metadata: dict[str, Any] | None = None
    ) -> StepHandlerResult:
        return StepHandlerResult.success(result or {}, metadata)

    def failure(
        self,
        message: str,
        error_type: str = "handler_error",
        retryable: bool = True,
        metadata: dict[str, Any] | None = None,
        error_code: str | None = None,
    ) -> StepHandlerResult:
        return StepHandlerResult.failure(
            message=message,
            error_type=error_type,
            retryable=retryable,
            metadata=metadata,
            error_code=error_code,
        )

    @classmethod
    def registered_name(cls) -> str:
        """The name templates call it by: ``handler_name``, or the class name when unset."""
        return cls.handler_name or cls.__name__

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(name={self.name!r}, version={self.version!r})"
