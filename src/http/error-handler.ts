// Maps every error to the reference's envelope {"error": {"code", "message"}}. A client's mistake
// gets its 4xx; anything else is a 500 that names the request id and is logged, never a stack trace.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { logEvent } from "../observability/log-event";
import { ApiError } from "./api-error";

export function errorBody<Code extends string>(code: Code, message: string) {
	return { error: { code, message } };
}

export function handleError(error: Error, c: Context): Response {
	if (error instanceof ApiError) return c.json(errorBody(error.code, error.message), error.status);
	if (error instanceof HTTPException && error.status < 500) {
		return c.json(errorBody(codeForStatus(error.status), error.message || "bad request"), error.status);
	}
	const requestId = c.get("requestId") as string | undefined;
	logEvent("http.internal_error", {
		request_id: requestId,
		method: c.req.method,
		path: c.req.path,
		error: error.stack ?? String(error),
	});
	return c.json(errorBody("INTERNAL_ERROR", `internal error (request id ${requestId ?? "unknown"})`), 500);
}

export function handleNotFound(c: Context): Response {
	return c.json(errorBody("NOT_FOUND", `no route ${c.req.method} ${c.req.path}`), 404);
}

function codeForStatus(status: number): string {
	if (status === 401) return "UNAUTHORIZED";
	if (status === 403) return "FORBIDDEN";
	if (status === 404) return "NOT_FOUND";
	if (status === 409) return "CONFLICT";
	if (status === 413) return "PAYLOAD_TOO_LARGE";
	return "BAD_REQUEST";
}
