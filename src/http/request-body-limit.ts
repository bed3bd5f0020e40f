// The request-body cap as middleware: a body over MAX_REQUEST_BODY_BYTES is a 413 in the API's envelope,
// however it is sent (with or without content-length), before a route reads a byte of it.
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { MAX_REQUEST_BODY_BYTES } from "../limits";
import { payloadTooLarge } from "./api-error";
import type { AppEnv } from "./openapi-router";

export const requestBodyLimit = (): MiddlewareHandler<AppEnv> =>
	bodyLimit({
		maxSize: MAX_REQUEST_BODY_BYTES,
		onError: () => {
			throw payloadTooLarge(`the request body is larger than ${MAX_REQUEST_BODY_BYTES} bytes`);
		},
	});
