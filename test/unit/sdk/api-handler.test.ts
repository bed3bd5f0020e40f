// ApiHandler, applyAPI and defineApiHandler against a stubbed fetch: requests as built, the status table of the
// reference (408/429/500/502/503/504 retryable, the rest permanent), and Retry-After in seconds or as a date.
import {
	ApiHandler,
	type ApiResponse,
	applyAPI,
	defineApiHandler,
	parseRetryAfter,
	type StepContext,
	StepHandler,
	type StepHandlerResult,
} from "tasker-edge";
import { afterEach, describe, expect, it, vi } from "vitest";
import { outcomeOf } from "./sdk-helpers";

interface Seen {
	url: string;
	method: string;
	headers: Record<string, string>;
	body: string | undefined;
}

function stubFetch(response: () => Response): Seen[] {
	const seen: Seen[] = [];
	vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
		seen.push({
			url,
			method: String(init.method),
			headers: { ...(init.headers as Record<string, string>) },
			body: typeof init.body === "string" ? init.body : undefined,
		});
		return response();
	});
	return seen;
}

afterEach(() => {
	vi.unstubAllGlobals();
});

class UserApiHandler extends ApiHandler {
	static handlerName = "fetch_user";
	static baseUrl = "https://api.example.test/v1";
	static defaultHeaders = { "X-API-Key": "k" };

	async call(context: StepContext): Promise<StepHandlerResult> {
		const response = await this.get(`/users/${context.getInput<string>("user_id")}`, {
			expand: "plan",
			skip: null,
		});
		return response.ok ? this.apiSuccess(response) : this.apiFailure(response);
	}
}

const jsonResponse =
	(status: number, body: unknown, headers: Record<string, string> = {}) =>
	() =>
		new Response(JSON.stringify(body), {
			status,
			headers: { "content-type": "application/json", ...headers },
		});

describe("ApiHandler", () => {
	it("GETs with the base URL, query params and default headers; a 2xx body becomes the result", async () => {
		const seen = stubFetch(jsonResponse(200, { id: "u-1", plan: "pro" }));
		const outcome = await outcomeOf(UserApiHandler, { context: { user_id: "u-1" } });
		expect(seen).toEqual([
			{
				url: "https://api.example.test/v1/users/u-1?expand=plan",
				method: "GET",
				headers: { "X-API-Key": "k" },
				body: undefined,
			},
		]);
		expect(outcome).toMatchObject({
			success: true,
			result: { id: "u-1", plan: "pro" },
			metadata: { status_code: 200, headers: { "content-type": "application/json" } },
		});
		expect(new UserApiHandler().capabilities).toEqual(["process", "http", "api"]);
	});

	const statuses: Array<[number, string, boolean]> = [
		[400, "bad_request", false],
		[401, "unauthorized", false],
		[403, "forbidden", false],
		[404, "not_found", false],
		[409, "conflict", false],
		[422, "unprocessable_entity", false],
		[418, "client_error", false],
		[408, "request_timeout", true],
		[429, "rate_limited", true],
		[500, "internal_server_error", true],
		[502, "bad_gateway", true],
		[503, "service_unavailable", true],
		[504, "gateway_timeout", true],
		[501, "server_error", false],
	];
	for (const [status, errorType, retryable] of statuses) {
		it(`${status} is ${errorType}, ${retryable ? "retryable" : "permanent"}`, async () => {
			stubFetch(jsonResponse(status, { error: "went wrong" }));
			expect(await outcomeOf(UserApiHandler, { context: { user_id: "u" } })).toMatchObject({
				success: false,
				error: {
					error_type: errorType,
					retryable,
					message: `HTTP ${status}: went wrong`,
					metadata: { status_code: status, response_body: { error: "went wrong" } },
				},
			});
		});
	}

	it("names the status when the body has no message", async () => {
		stubFetch(() => new Response("", { status: 503 }));
		expect(await outcomeOf(UserApiHandler, { context: { user_id: "u" } })).toMatchObject({
			error: { message: "HTTP 503: Service Unavailable" },
		});
	});

	it("retries after Retry-After seconds", async () => {
		stubFetch(jsonResponse(429, {}, { "retry-after": "120" }));
		expect(await outcomeOf(UserApiHandler, { context: { user_id: "u" } })).toMatchObject({
			error: { error_type: "rate_limited", retry_after_seconds: 120, metadata: { retry_after_seconds: 120 } },
		});
	});

	it("retries after a Retry-After HTTP date", async () => {
		const at = new Date(Date.now() + 90_000).toUTCString();
		stubFetch(jsonResponse(503, {}, { "retry-after": at }));
		const outcome = await outcomeOf(UserApiHandler, { context: { user_id: "u" } });
		const delay = !outcome.success ? outcome.error.retry_after_seconds : null;
		// An HTTP date has whole seconds: 89 or 90 seconds from now.
		expect(delay).toBeGreaterThanOrEqual(88);
		expect(delay).toBeLessThanOrEqual(90);
	});

	it("keeps Retry-After as information only on a permanent failure", async () => {
		stubFetch(jsonResponse(403, {}, { "retry-after": "30" }));
		expect(await outcomeOf(UserApiHandler, { context: { user_id: "u" } })).toMatchObject({
			error: { retryable: false, retry_after_seconds: null, metadata: { retry_after_seconds: 30 } },
		});
	});
});

