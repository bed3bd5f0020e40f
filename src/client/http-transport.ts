// Sends one request to the Tasker API with `fetch` and turns every failure into a TaskerApiError whose
// message never carries the credentials (they travel in headers only, and the URL is stripped of any).
import { TaskerApiError } from "./tasker-api-error";

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface TransportOptions {
	baseUrl: string;
	fetch: FetchLike;
	headers: Record<string, string>;
	/** How long a request may go unanswered (beyond the time it asks the server to hold it). */
	requestTimeoutMs: number;
}

export interface ApiRequest {
	method: "GET" | "POST" | "PATCH" | "DELETE";
	path: string;
	query?: Record<string, string | number | undefined>;
	/** A JSON body (serialised here), or raw text with its content type. */
	json?: unknown;
	text?: { body: string; contentType: string };
	/** Statuses besides 2xx whose body is the answer (a readiness probe's 503). */
	acceptStatuses?: readonly number[];
	/** How long the server is asked to hold the answer (`wait_seconds`): added to the request timeout. */
	holdMs?: number;
}

const MAX_ERROR_TEXT = 200;

export class HttpTransport {
	readonly #options: TransportOptions;

	constructor(options: TransportOptions) {
		this.#options = options;
	}

	async request<T>(request: ApiRequest): Promise<T> {
		const url = this.#url(request);
		const headers: Record<string, string> = { accept: "application/json", ...this.#options.headers };
		let body: string | undefined;
		if (request.json !== undefined) {
			headers["content-type"] = "application/json";
			body = JSON.stringify(request.json);
		} else if (request.text) {
			headers["content-type"] = request.text.contentType;
			body = request.text.body;
		}
		const where = `${request.method} ${safeUrl(url)}`;
		// A server that accepts the connection but never answers would otherwise hold the caller forever.
		const timeoutMs = this.#options.requestTimeoutMs + (request.holdMs ?? 0);
		const signal = AbortSignal.timeout(timeoutMs);
		let response: Response;
		let text: string;
		try {
			response = await this.#options.fetch(url, { method: request.method, headers, body, signal });
			text = await response.text();
		} catch (error) {
			const reason = signal.aborted
				? `none within ${timeoutMs / 1000} s`
				: error instanceof Error
					? error.message
					: String(error);
			throw new TaskerApiError(0, "NETWORK_ERROR", `${where}: no answer (${reason})`);
		}
		const details = {
			requestId: response.headers.get("x-request-id") ?? undefined,
			location: response.headers.get("location") ?? undefined,
		};
		const ok = response.ok || (request.acceptStatuses ?? []).includes(response.status);
		const parsed = parseJson(text);
		if (ok) {
			if (parsed.ok) return parsed.value as T;
			throw new TaskerApiError(
				response.status,
				"INVALID_RESPONSE",
				`${where}: answered ${response.status} with a body that is not JSON: ${excerpt(text)}`,
				details,
			);
		}
		const envelope = parsed.ok ? errorEnvelope(parsed.value) : undefined;
		if (envelope) throw new TaskerApiError(response.status, envelope.code, envelope.message, details);
		const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
		throw new TaskerApiError(
			response.status,
			`HTTP_${response.status}`,
			`${where}: answered ${status}${text ? `: ${excerpt(text)}` : ""}`,
			details,
		);
	}

	#url(request: ApiRequest): string {
		const params = new URLSearchParams();
		for (const [key, value] of Object.entries(request.query ?? {})) {
			if (value !== undefined) params.set(key, String(value));
		}
		const query = params.toString() ? `?${params}` : "";
		return `${this.#options.baseUrl}${request.path}${query}`;
	}
}

/** The URL without any user:password, so that an error message can name it. */
function safeUrl(url: string): string {
	try {
		const parsed = new URL(url);
		parsed.username = "";
		parsed.password = "";
		return parsed.toString();
	} catch {
		return "(invalid URL)";
	}
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch {
		return { ok: false };
	}
}

function errorEnvelope(value: unknown): { code: string; message: string } | undefined {
	if (typeof value !== "object" || value === null) return undefined;
	const error = (value as { error?: unknown }).error;
	if (typeof error !== "object" || error === null) return undefined;
	const { code, message } = error as { code?: unknown; message?: unknown };
	if (typeof code !== "string") return undefined;
	return { code, message: typeof message === "string" ? message : code };
}

function excerpt(text: string): string {
	const flat = text.replace(/\s+/g, " ").trim();
	return flat.length > MAX_ERROR_TEXT ? `${flat.slice(0, MAX_ERROR_TEXT)}…` : flat;
}
