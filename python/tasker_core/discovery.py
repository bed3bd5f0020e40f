"""Finds the ``StepHandler`` subclasses of Python files or importable modules, for the worker command."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import os
import re
import sys
from types import ModuleType

from tasker_core.handler import StepHandler

__all__ = ["DiscoveryError", "discover_handlers", "load_source"]


class DiscoveryError(Exception):
    """A file or module could not be loaded, holds no handler, or two handlers share a name."""


def load_source(source: str) -> ModuleType:
    """A ``.py`` file (its own directory importable, as ``python3 FILE`` has it), or a dotted module name."""
    if source.endswith(".py") or os.sep in source or os.path.isfile(source):
        path = os.path.abspath(source)
        if not os.path.isfile(path):
            raise DiscoveryError(f"{source}: no such file")
        directory = os.path.dirname(path)
        if directory not in sys.path:
            sys.path.insert(0, directory)
        stem = re.sub(r"\W", "_", os.path.splitext(os.path.basename(path))[0])
        name = f"tasker_handlers_{stem}_{abs(hash(path)) % 100000}"
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise DiscoveryError(f"{source}: not a Python file")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as error:  # noqa: BLE001 - reported with its file
            raise DiscoveryError(f"{source}: {type(error).__name__}: {error}") from error
        return module
    try:
        return importlib.import_module(source)
    except Exception as error:  # noqa: BLE001 - reported with its module
        raise DiscoveryError(f"{source}: {type(error).__name__}: {error}") from error


def handlers_of(module: ModuleType) -> list[type[StepHandler]]:
    """The concrete handler classes defined in the module itself (not those it imports)."""
    found = []
    for _, value in inspect.getmembers(module, inspect.isclass):
        if (
            issubclass(value, StepHandler)
            and value is not StepHandler
            and not inspect.isabstract(value)
            and value.__module__ == module.__name__
        ):
            found.append(value)
    return found


def discover_handlers(sources: list[str]) -> dict[str, type[StepHandler]]:
    """Handler name → class, over every source; each source must hold at least one handler."""
    handlers: dict[str, type[StepHandler]] = {}
    origin: dict[str, str] = {}
    for source in sources:
        classes = handlers_of(load_source(source))
        if not classes:
            raise DiscoveryError(f"{source}: defines no StepHandler subclass")
        for cls in classes:
            name = cls.registered_name()
            if name in handlers and handlers[name] is not cls:
                raise DiscoveryError(
                    f'handler name "{name}" is defined twice: {origin[name]} ({handlers[name].__name__}) '
                    f"and {source} ({cls.__name__})"
                )
            handlers[name] = cls
            origin[name] = source
    return handlers
