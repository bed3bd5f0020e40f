// HTTP helpers for handlers that call APIs (the reference's ApiResponse, APIMixin, applyAPI and ApiHandler),
// over the platform's `fetch` (Workers, Node, browsers). A failed response becomes a failure classified as the
// reference does: 408, 429, 500, 502, 503 and 504 are retryable, every other status (400, 401, 403, 404, 422, ...)
// is permanent; a `Retry-After` header, in seconds or as an HTTP date, becomes the delay before the next attempt.
import { ErrorType } from "./error-type";
import { StepHandler } from "./step-handler";
import { StepHandlerResult } from "./step-handler-result";

const RETRYABLE_STATUS_CODES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

const STATUS_MESSAGES: Readonly<Record<number, string>> = {
	400: "Bad Request",
	401: "Unauthorized",
	403: "Forbidden",
	404: "Not Found",
	405: "Method Not Allowed",
	408: "Request Timeout",
	409: "Conflict",
	410: "Gone",
	422: "Unprocessable Entity",
	429: "Too Many Requests",
	500: "Internal Server Error",
	502: "Bad Gateway",
	503: "Service Unavailable",
	504: "Gateway Timeout",
};

/** The reference's error types per status. */
const ERROR_TYPES: Readonly<Record<number, string>> = {
	400: "bad_request",
	401: "unauthorized",
	403: "forbidden",
	404: "not_found",
	405: "method_not_allowed",
	408: "request_timeout",
	409: "conflict",
	410: "gone",
	422: "unprocessable_entity",
	429: "rate_limited",
	500: "internal_server_error",
	502: "bad_gateway",
	503: "service_unavailable",
	504: "gateway_timeout",
};

/** The delay a server asked for when a `Retry-After` header is unreadable (the reference's fallback). */
const UNREADABLE_RETRY_AFTER_SECONDS = 60;

/**
 * A `Retry-After` value in seconds: delay-seconds as given, an HTTP date as the whole seconds from `nowMs` until
 * then (0 when it is past), 60 when it is neither; null when there is no header.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | null {
	if (value === null || value === undefined) return null;
	const text = value.trim();
	if (text === "") return null;
	if (/^\d+$/.test(text)) return Number.parseInt(text, 10);
	const at = Date.parse(text);
	if (Number.isNaN(at)) return UNREADABLE_RETRY_AFTER_SECONDS;
	return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** A response and its parsed body (JSON when the content type says so, else text). */
export class ApiResponse {
	readonly statusCode: number;
	/** Lower-case names. */
	readonly headers: Record<string, string>;
	readonly body: unknown;
	readonly rawResponse: Response;

	constructor(response: Response, body?: unknown) {
		this.statusCode = response.status;
		this.headers = Object.fromEntries(response.headers.entries());
		this.rawResponse = response;
		this.body = body;
	}

	get ok(): boolean {
		return this.statusCode >= 200 && this.statusCode < 300;
	}

	get isClientError(): boolean {
		return this.statusCode >= 400 && this.statusCode <= 499;
	}

	get isServerError(): boolean {
		return this.statusCode >= 500 && this.statusCode <= 599;
	}

	/** 408, 429, 500, 502, 503, 504. */
	get isRetryable(): boolean {
		return RETRYABLE_STATUS_CODES.has(this.statusCode);
	}

	/** The `Retry-After` header in seconds (from delay-seconds or an HTTP date), or null. */
	get retryAfter(): number | null {
		return parseRetryAfter(this.headers["retry-after"]);
	}

	toDict(): Record<string, unknown> {
		return { status_code: this.statusCode, headers: this.headers, body: this.body };
	}
}

export interface BodyOptions {
	body?: unknown;
	/** Default true: the body is sent as JSON. */
	json?: boolean;
	headers?: Record<string, string>;
}

