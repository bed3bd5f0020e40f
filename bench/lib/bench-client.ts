// The runner's HTTP client of the bench worker: runs one task, Workflow instance or floor run end to end and
// times it the same way for all three (see `Timed`), and reads the engine's counters.

import type { TaskRequestBody } from "../../scripts/lib/seed-order";
import { getJson, postJson } from "../../scripts/lib/tasker-http";
import type { TaskStats } from "../../src/core/task-records";
import type { StepView, TaskView } from "../../src/core/task-views";
import type { ConsumerCounts } from "../worker/consumer-counter";
import type { FloorMode, FloorRun } from "../worker/floor-object";

/** One run, timed on this client's clock (performance.now, fractional ms). */
export interface Timed {
	id: string;
	/** The create POST alone. */
	postMs: number;
	/** From the create POST's answer to the wait GET answering "finished": the reference benchmark's method. */
	afterPostMs: number;
	/** From just before the create POST to the wait GET answering "finished": everything the client waited for. */
	e2eMs: number;
}

export interface TaskRun extends Timed {
	/** The task's completed_at - created_at, on the server's clock (whole ms). */
	serverMs: number;
	steps: number;
}

export interface FloorTimed extends Timed {
	hops: number;
	mode: FloorMode;
	/** First hop sent until the last hop's RPC came back, on the object's clock (whole ms). */
	inObjectMs: number;
}

const TERMINAL_TASK = new Set(["complete", "error", "cancelled"]);
/** The longest wait one GET asks for (the API's maximum is 60 s); longer runs wait again. */
const WAIT_SECONDS = 60;

export class BenchClient {
	readonly baseUrl: string;

	constructor(baseUrl: string) {
		this.baseUrl = baseUrl;
	}

	/** Submits a task and waits for it; throws unless it completes within `timeoutMs`. */
	async runTask(request: TaskRequestBody, timeoutMs: number): Promise<TaskRun> {
		const start = performance.now();
		const created = await postJson<TaskView>(`${this.baseUrl}/v1/tasks`, request);
		const posted = performance.now();
		let task = created;
		while (!TERMINAL_TASK.has(task.status)) {
			if (performance.now() - start > timeoutMs) {
				throw new Error(
					`task ${created.task_uuid} (${request.name}) still ${task.status} after ${timeoutMs} ms`,
				);
			}
			task = await getJson<TaskView>(
				`${this.baseUrl}/v1/tasks/${created.task_uuid}?wait_seconds=${WAIT_SECONDS}`,
			);
		}
		const done = performance.now();
		if (task.status !== "complete") {
			throw new Error(
				`task ${created.task_uuid} (${request.name}) ended ${task.status}: ${await this.failures(task)}`,
			);
		}
		return {
			id: task.task_uuid,
			postMs: posted - start,
			afterPostMs: done - posted,
			e2eMs: done - start,
			serverMs: Date.parse(task.completed_at ?? "") - Date.parse(task.created_at ?? ""),
			steps: task.completed_steps,
		};
	}

	/** Creates a BenchWorkflow instance running `template`'s DAG and waits for it, timed as `runTask`. */
	async runWorkflow(template: string, timeoutMs: number): Promise<Timed> {
		const start = performance.now();
		const { id } = await postJson<{ id: string }>(`${this.baseUrl}/bench/workflows`, { template });
		const posted = performance.now();
		for (;;) {
			const wait = Math.min(WAIT_SECONDS, Math.max(1, Math.ceil(timeoutMs / 1000)));
			const instance = await getJson<{ status: string; error: unknown }>(
				`${this.baseUrl}/bench/workflows/${id}?wait_seconds=${wait}`,
			);
			const done = performance.now();
			if (instance.status === "complete") {
				return { id, postMs: posted - start, afterPostMs: done - posted, e2eMs: done - start };
			}
			if (instance.status === "errored" || instance.status === "terminated") {
				throw new Error(
					`workflow ${id} (${template}) ended ${instance.status}: ${JSON.stringify(instance.error)}`,
				);
			}
			if (done - start > timeoutMs) throw new Error(`workflow ${id} (${template}) still ${instance.status}`);
		}
	}

	/** One floor run of `hops` bare hops, timed as `runTask`, plus the object's own time. */
	async runFloor(hops: number, mode: FloorMode, timeoutMs: number): Promise<FloorTimed> {
		const start = performance.now();
		const { run } = await postJson<{ run: string }>(`${this.baseUrl}/bench/floor`, { hops, mode });
		const posted = performance.now();
		for (;;) {
			const result = await getJson<FloorRun>(
				`${this.baseUrl}/bench/floor/${run}?wait_seconds=${WAIT_SECONDS}`,
			);
			const done = performance.now();
			if (result.finishedAt !== null) {
				return {
					id: run,
					hops,
					mode,
					postMs: posted - start,
					afterPostMs: done - posted,
					e2eMs: done - start,
					inObjectMs: result.finishedAt - result.startedAt,
				};
			}
			if (done - start > timeoutMs) throw new Error(`floor run ${run} did ${result.done} of ${hops} hops`);
		}
	}

	async taskStats(taskUuid: string): Promise<TaskStats> {
		return getJson<TaskStats>(`${this.baseUrl}/bench/tasks/${taskUuid}/stats`);
	}

	async listSteps(taskUuid: string): Promise<StepView[]> {
		return getJson<StepView[]>(`${this.baseUrl}/v1/tasks/${taskUuid}/workflow_steps`);
	}

	async consumerCounts(): Promise<ConsumerCounts> {
		return getJson<ConsumerCounts>(`${this.baseUrl}/bench/consumer`);
	}

	private async failures(task: TaskView): Promise<string> {
		const steps = await this.listSteps(task.task_uuid).catch(() => []);
		const failed = steps
			.filter((step) => step.last_error !== null)
			.map((step) => `${step.name} (${step.current_state}): ${JSON.stringify(step.last_error)}`);
		return failed.join("; ") || "no step error";
	}
}

/** The body that submits a bench template (namespace `bench`); `run` keeps every context distinct. */
export function benchTaskRequest(template: string, run: number): TaskRequestBody {
	return {
		name: template,
		namespace: "bench",
		context: { run },
		initiator: "bench",
		source_system: "tasker-edge-bench",
		reason: "benchmark",
	};
}
