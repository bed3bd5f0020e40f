"""A pull worker: serves Python step handlers for one namespace of a tasker-edge server over HTTP.

One poller long-polls ``/v1/workers/poll`` for as many steps as it has free slots (``concurrency``
threads run handlers). Each step's lease is kept alive by a heartbeat while its handler runs; the
outcome goes to ``/v1/workers/results``, whose reply may hand over the steps it made ready, run here
at once. ``stop()`` (SIGINT/SIGTERM in the command) stops polling; ``drain()`` ends the poll still held on
the server, lets running steps finish within ``drain_seconds``, and gives back the leases of those that
did not, so they are delivered again.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from tasker_core._http import HttpTransport, TaskerApiError
from tasker_core.execution import run_step
from tasker_core.handler import StepHandler

__all__ = ["PullWorker"]


class PullWorker:
    def __init__(
        self,
        handlers: dict[str, type[StepHandler]],
        *,
        url: str | None = None,
        namespace: str = "default",
        concurrency: int = 4,
        lease_seconds: int = 30,
        wait_seconds: int = 20,
        drain_seconds: float = 10.0,
        worker_id: str | None = None,
        api_key: str | None = None,
        token: str | None = None,
        log: Callable[[str], None] | None = None,
    ) -> None:
        if not handlers:
            raise ValueError("a worker needs at least one handler")
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.handlers = dict(handlers)
        self.namespace = namespace
        self.concurrency = concurrency
        self.lease_seconds = lease_seconds
        self.wait_seconds = wait_seconds
        self.drain_seconds = drain_seconds
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._http = HttpTransport(url, api_key=api_key, token=token, timeout=30.0)
        self._log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        self._stopping = threading.Event()
        self._slots = threading.Semaphore(concurrency)
        self._lock = threading.Lock()
        self._running: dict[str, str] = {}  # lease id -> step name, for heartbeats and release
        self._active = 0
        self._idle = threading.Condition(self._lock)
        self.steps_run = 0

    @property
    def url(self) -> str:
        return self._http.base_url

    @property
    def stopping(self) -> bool:
        """True once stop() was called, or the server refused this worker's polls."""
        return self._stopping.is_set()

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> None:
        """Starts polling and heartbeats in background threads."""
        self._log(
            f"worker.started id={self.worker_id} url={self.url} namespace={self.namespace} "
            f"concurrency={self.concurrency} handlers={','.join(sorted(self.handlers))}"
        )
        threading.Thread(target=self._poll_loop, name="tasker-poller", daemon=True).start()
        threading.Thread(target=self._heartbeat_loop, name="tasker-heartbeat", daemon=True).start()

    def stop(self) -> None:
        """Stops taking steps (a poll in flight may still return some: they are given back at once)."""
        self._stopping.set()

    def drain(self) -> None:
        """After stop(): ends this worker's poll still held on the server, waits for running steps up to
        drain_seconds, then gives back the rest's leases."""
        self._leave()
        deadline = time.monotonic() + self.drain_seconds
        with self._idle:
            while self._active > 0 and time.monotonic() < deadline:
                self._idle.wait(timeout=max(0.0, deadline - time.monotonic()))
            abandoned = list(self._running)
        if abandoned:
            self._release(abandoned)
            self._log(f"worker.abandoned leases={len(abandoned)} (delivered again to another worker)")
        self._log(f"worker.stopped id={self.worker_id} steps_run={self.steps_run}")

    def serve_forever(self, stop_event: threading.Event | None = None) -> None:
        """start(), then wait for stop_event (or stop()), then drain()."""
        self.start()
        event = stop_event or self._stopping
        while not event.wait(0.2):
            pass
        self.stop()
        self.drain()

    # -- polling ----------------------------------------------------------------------------

    def _poll_loop(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            if not self._slots.acquire(timeout=0.5):
                continue
            free = 1
            while free < self.concurrency and self._slots.acquire(blocking=False):
                free += 1
            try:
                steps = self._post(
                    "/v1/workers/poll",
                    {
                        "namespace": self.namespace,
                        "handlers": sorted(self.handlers),
                        "worker_id": self.worker_id,
                        "max_steps": free,
                        "wait_seconds": self.wait_seconds,
                        "lease_seconds": self.lease_seconds,
                    },
                    timeout=self.wait_seconds + 15,
                )["steps"]
                failures = 0
            except TaskerApiError as error:
                for _ in range(free):
                    self._slots.release()
                failures += 1
                delay = min(10.0, 0.5 * 2 ** min(failures, 5))
                self._log(f"worker.poll_failed code={error.code} message={error.message!r} retry_in_s={delay:g}")
                if error.status in (400, 401, 403, 404):
                    self._log("worker.stopping: the server refuses this worker's polls (see the message above)")
                    self._stopping.set()
                    return
                self._stopping.wait(delay)
                continue
            except Exception as error:  # noqa: BLE001 - a poller that died silently would leave an idle process up
                for _ in range(free):
                    self._slots.release()
                self._log(f"worker.stopping: polling failed unexpectedly: {type(error).__name__}: {error}")
                self._stopping.set()
                return
            for _ in range(free - len(steps)):
                self._slots.release()
            if self._stopping.is_set():
                self._release([s["lease_id"] for s in steps if s.get("lease_id")])
                for _ in steps:
                    self._slots.release()
                return
            for step in steps:
                self._begin(step)
                threading.Thread(target=self._run_chain, args=(step,), daemon=True).start()

    def _heartbeat_loop(self) -> None:
        interval = max(0.5, self.lease_seconds / 3)
        while not self._stopping.wait(interval):
            with self._lock:
                leases = list(self._running)
            if not leases:
                continue
            try:
                reply = self._post(
                    "/v1/workers/heartbeat",
                    {"namespace": self.namespace, "lease_ids": leases[:100], "lease_seconds": self.lease_seconds},
                )
                for lost in reply.get("lost", []):
                    self._log(f"worker.lease_lost lease={lost} (its step was delivered again)")
            except TaskerApiError as error:
                self._log(f"worker.heartbeat_failed code={error.code} message={error.message!r}")
            except Exception as error:  # noqa: BLE001 - the next beat tries again; the leases say what was lost
                self._log(f"worker.heartbeat_failed {type(error).__name__}: {error}")

    # -- running ----------------------------------------------------------------------------

    def _begin(self, step: dict[str, Any]) -> None:
        with self._lock:
            self._active += 1
            if step.get("lease_id"):
                self._running[step["lease_id"]] = step.get("step_name", "")

    def _end(self, step: dict[str, Any]) -> None:
        with self._lock:
            self._active -= 1
            if step.get("lease_id"):
                self._running.pop(step["lease_id"], None)
            self._idle.notify_all()

    def _run_chain(self, first: dict[str, Any]) -> None:
        """Runs a step holding one slot, then the steps its report hands over (extra slots if free)."""
        queue = [first]
        try:
            while queue:
                step = queue.pop(0)
                try:
                    handed = self._run_one(step)
                finally:
                    self._end(step)
                for next_step in handed:
                    self._begin(next_step)
                    if self._slots.acquire(blocking=False):
                        threading.Thread(target=self._run_chain, args=(next_step,), daemon=True).start()
                    else:
                        queue.append(next_step)
        finally:
            self._slots.release()

    def _run_one(self, step: dict[str, Any]) -> list[dict[str, Any]]:
        handler = self.handlers.get(step.get("callable", ""))
        if handler is None:
            outcome = {
                "success": False,
                "execution_time_ms": 0,
                "error": {
                    "name": "HandlerNotFound",
                    "error_type": "handler_not_found",
                    "error_code": "HANDLER_NOT_FOUND",
                    "message": f'no handler registered as "{step.get("callable")}" in worker {self.worker_id}',
                    "retryable": False,
                },
            }
        else:
            outcome = run_step(handler, step)
        self.steps_run += 1
        reply = self._report(step, outcome)
        result = reply["results"][0] if reply else None
        fields = (
            f"task={step.get('task_uuid')} step={step.get('step_name')} handler={step.get('callable')} "
            f"attempt={step.get('attempt')} ms={outcome.get('execution_time_ms')}"
        )
        if outcome["success"]:
            status = "step.succeeded"
        else:
            error = outcome["error"]
            status = "step.failed"
            fields += f" error_type={error['error_type']} message={error['message']!r}"
        if result:
            fields += f" recorded={result['recorded']}"
            if result.get("step_state"):
                fields += f" state={result['step_state']}"
            if result.get("reason"):
                fields += f" reason={result['reason']}"
        else:
            fields += " recorded=unreported (delivered again after its lease)"
        self._log(f"{status} {fields}")
        return reply["steps"] if reply else []

    def _report(self, step: dict[str, Any], outcome: dict[str, Any]) -> dict[str, Any] | None:
        body = {
            "namespace": self.namespace,
            "handlers": sorted(self.handlers),
            "worker_id": self.worker_id,
            "take_next": not self._stopping.is_set(),
            "results": [
                {
                    "task_uuid": step["task_uuid"],
                    "step_uuid": step["step_uuid"],
                    "attempt": step["attempt"],
                    "lease_id": step.get("lease_id"),
                    "outcome": outcome,
                }
            ],
        }
        # Reports are fenced by attempt on the server, so sending one again is always safe.
        for delay in (0.25, 1.0, 2.0, None):
            try:
                reply = self._post("/v1/workers/results", body)
                if reply["results"][0]["recorded"] != "failed" or delay is None:
                    return reply
            except TaskerApiError as error:
                if error.status == 413 and body["results"][0]["outcome"].get("success"):
                    # The result fits the server's result limit but not, with its envelope, a request:
                    # the step fails for good rather than being delivered again and again.
                    body["results"][0]["outcome"] = {
                        "success": False,
                        "execution_time_ms": outcome.get("execution_time_ms", 0),
                        "error": {
                            "name": "InvalidResultError",
                            "error_type": "invalid_result",
                            "error_code": "RESULT_TOO_LARGE",
                            "message": f"the report of this result is too large for the server: {error.message}",
                            "retryable": False,
                        },
                    }
                    continue
                if delay is None or error.status in (400, 401, 403, 404, 413):
                    self._log(f"worker.report_failed code={error.code} message={error.message!r}")
                    return None
            time.sleep(delay)
        return None

    def _release(self, lease_ids: list[str]) -> None:
        if not lease_ids:
            return
        try:
            self._post("/v1/workers/release", {"namespace": self.namespace, "lease_ids": lease_ids[:100]})
        except TaskerApiError as error:
            self._log(f"worker.release_failed code={error.code} message={error.message!r} (leases run out)")

    def _leave(self) -> None:
        # A long poll in flight stays held on the server after this process stops listening, and would lease
        # the next step to nobody (it then waits out its lease): the server ends it, empty.
        try:
            self._post("/v1/workers/leave", {"namespace": self.namespace, "worker_id": self.worker_id}, timeout=5)
        except TaskerApiError as error:
            self._log(f"worker.leave_failed code={error.code} message={error.message!r} (its poll runs out)")

    def _post(self, path: str, body: dict[str, Any], timeout: float | None = None) -> Any:
        return self._http.request("POST", path, body, timeout=timeout)