export interface APICapable {
	baseUrl: string;
	/** Milliseconds. */
	timeout: number;
	defaultHeaders: Record<string, string>;
	get(path: string, params?: Record<string, unknown>, headers?: Record<string, string>): Promise<ApiResponse>;
	post(path: string, options?: BodyOptions): Promise<ApiResponse>;
	put(path: string, options?: BodyOptions): Promise<ApiResponse>;
	patch(path: string, options?: BodyOptions): Promise<ApiResponse>;
	delete(path: string, headers?: Record<string, string>): Promise<ApiResponse>;
	request(method: string, path: string, options?: RequestInit): Promise<ApiResponse>;
	apiSuccess(
		response: ApiResponse,
		result?: Record<string, unknown>,
		includeResponse?: boolean,
	): StepHandlerResult;
	apiFailure(response: ApiResponse, message?: string): StepHandlerResult;
	connectionError(error: Error, context?: string): StepHandlerResult;
	timeoutError(error: Error, context?: string): StepHandlerResult;
}

interface ApiConfig {
	readonly baseUrl: string;
	readonly timeout: number;
	readonly defaultHeaders: Record<string, string>;
}

/** The HTTP verbs and result helpers, configured by `config` (read on every call, so statics may change). */
class ApiClient {
	readonly #config: () => ApiConfig;

	constructor(config: () => ApiConfig) {
		this.#config = config;
	}

	get(
		path: string,
		params?: Record<string, unknown>,
		headers?: Record<string, string>,
	): Promise<ApiResponse> {
		return this.#send(this.#url(path, params), { method: "GET", headers: this.#headers(headers) });
	}

	post(path: string, options?: BodyOptions): Promise<ApiResponse> {
		return this.#withBody("POST", path, options);
	}

	put(path: string, options?: BodyOptions): Promise<ApiResponse> {
		return this.#withBody("PUT", path, options);
	}

	patch(path: string, options?: BodyOptions): Promise<ApiResponse> {
		return this.#withBody("PATCH", path, options);
	}

	delete(path: string, headers?: Record<string, string>): Promise<ApiResponse> {
		return this.#send(this.#url(path), { method: "DELETE", headers: this.#headers(headers) });
	}

	request(method: string, path: string, options?: RequestInit): Promise<ApiResponse> {
		return this.#send(this.#url(path), {
			...options,
			method,
			headers: this.#headers(options?.headers as Record<string, string> | undefined),
		});
	}

	/** The response body (or `{data: body}` for a non-object) as the result; status and headers in metadata. */
	apiSuccess(
		response: ApiResponse,
		result?: Record<string, unknown>,
		includeResponse = true,
	): StepHandlerResult {
		const data =
			result ||
			(typeof response.body === "object" && response.body !== null
				? (response.body as Record<string, unknown>)
				: { data: response.body });
		const metadata: Record<string, unknown> = {};
		if (includeResponse) {
			metadata.status_code = response.statusCode;
			metadata.headers = response.headers;
		}
		return StepHandlerResult.success(data, metadata);
	}

	/**
	 * The failure for a non-2xx response: typed by status (`not_found`, `rate_limited`, ...), retryable for
	 * 408/429/500/502/503/504 only, and, when retryable, retried after the server's `Retry-After`.
	 */
	apiFailure(response: ApiResponse, message?: string): StepHandlerResult {
		const retryable = response.isRetryable;
		const retryAfter = response.retryAfter;
		const metadata: Record<string, unknown> = { status_code: response.statusCode, headers: response.headers };
		if (retryAfter !== null) metadata.retry_after_seconds = retryAfter;
		if (response.body) metadata.response_body = response.body;
		return new StepHandlerResult({
			success: false,
			errorMessage: message || formatErrorMessage(response),
			errorType: classifyError(response),
			retryable,
			metadata,
			retryAfterSeconds: retryable ? retryAfter : null,
		});
	}

	connectionError(error: Error, context?: string): StepHandlerResult {
		const message = context
			? `Connection error while ${context}: ${error.message}`
			: `Connection error: ${error.message}`;
		return StepHandlerResult.failure(message, "connection_error", true, {
			exception_type: error.constructor.name,
		});
	}

	timeoutError(error: Error, context?: string): StepHandlerResult {
		const message = context
			? `Request timeout while ${context}: ${error.message}`
			: `Request timeout: ${error.message}`;
		return StepHandlerResult.failure(message, ErrorType.TIMEOUT, true, {
			exception_type: error.constructor.name,
		});
	}

	#withBody(method: string, path: string, options?: BodyOptions): Promise<ApiResponse> {
		const asJson = options?.json !== false;
		const body = options?.body ? (asJson ? JSON.stringify(options.body) : String(options.body)) : undefined;
		return this.#send(this.#url(path), { method, headers: this.#headers(options?.headers, asJson), body });
	}

	async #send(url: string, init: RequestInit): Promise<ApiResponse> {
		const controller = new AbortController();
		const timer = setTimeout(() => controller.abort(), this.#config().timeout);
		try {
			const response = await fetch(url, { ...init, signal: controller.signal });
			const contentType = response.headers.get("content-type") ?? "";
			let body: unknown;
			if (contentType.includes("application/json")) {
				const text = await response.text();
				try {
					body = JSON.parse(text);
				} catch {
					body = text;
				}
			} else {
				body = await response.text();
			}
			return new ApiResponse(response, body);
		} finally {
			clearTimeout(timer);
		}
	}

	#url(path: string, params?: Record<string, unknown>): string {
		let url = this.#config().baseUrl + path;
		if (params) {
			const search = new URLSearchParams();
			for (const [key, value] of Object.entries(params)) {
				if (value !== null && value !== undefined) search.append(key, String(value));
			}
			const query = search.toString();
			if (query) url += (url.includes("?") ? "&" : "?") + query;
		}
		return url;
	}

	#headers(additional?: Record<string, string>, isJson = false): Record<string, string> {
		const headers = { ...this.#config().defaultHeaders };
		if (isJson && !headers["Content-Type"]) headers["Content-Type"] = "application/json";
		return additional ? Object.assign(headers, additional) : headers;
	}
}

