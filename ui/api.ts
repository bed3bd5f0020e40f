// The dashboard's one way to the API: the caller's credentials (kept in this browser's storage) on
// every request, errors as the API words them, and which permissions the caller turned out to lack.

const KEY_STORE = "tasker.credential";

export interface Credential {
	kind: "api_key" | "token";
	value: string;
}

export function credential(): Credential | null {
	try {
		const raw = localStorage.getItem(KEY_STORE);
		return raw ? (JSON.parse(raw) as Credential) : null;
	} catch {
		return null;
	}
}

export function setCredential(value: Credential | null): void {
	if (value) localStorage.setItem(KEY_STORE, JSON.stringify(value));
	else localStorage.removeItem(KEY_STORE);
	lacking.clear();
}

export class ApiError extends Error {
	readonly status: number;
	readonly code: string;
	constructor(status: number, code: string, message: string) {
		super(message);
		this.status = status;
		this.code = code;
	}
}

/** Permissions a 403 has shown the caller lacks (this page's lifetime). */
export const lacking = new Set<string>();

function headers(extra?: HeadersInit): Headers {
	const h = new Headers(extra);
	const c = credential();
	if (c?.kind === "api_key") h.set("X-API-Key", c.value);
	if (c?.kind === "token") h.set("Authorization", `Bearer ${c.value}`);
	return h;
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
	const response = await fetch(path, { ...init, headers: headers(init.headers) });
	const text = await response.text();
	let body: unknown = null;
	try {
		body = text ? JSON.parse(text) : null;
	} catch {
		body = text;
	}
	if (!response.ok) {
		const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
		const message = error?.message ?? `${response.status} ${response.statusText}`;
		if (response.status === 403) {
			const match = /lacks the permission (\S+)/.exec(message);
			if (match?.[1]) lacking.add(match[1]);
		}
		throw new ApiError(response.status, error?.code ?? String(response.status), message);
	}
	return body as T;
}

/** The task's stream URL (ws: or wss:), credentials in the query (a browser sends no headers with it). */
export function streamUrl(taskUuid: string, view: "full" | "graph" | "task" = "full"): string {
	const url = new URL(`/v1/tasks/${taskUuid}/stream`, location.href);
	url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
	if (view !== "full") url.searchParams.set("view", view);
	const c = credential();
	if (c) url.searchParams.set(c.kind === "api_key" ? "api_key" : "access_token", c.value);
	return url.toString();
}

/**
 * Which actions the caller may take, found without side effects: each probe is a request the auth gate
 * judges first (403 when the permission is missing) and the route then refuses as malformed (400).
 */
export async function probePermissions(): Promise<void> {
	const probes: Array<[string, RequestInit, string]> = [
		["/v1/tasks/probe", { method: "DELETE" }, "tasks:cancel"],
		["/v1/tasks/probe/workflow_steps/probe", { method: "PATCH", body: "{}" }, "steps:resolve"],
		["/v1/tasks?per_page=0", {}, "tasks:list"],
		["/v1/dlq?limit=0", {}, "dlq:read"],
		["/v1/analytics/performance?hours=x", {}, "system:analytics_read"],
	];
	await Promise.all(
		probes.map(async ([path, init]) => {
			try {
				await api(path, init);
			} catch {
				// A 403 was recorded in `lacking`; a 400 means allowed.
			}
		}),
	);
}
