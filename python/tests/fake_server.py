"""An in-process stand-in for a tasker-edge server: records every request, answers from a script.

``routes`` maps ``"METHOD /path"`` to a function ``(body, query, headers) -> (status, json)``; the pull
routes have a small work queue of their own (``FakeServer.queue_step``) so the worker can be tested
without wrangler.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

Route = Callable[[Any, dict[str, str], dict[str, str]], "tuple[int, Any]"]


class FakeServer:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.routes: dict[str, Route] = {}
        self.lock = threading.Lock()
        self.waiting: list[dict[str, Any]] = []  # steps not yet leased
        self.leased: dict[str, dict[str, Any]] = {}
        self.reports: list[dict[str, Any]] = []
        self.released: list[str] = []
        self.left: list[str] = []  # worker ids that said they were leaving
        self.extended: list[str] = []
        self.handover: dict[str, list[dict[str, Any]]] = {}  # step_name -> steps handed over on its report
        self._lease_counter = 0
        self.routes["POST /v1/workers/poll"] = self._poll
        self.routes["POST /v1/workers/results"] = self._results
        self.routes["POST /v1/workers/heartbeat"] = self._heartbeat
        self.routes["POST /v1/workers/release"] = self._release
        self.routes["POST /v1/workers/leave"] = self._leave
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: Any) -> None:
                pass

            def _serve(self, method: str) -> None:
                parsed = urllib.parse.urlparse(self.path)
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                query = dict(urllib.parse.parse_qsl(parsed.query))
                headers = {k.lower(): v for k, v in self.headers.items()}
                with server.lock:
                    server.requests.append(
                        {"method": method, "path": parsed.path, "query": query, "headers": headers, "body": body}
                    )
                route = server.routes.get(f"{method} {parsed.path}")
                if route is None:
                    status, answer = 404, {"error": {"code": "NOT_FOUND", "message": f"no route {parsed.path}"}}
                else:
                    status, answer = route(body, query, headers)
                # bytes are sent as they are (a proxy's page, say); anything else as JSON.
                raw_page = isinstance(answer, bytes)
                data = answer if raw_page else json.dumps(answer).encode("utf-8")
                self.send_response(status)
                self.send_header("content-type", "text/html" if raw_page else "application/json")
                self.send_header("x-request-id", "req-1")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                self._serve("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._serve("POST")

            def do_DELETE(self) -> None:  # noqa: N802
                self._serve("DELETE")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- the pull protocol, simplified: no claims, no fencing; the tests check what the worker sends --

    def queue_step(self, step_name: str, callable_name: str, **fields: Any) -> dict[str, Any]:
        step = {
            "task_uuid": fields.pop("task_uuid", "task-1"),
            "step_uuid": f"uuid-{step_name}",
            "step_name": step_name,
            "namespace": "default",
            "task_name": "t",
            "task_version": "1.0.0",
            "correlation_id": "corr-1",
            "callable": callable_name,
            "initialization": {},
            "context": {},
            "dependency_results": {},
            "attempt": 1,
            "max_attempts": 3,
            "timeout_seconds": 30,
        }
        step.update(fields)
        with self.lock:
            self.waiting.append(step)
        return step

    def _poll(self, body: Any, _q: dict[str, str], _h: dict[str, str]) -> tuple[int, Any]:
        deadline = time.monotonic() + min(float(body.get("wait_seconds", 0)), 2.0)
        while True:
            with self.lock:
                if self.waiting:
                    taken = self.waiting[: body.get("max_steps", 1)]
                    del self.waiting[: len(taken)]
                    out = []
                    for step in taken:
                        self._lease_counter += 1
                        lease = f"lease-{self._lease_counter}"
                        self.leased[lease] = step
                        out.append({**step, "lease_id": lease})
                    return 200, {"steps": out, "lease_seconds": body.get("lease_seconds", 30)}
            if time.monotonic() >= deadline:
                return 200, {"steps": [], "lease_seconds": body.get("lease_seconds", 30)}
            time.sleep(0.02)

    def _results(self, body: Any, _q: dict[str, str], _h: dict[str, str]) -> tuple[int, Any]:
        replies, steps = [], []
        with self.lock:
            for item in body["results"]:
                self.reports.append({**item, "take_next": body.get("take_next"), "handlers": body["handlers"]})
                if item.get("lease_id"):
                    self.leased.pop(item["lease_id"], None)
                step_name = item["step_uuid"].removeprefix("uuid-")
                replies.append(
                    {
                        "task_uuid": item["task_uuid"],
                        "step_uuid": item["step_uuid"],
                        "attempt": item["attempt"],
                        "recorded": "applied",
                        "reason": None,
                        "step_state": "complete" if item["outcome"]["success"] else "error",
                    }
                )
                if body.get("take_next"):
                    steps.extend({**s, "lease_id": None} for s in self.handover.pop(step_name, []))
        return 200, {"results": replies, "steps": steps}

    def _heartbeat(self, body: Any, _q: dict[str, str], _h: dict[str, str]) -> tuple[int, Any]:
        with self.lock:
            self.extended.extend(body["lease_ids"])
            held = [lease for lease in body["lease_ids"] if lease in self.leased]
        return 200, {"held": held, "lost": [lease for lease in body["lease_ids"] if lease not in held]}

    def _release(self, body: Any, _q: dict[str, str], _h: dict[str, str]) -> tuple[int, Any]:
        with self.lock:
            self.released.extend(body["lease_ids"])
            for lease in body["lease_ids"]:
                step = self.leased.pop(lease, None)
                if step:
                    self.waiting.append(step)
        return 200, {"released": len(body["lease_ids"])}

    def _leave(self, body: Any, _q: dict[str, str], _h: dict[str, str]) -> tuple[int, Any]:
        with self.lock:
            self.left.append(body["worker_id"])
        return 200, {"polls_ended": 0}

    def outcomes(self) -> dict[str, dict[str, Any]]:
        """Step name -> the outcome reported for it (the last one)."""
        with self.lock:
            return {r["step_uuid"].removeprefix("uuid-"): r["outcome"] for r in self.reports}


def wait_until(check: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)