function classifyError(response: ApiResponse): string {
	const mapped = ERROR_TYPES[response.statusCode];
	if (mapped !== undefined) return mapped;
	if (response.isClientError) return "client_error";
	if (response.isServerError) return "server_error";
	return "http_error";
}

function formatErrorMessage(response: ApiResponse): string {
	const fromBody = bodyErrorMessage(response.body);
	if (fromBody) return `HTTP ${response.statusCode}: ${fromBody}`;
	return `HTTP ${response.statusCode}: ${STATUS_MESSAGES[response.statusCode] ?? "HTTP Error"}`;
}

function bodyErrorMessage(body: unknown): string | null {
	if (typeof body !== "object" || body === null) return null;
	const record = body as Record<string, unknown>;
	for (const key of ["error", "message", "detail", "error_message", "msg"]) {
		if (!(key in record)) continue;
		const detail = record[key];
		if (typeof detail === "string") return detail;
		if (typeof detail === "object" && detail !== null && "message" in detail) {
			return String((detail as Record<string, unknown>).message);
		}
	}
	return null;
}

interface ApiStatics {
	baseUrl?: string;
	defaultTimeout?: number;
	defaultHeaders?: Record<string, string>;
}

function staticConfig(ctor: ApiStatics): ApiConfig {
	return {
		baseUrl: ctor.baseUrl || "",
		timeout: ctor.defaultTimeout || 30_000,
		defaultHeaders: ctor.defaultHeaders || {},
	};
}

/** The reference's mixin class: configured by its (subclass's) statics `baseUrl`, `defaultTimeout`, `defaultHeaders`. */
export class APIMixin implements APICapable {
	static baseUrl = "";
	static defaultTimeout = 30_000;
	static defaultHeaders: Record<string, string> = {};
	readonly #client = new ApiClient(() => staticConfig(this.constructor as ApiStatics));

	get baseUrl(): string {
		return (this.constructor as typeof APIMixin).baseUrl;
	}

	get timeout(): number {
		return (this.constructor as typeof APIMixin).defaultTimeout;
	}

	get defaultHeaders(): Record<string, string> {
		return (this.constructor as typeof APIMixin).defaultHeaders;
	}

	get(
		path: string,
		params?: Record<string, unknown>,
		headers?: Record<string, string>,
	): Promise<ApiResponse> {
		return this.#client.get(path, params, headers);
	}

	post(path: string, options?: BodyOptions): Promise<ApiResponse> {
		return this.#client.post(path, options);
	}

	put(path: string, options?: BodyOptions): Promise<ApiResponse> {
		return this.#client.put(path, options);
	}

