// A small client of the tasker-edge HTTP API for the scripts: typed JSON calls whose failures say what was
// asked and what came back, and the instance they talk to (a given URL, or a wrangler dev started and stopped here).
import type { StepView, TaskView } from "../../src/core/task-views";
import { type DevServer, startDevServer } from "./dev-server";
import type { TaskRequestBody } from "./seed-order";

/** A non-2xx answer, with the API's `{"error":{"code","message"}}` when it sent one. */
export class TaskerHttpError extends Error {
	readonly status: number;
	readonly code: string | null;

	constructor(method: string, url: string, status: number, code: string | null, detail: string) {
		super(`${method} ${url} -> ${status}${code ? ` ${code}` : ""}: ${detail}`);
		this.name = "TaskerHttpError";
		this.status = status;
		this.code = code;
	}
}

export async function getJson<T>(url: string): Promise<T> {
	return requestJson<T>("GET", url);
}

export async function postJson<T>(url: string, body: unknown): Promise<T> {
	return requestJson<T>("POST", url, body);
}

async function requestJson<T>(method: string, url: string, body?: unknown): Promise<T> {
	let response: Response;
	try {
		response = await fetch(url, {
			method,
			headers: body === undefined ? undefined : { "content-type": "application/json" },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
	} catch (error) {
		// undici reports only "fetch failed"; the reason (ECONNREFUSED, ...) is in its cause.
		const cause = (error as { cause?: { code?: string; message?: string } }).cause;
		throw new Error(`${method} ${url} failed: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
	}
	const text = await response.text();
	if (!response.ok) {
		let code: string | null = null;
		let detail = text.slice(0, 500) || response.statusText;
		try {
			const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
			if (typeof parsed.error?.message === "string") {
				code = typeof parsed.error.code === "string" ? parsed.error.code : null;
				detail = parsed.error.message;
			}
		} catch {
			// Not JSON (a proxy's or the runtime's error page): the text itself is the best detail.
		}
		throw new TaskerHttpError(method, url, response.status, code, detail);
	}
	try {
		return JSON.parse(text) as T;
	} catch {
		throw new Error(
			`${method} ${url} -> ${response.status}, but the body is not JSON: ${text.slice(0, 200)}`,
		);
	}
}

/** The task endpoints of one instance. */
export function taskerApi(baseUrl: string) {
	const tasks = `${baseUrl}/v1/tasks`;
	return {
		createTask: (request: TaskRequestBody) => postJson<TaskView>(tasks, request),
		getTask: (taskUuid: string) => getJson<TaskView>(`${tasks}/${taskUuid}`),
		listSteps: (taskUuid: string) => getJson<StepView[]>(`${tasks}/${taskUuid}/workflow_steps`),
	};
}

export interface TaskerInstance {
	url: string;
	/** The wrangler dev started for this run; null when talking to a given URL. */
	server: DevServer | null;
	/** For the first line of output: what is being talked to. */
	description: string;
}

/**
 * Runs `body` against `givenUrl`, or else against a fresh `wrangler dev` that is stopped afterwards, also
 * when the run throws or the process gets SIGINT/SIGTERM (then it exits 130/143 once wrangler is gone).
 */
export async function withInstance<T>(
	givenUrl: string | undefined,
	body: (instance: TaskerInstance) => Promise<T>,
): Promise<T> {
	if (givenUrl) {
		const url = givenUrl.replace(/\/+$/, "");
		await getJson(`${url}/health`);
		return body({ url, server: null, description: `instance at ${url}` });
	}
	let server: DevServer | null = null;
	let exitCode: number | null = null;
	const stopAndExit = () => {
		if (server === null || exitCode === null) return;
		void server.stop().finally(() => process.exit(exitCode ?? 1));
	};
	const onSignal = (signal: NodeJS.Signals) => {
		if (exitCode !== null) return;
		exitCode = signal === "SIGINT" ? 130 : 143;
		console.error(
			`\n${signal}: stopping wrangler dev${server ? ` (pid ${server.pid})` : " as soon as it has started"}`,
		);
		// While wrangler is still starting there is nothing to stop yet: that happens once it is up.
		stopAndExit();
	};
	process.on("SIGINT", onSignal);
	process.on("SIGTERM", onSignal);
	try {
		try {
			server = await startDevServer();
		} catch (error) {
			// A Ctrl-C at a terminal reaches wrangler too: it is gone already, so there is nothing left to stop.
			if (exitCode !== null) process.exit(exitCode);
			throw error;
		}
		if (exitCode !== null) {
			stopAndExit();
			// Never settles: the process exits from stopAndExit.
			return await new Promise<T>(() => {});
		}
		return await body({
			url: server.url,
			server,
			description: `local instance at ${server.url} (wrangler dev, pid ${server.pid})`,
		});
	} catch (error) {
		// After a signal the run fails only because its server is going away: not worth reporting.
		if (exitCode !== null) return await new Promise<T>(() => {});
		throw error;
	} finally {
		if (exitCode === null) {
			process.off("SIGINT", onSignal);
			process.off("SIGTERM", onSignal);
			await server?.stop();
		}
	}
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
