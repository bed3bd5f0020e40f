"""JSON over HTTP with the standard library, shared by the client and the worker.

Credentials as the TypeScript client and CLI take them: ``TASKER_API_KEY`` is sent as ``X-API-Key``,
``TASKER_TOKEN`` as ``Authorization: Bearer``. Any answer that is not 2xx raises ``TaskerApiError``
naming the API's error code; no answer at all is status 0, ``NETWORK_ERROR``; a 2xx that is not JSON
(a proxy's page, say) is ``INVALID_RESPONSE``. A URL that is not http(s) is a ``ValueError`` at once.
"""

from __future__ import annotations

import json
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

DEFAULT_URL = "http://localhost:8787"

__all__ = ["DEFAULT_URL", "TaskerApiError", "HttpTransport"]


class TaskerApiError(Exception):
    """The server answered an error (or could not be reached: ``status`` 0, ``NETWORK_ERROR``)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        request_id: str | None = None,
        location: str | None = None,
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.location = location


class HttpTransport:
    def __init__(
        self,
        base_url: str | None = None,
        *,
        api_key: str | None = None,
        token: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.base_url = _checked_url(base_url or os.environ.get("TASKER_URL") or DEFAULT_URL)
        self.api_key = api_key if api_key is not None else (os.environ.get("TASKER_API_KEY") or None)
        self.token = token if token is not None else (os.environ.get("TASKER_TOKEN") or None)
        self.timeout = timeout

    def headers(self) -> dict[str, str]:
        headers = {"accept": "application/json", "user-agent": "tasker-core-python"}
        if self.api_key:
            headers["x-api-key"] = self.api_key
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"
        return headers

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        query: dict[str, Any] | None = None,
        timeout: float | None = None,
    ) -> Any:
        url = self.base_url + path
        if query:
            pairs = {k: v for k, v in query.items() if v is not None}
            if pairs:
                url += "?" + urllib.parse.urlencode(pairs)
        data = None
        headers = self.headers()
        if body is not None:
            data = json.dumps(body, allow_nan=False).encode("utf-8")
            headers["content-type"] = "application/json"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout) as response:
                status = response.status
                text = response.read().decode("utf-8", errors="replace")
        except urllib.error.HTTPError as error:
            raise _api_error(error) from None
        except (urllib.error.URLError, socket.timeout, ConnectionError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise TaskerApiError(0, "NETWORK_ERROR", f"{method} {url}: {reason}") from None
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError:
            shown = text[:80] + ("…" if len(text) > 80 else "")
            raise TaskerApiError(
                status, "INVALID_RESPONSE", f"{method} {url}: answered {status} with a body that is not JSON: {shown!r}"
            ) from None


def _checked_url(url: str) -> str:
    """The server's base URL, or a ValueError naming it: a URL without http(s):// is a mistake, not an outage."""
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError(f"the server URL must start with http:// or https://, got {url!r}")
    return url.rstrip("/")


def _api_error(error: urllib.error.HTTPError) -> TaskerApiError:
    request_id = error.headers.get("x-request-id") if error.headers else None
    location = error.headers.get("location") if error.headers else None
    try:
        text = error.read().decode("utf-8")
    except OSError:
        text = ""
    try:
        envelope = json.loads(text)["error"]
        code, message = str(envelope["code"]), str(envelope["message"])
    except (ValueError, KeyError, TypeError):
        code, message = f"HTTP_{error.code}", text[:200] or str(error.reason)
    return TaskerApiError(error.code, code, message, request_id=request_id, location=location)
