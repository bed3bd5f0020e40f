// The one error type the HTTP layer throws for a client's mistake: a status, a stable code and a
// message that names the field, the value and what was expected. Mapped to JSON in one place.
import type { ContentfulStatusCode } from "hono/utils/http-status";

export class ApiError extends Error {
	readonly status: ContentfulStatusCode;
	readonly code: string;

	constructor(status: ContentfulStatusCode, code: string, message: string) {
		super(message);
		this.name = "ApiError";
		this.status = status;
		this.code = code;
	}
}

export const badRequest = (message: string) => new ApiError(400, "BAD_REQUEST", message);
export const notFound = (message: string) => new ApiError(404, "NOT_FOUND", message);
export const payloadTooLarge = (message: string) => new ApiError(413, "PAYLOAD_TOO_LARGE", message);
export const conflict = (message: string) => new ApiError(409, "CONFLICT", message);