describe("parseRetryAfter", () => {
	const now = Date.parse("2026-01-01T00:00:00Z");
	it("reads delay-seconds, HTTP dates (past ones as 0) and falls back to 60 like the reference", () => {
		expect(parseRetryAfter("0", now)).toBe(0);
		expect(parseRetryAfter(" 45 ", now)).toBe(45);
		expect(parseRetryAfter("Thu, 01 Jan 2026 00:02:00 GMT", now)).toBe(120);
		expect(parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now)).toBe(0);
		expect(parseRetryAfter("soon", now)).toBe(60);
		expect(parseRetryAfter(undefined, now)).toBeNull();
		expect(parseRetryAfter("", now)).toBeNull();
	});
});

describe("applyAPI and defineApiHandler", () => {
	it("applyAPI gives a handler the verbs, configured by its statics; POST sends JSON", async () => {
		class CreateOrder extends StepHandler {
			static handlerName = "create_order";
			static baseUrl = "https://orders.test";
			constructor() {
				super();
				applyAPI(this);
			}
			async call(): Promise<StepHandlerResult> {
				const api = this as unknown as ReturnType<typeof applyAPI<CreateOrder>>;
				const response = await api.post("/orders", { body: { sku: "A" } });
				return api.apiSuccess(response, { created: true }, false);
			}
		}
		const seen = stubFetch(jsonResponse(201, { id: 1 }));
		expect(await outcomeOf(CreateOrder)).toEqual({ success: true, result: { created: true }, metadata: {} });
		expect(seen[0]).toEqual({
			url: "https://orders.test/orders",
			method: "POST",
			headers: { "Content-Type": "application/json" },
			body: '{"sku":"A"}',
		});
	});

	it("defineApiHandler injects `api` with the options' base URL and headers", async () => {
		const FetchUser = defineApiHandler(
			"fetch_user_fn",
			{
				baseUrl: "https://users.test",
				defaultHeaders: { Authorization: "Bearer t" },
				inputs: { id: "user_id" },
			},
			async ({ id, api }) => {
				const response: ApiResponse = await api.get(`/users/${id}`);
				return response.ok ? api.apiSuccess(response) : api.apiFailure(response);
			},
		);
		const seen = stubFetch(jsonResponse(404, { message: "no such user" }));
		expect(await outcomeOf(FetchUser, { context: { user_id: "u-9" } })).toMatchObject({
			success: false,
			error: { error_type: "not_found", retryable: false, message: "HTTP 404: no such user" },
		});
		expect(seen[0]).toMatchObject({
			url: "https://users.test/users/u-9",
			headers: { Authorization: "Bearer t" },
		});
	});

	it("connectionError and timeoutError are retryable failures naming the exception", () => {
		class Probe extends ApiHandler {
			static handlerName = "probe";
			async call(): Promise<StepHandlerResult> {
				return this.connectionError(new TypeError("fetch failed"), "fetching users");
			}
			timeout_(error: Error) {
				return this.timeoutError(error);
			}
		}
		const probe = new Probe();
		return probe.call().then((result) => {
			expect(result.toJSON()).toMatchObject({
				error_type: "connection_error",
				retryable: true,
				error_message: "Connection error while fetching users: fetch failed",
				metadata: { exception_type: "TypeError" },
			});
			expect(probe.timeout_(new Error("aborted")).toJSON()).toMatchObject({
				error_type: "timeout",
				retryable: true,
				error_message: "Request timeout: aborted",
			});
		});
	});
});