	patch(path: string, options?: BodyOptions): Promise<ApiResponse> {
		return this.#client.patch(path, options);
	}

	delete(path: string, headers?: Record<string, string>): Promise<ApiResponse> {
		return this.#client.delete(path, headers);
	}

	request(method: string, path: string, options?: RequestInit): Promise<ApiResponse> {
		return this.#client.request(method, path, options);
	}

	apiSuccess(
		response: ApiResponse,
		result?: Record<string, unknown>,
		includeResponse = true,
	): StepHandlerResult {
		return this.#client.apiSuccess(response, result, includeResponse);
	}

	apiFailure(response: ApiResponse, message?: string): StepHandlerResult {
		return this.#client.apiFailure(response, message);
	}

	connectionError(error: Error, context?: string): StepHandlerResult {
		return this.#client.connectionError(error, context);
	}

	timeoutError(error: Error, context?: string): StepHandlerResult {
		return this.#client.timeoutError(error, context);
	}
}

/** Gives `target` (a handler instance, in its constructor) the HTTP verbs and helpers, configured by its class statics. */
export function applyAPI<T extends object>(target: T): T & APICapable {
	const config = () => staticConfig(target.constructor as ApiStatics);
	const client = new ApiClient(config);
	const bag = target as Record<string, unknown>;
	for (const method of [
		"get",
		"post",
		"put",
		"patch",
		"delete",
		"request",
		"apiSuccess",
		"apiFailure",
		"connectionError",
		"timeoutError",
	] as const) {
		bag[method] = client[method].bind(client);
	}
	Object.defineProperty(target, "baseUrl", { get: () => config().baseUrl, configurable: true });
	Object.defineProperty(target, "timeout", { get: () => config().timeout, configurable: true });
	Object.defineProperty(target, "defaultHeaders", { get: () => config().defaultHeaders, configurable: true });
	return target as T & APICapable;
}

/** A handler that calls an HTTP API: set `static baseUrl` (and `defaultTimeout` ms, `defaultHeaders`). */
export abstract class ApiHandler extends StepHandler {
	static baseUrl = "";
	static defaultTimeout = 30_000;
	static defaultHeaders: Record<string, string> = {};
	readonly #client = new ApiClient(() => staticConfig(this.constructor as ApiStatics));

	override get capabilities(): string[] {
		return ["process", "http", "api"];
	}

	get baseUrl(): string {
		return (this.constructor as typeof ApiHandler).baseUrl;
	}

	get timeout(): number {
		return (this.constructor as typeof ApiHandler).defaultTimeout;
	}

	get defaultHeaders(): Record<string, string> {
		return (this.constructor as typeof ApiHandler).defaultHeaders;
	}

	protected get(
		path: string,
		params?: Record<string, unknown>,
		headers?: Record<string, string>,
	): Promise<ApiResponse> {
		return this.#client.get(path, params, headers);
	}

	protected post(path: string, options?: BodyOptions): Promise<ApiResponse> {
		return this.#client.post(path, options);
	}

	protected put(path: string, options?: BodyOptions): Promise<ApiResponse> {
		return this.#client.put(path, options);
	}

	protected patch(path: string, options?: BodyOptions): Promise<ApiResponse> {
		return this.#client.patch(path, options);
	}

	protected delete(path: string, headers?: Record<string, string>): Promise<ApiResponse> {
		return this.#client.delete(path, headers);
	}

	protected request(method: string, path: string, options?: RequestInit): Promise<ApiResponse> {
		return this.#client.request(method, path, options);
	}

	protected apiSuccess(
		response: ApiResponse,
		result?: Record<string, unknown>,
		includeResponse = true,
	): StepHandlerResult {
		return this.#client.apiSuccess(response, result, includeResponse);
	}

	protected apiFailure(response: ApiResponse, message?: string): StepHandlerResult {
		return this.#client.apiFailure(response, message);
	}

	protected connectionError(error: Error, context?: string): StepHandlerResult {
		return this.#client.connectionError(error, context);
	}

	protected timeoutError(error: Error, context?: string): StepHandlerResult {
		return this.#client.timeoutError(error, context);
	}
}
