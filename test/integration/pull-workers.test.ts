// Pull workers against the real task objects and work-queue object: the test plays a remote worker over
// HTTP (/v1/workers/...) for the `pulled` namespace (PULL_NAMESPACES in vitest.workers.config.ts). Lease
// expiry is simulated by moving the lease's end into the past in the object's own storage, and deadlines
// by firing the task's alarm: never a sleep.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { WorkQueueObject } from "../../durable-objects/work-queue-object";
import type { PulledStep, ReportResponse } from "../../src/http/worker-schemas";
import { fireAlarmsUntil, postJson, stepsByName, submitTask, taskStub, waitForTask } from "./helpers";
import { deliveries } from "./test-worker";

const NAMESPACE = "pulled";
const HANDLERS = ["EchoHandler"];

function workQueueStub() {
	return env.WORK_QUEUES.get(env.WORK_QUEUES.idFromName(NAMESPACE));
}

/** Leases whatever waits for this task (others' leftovers are given back), without holding the poll. */
async function poll(taskUuid: string, body: Record<string, unknown> = {}): Promise<PulledStep[]> {
	const response = await postJson("/v1/workers/poll", {
		namespace: NAMESPACE,
		handlers: HANDLERS,
		max_steps: 20,
		wait_seconds: 0,
		...body,
	});
	expect(response.status).toBe(200);
	const { steps } = (await response.json()) as { steps: PulledStep[] };
	const others = steps.filter((s) => s.task_uuid !== taskUuid && s.lease_id !== null);
	if (others.length > 0) {
		await postJson("/v1/workers/release", { namespace: NAMESPACE, lease_ids: others.map((s) => s.lease_id) });
	}
	return steps.filter((s) => s.task_uuid === taskUuid);
}

function success(step: PulledStep, result: unknown) {
	return {
		task_uuid: step.task_uuid,
		step_uuid: step.step_uuid,
		attempt: step.attempt,
		lease_id: step.lease_id,
		outcome: { success: true, result, execution_time_ms: 3 },
	};
}

async function report(results: unknown[], takeNext = false): Promise<ReportResponse> {
	const response = await postJson("/v1/workers/results", {
		namespace: NAMESPACE,
		handlers: HANDLERS,
		worker_id: "test-worker",
		take_next: takeNext,
		results,
	});
	expect(response.status).toBe(200);
	return (await response.json()) as ReportResponse;
}

async function submitDiamond() {
	const task = await submitTask("pulled_diamond", { n: 1 }, NAMESPACE);
	return task.task_uuid;
}

/** Every lease of this work queue runs out now (as if its time had come), and held polls are woken. */
async function expireLeases(): Promise<void> {
	await runInDurableObject(workQueueStub(), async (_instance: WorkQueueObject, state) => {
		state.storage.sql.exec("UPDATE message SET visible_at = 0 WHERE lease_id IS NOT NULL");
	});
	await runDurableObjectAlarm(workQueueStub());
}

describe("a namespace served by pull workers", () => {
	// Each test starts with an empty work queue: steps an earlier test left waiting are not its own.
	beforeEach(async () => {
		await runInDurableObject(workQueueStub(), async (_instance: WorkQueueObject, state) => {
			state.storage.sql.exec("DELETE FROM message");
		});
	});

	it("runs a task from polls and reports: inputs as a consumer's, hand-over on report, complete", async () => {
		const taskUuid = await submitDiamond();
		const [start, ...rest] = await poll(taskUuid);
		expect(rest).toEqual([]);
		expect(start).toMatchObject({
			step_name: "start",
			namespace: NAMESPACE,
			callable: "EchoHandler",
			attempt: 1,
			context: { n: 1 },
			dependency_results: {},
			timeout_seconds: 30,
		});
		expect(start?.lease_id).toEqual(expect.any(String));
		// Its step never went near a queue.
		expect(deliveries.filter((d) => d.step_name === "start")).toEqual([]);
		expect((await stepsByName(taskUuid)).start?.current_state).toBe("in_progress");

		// The report hands over the two branches, claimed for this worker, with their inputs.
		const afterStart = await report([success(start as PulledStep, { from: "start" })], true);
		expect(afterStart.results).toEqual([
			expect.objectContaining({ recorded: "applied", step_state: "complete", reason: null }),
		]);
		const branches = afterStart.steps.map((s) => s.step_name).sort();
		expect(branches).toEqual(["left", "right"]);
		for (const branch of afterStart.steps) {
			expect(branch.lease_id).toBeNull();
			expect(branch.dependency_results).toEqual({ start: { from: "start" } });
		}
		// The start's message is acked: nothing is left to deliver.
		expect(await poll(taskUuid)).toEqual([]);

		const afterBranches = await report(
			afterStart.steps.map((s) => success(s, { from: s.step_name })),
			true,
		);
		const [finish] = afterBranches.steps;
		expect(finish).toMatchObject({
			step_name: "finish",
			dependency_results: { start: { from: "start" }, left: { from: "left" }, right: { from: "right" } },
		});
		await report([success(finish as PulledStep, { done: true })]);
		await waitForTask(taskUuid, (task) => expect(task.status).toBe("complete"));
		expect((await stepsByName(taskUuid)).finish?.results).toMatchObject({ result: { done: true } });
	});

	it("drops a duplicate report and a report of another attempt, and says why", async () => {
		const taskUuid = await submitDiamond();
		const [start] = await poll(taskUuid);
		const first = await report([success(start as PulledStep, { n: 1 })]);
		expect(first.results[0]?.recorded).toBe("applied");
		const again = await report([success(start as PulledStep, { n: 2 })]);
		expect(again.results[0]).toMatchObject({ recorded: "dropped", reason: "step_not_in_flight" });
		const forged = await report([{ ...success(start as PulledStep, { n: 3 }), attempt: 7 }]);
		expect(forged.results[0]).toMatchObject({ recorded: "dropped", reason: "stale_attempt" });
		// The stored result is the first one.
		expect((await stepsByName(taskUuid)).start?.results).toMatchObject({ result: { n: 1 } });
		expect(await taskStub(taskUuid).getStats()).toMatchObject({ resultsDropped: 2 });
	});

	it("delivers a step again when its lease runs out; the first of the two reports wins, once", async () => {
		const taskUuid = await submitDiamond();
		const [first] = await poll(taskUuid, { worker_id: "dies" });
		// No heartbeat: the lease runs out, and another worker gets the same attempt.
		expect(await poll(taskUuid)).toEqual([]);
		await expireLeases();
		const [second] = await poll(taskUuid, { worker_id: "survivor" });
		expect(second).toMatchObject({ step_uuid: first?.step_uuid, attempt: 1 });
		expect(second?.lease_id).not.toBe(first?.lease_id);

		// The dead worker's lease is gone: a heartbeat says so.
		const heartbeat = await postJson("/v1/workers/heartbeat", {
			namespace: NAMESPACE,
			lease_ids: [first?.lease_id, second?.lease_id],
		});
		expect(await heartbeat.json()).toEqual({ held: [second?.lease_id], lost: [first?.lease_id] });

		const survivor = await report([success(second as PulledStep, { by: "survivor" })]);
		expect(survivor.results[0]?.recorded).toBe("applied");
		const late = await report([success(first as PulledStep, { by: "dead" })]);
		expect(late.results[0]).toMatchObject({ recorded: "dropped", reason: "step_not_in_flight" });
		const start = (await stepsByName(taskUuid)).start;
		expect(start).toMatchObject({
			current_state: "complete",
			attempts: 1,
			results: { result: { by: "survivor" } },
		});
		// The start is not delivered a third time: what waits now is only what it made ready.
		expect((await poll(taskUuid)).map((s) => s.step_name).sort()).toEqual(["left", "right"]);
	});

	it("a step whose worker never reports is timed out by its task object; the retry is pulled; the late result is dropped", async () => {
		const taskUuid = await submitDiamond();
		let steps = await poll(taskUuid);
		let next = (await report([success(steps[0] as PulledStep, {})], true)).steps;
		next = (
			await report(
				next.map((s) => success(s, {})),
				true,
			)
		).steps;
		const [hung] = next; // finish: timeout_seconds 5, never reported
		expect(hung).toMatchObject({ step_name: "finish", attempt: 1, lease_id: null });

		const task = taskStub(taskUuid);
		await fireAlarmsUntil(taskUuid, async () => ((await task.getStats())?.timeouts ?? 0) > 0);
		expect((await stepsByName(taskUuid)).finish?.last_error).toMatchObject({ error_type: "timeout" });
		// Its retry (attempt 2) is dispatched to the work queue once its backoff is due.
		await fireAlarmsUntil(taskUuid, async () => (await stepsByName(taskUuid)).finish?.attempts === 2);
		steps = await poll(taskUuid);
		expect(steps).toEqual([expect.objectContaining({ step_name: "finish", attempt: 2 })]);

		const late = await report([success(hung as PulledStep, { late: true })]);
		expect(late.results[0]).toMatchObject({ recorded: "dropped", reason: "stale_attempt" });
		await report([success(steps[0] as PulledStep, { late: false })]);
		await waitForTask(taskUuid, (t) => expect(t.status).toBe("complete"));
		expect((await stepsByName(taskUuid)).finish?.results).toMatchObject({ result: { late: false } });
	});

	it("a failure is reported like a consumer's: retryable with attempts left waits for its retry", async () => {
		const taskUuid = await submitDiamond();
		const [start] = await poll(taskUuid);
		const reply = await report([
			{
				...success(start as PulledStep, null),
				outcome: {
					success: false,
					execution_time_ms: 1,
					error: {
						error_type: "retryable_error",
						message: "try later",
						retryable: true,
						error_code: "LATER",
					},
				},
			},
		]);
		expect(reply.results[0]).toMatchObject({ recorded: "applied", step_state: "waiting_for_retry" });
		expect((await stepsByName(taskUuid)).start?.last_error).toMatchObject({
			error_code: "LATER",
			message: "try later",
		});
	});

	it("a step delivered more than 10 times (its workers keep dying) fails for good, as a queue's dead letter", async () => {
		const taskUuid = await submitDiamond();
		// The create answers before its first send has reached the work queue: wait for the message, or the
		// update below could run first and miss it.
		await vi.waitFor(async () => {
			const [queued] = await runInDurableObject(workQueueStub(), async (_i: WorkQueueObject, state) =>
				state.storage.sql
					.exec("SELECT COUNT(*) AS n FROM message WHERE instr(body, ?) > 0", taskUuid)
					.toArray(),
			);
			expect(queued).toEqual({ n: 1 });
		});
		await runInDurableObject(workQueueStub(), async (_instance: WorkQueueObject, state) => {
			state.storage.sql.exec("UPDATE message SET deliveries = 10");
		});
		expect(await poll(taskUuid)).toEqual([]);
		await waitForTask(taskUuid, (task) => expect(task.status).toBe("error"));
		expect((await stepsByName(taskUuid)).start?.last_error).toMatchObject({
			error_type: "delivery_exhausted",
			error_code: "DELIVERY_EXHAUSTED",
		});
		const [row] = await runInDurableObject(workQueueStub(), async (_i: WorkQueueObject, state) =>
			state.storage.sql.exec("SELECT COUNT(*) AS n FROM message").toArray(),
		);
		expect(row).toEqual({ n: 0 });
	});

	it("a held poll answers as soon as a step arrives", async () => {
		const pending = postJson("/v1/workers/poll", {
			namespace: NAMESPACE,
			handlers: HANDLERS,
			wait_seconds: 10,
		});
		const taskUuid = await submitDiamond();
		const response = await pending;
		const { steps } = (await response.json()) as { steps: PulledStep[] };
		expect(steps.map((s) => [s.task_uuid, s.step_name])).toEqual([[taskUuid, "start"]]);
	});

	// Found by probing with the Python worker: one stopped with Ctrl-C left its long poll held here, and that
	// poll leased the next step to a closed connection, where it waited out its lease (30 s).
	it("a worker that leaves ends its own held polls, empty; another worker's poll gets the next step", async () => {
		const held = (worker: string) =>
			postJson("/v1/workers/poll", {
				namespace: NAMESPACE,
				handlers: HANDLERS,
				worker_id: worker,
				wait_seconds: 10,
			});
		const gone = held("gone-worker");
		const staying = held("staying-worker");
		const heldPolls = () =>
			runInDurableObject(workQueueStub(), (instance: WorkQueueObject) =>
				[
					...(instance as unknown as { pollsByWorker: Map<string, Set<unknown>> }).pollsByWorker.keys(),
				].sort(),
			);
		await vi.waitFor(async () => expect(await heldPolls()).toEqual(["gone-worker", "staying-worker"]));

		const left = await postJson("/v1/workers/leave", { namespace: NAMESPACE, worker_id: "gone-worker" });
		expect(await left.json()).toEqual({ polls_ended: 1 });
		expect(((await (await gone).json()) as { steps: PulledStep[] }).steps).toEqual([]);

		const taskUuid = await submitDiamond();
		const { steps } = (await (await staying).json()) as { steps: PulledStep[] };
		expect(steps.map((s) => [s.task_uuid, s.step_name])).toEqual([[taskUuid, "start"]]);
		// Nothing held any more: leaving again ends nothing, and a worker that polls again is served as before.
		expect(
			await (await postJson("/v1/workers/leave", { namespace: NAMESPACE, worker_id: "gone-worker" })).json(),
		).toEqual({
			polls_ended: 0,
		});
		expect(await heldPolls()).toEqual([]);
	});

	it("delivers a step only to a worker that has its handler", async () => {
		const taskUuid = await submitDiamond();
		expect(await poll(taskUuid, { handlers: ["SomeoneElsesHandler"] })).toEqual([]);
		expect((await poll(taskUuid)).map((s) => s.step_name)).toEqual(["start"]);
	});

	it("refuses a namespace not served by pull workers, and a malformed body, changing nothing", async () => {
		const wrong = await postJson("/v1/workers/poll", {
			namespace: "default",
			handlers: HANDLERS,
			wait_seconds: 0,
		});
		expect(wrong.status).toBe(404);
		expect(await wrong.json()).toEqual({
			error: {
				code: "NOT_FOUND",
				message: 'namespace "default" is not served by pull workers (PULL_NAMESPACES: "pulled")',
			},
		});
		const bad = await postJson("/v1/workers/results", {
			namespace: NAMESPACE,
			handlers: HANDLERS,
			results: [{ task_uuid: "x", step_uuid: "y", attempt: 0, lease_id: null, outcome: { success: "yes" } }],
		});
		expect(bad.status).toBe(400);
		const { error } = (await bad.json()) as { error: { message: string } };
		expect(error.message).toContain("results[0].task_uuid");
		expect(error.message).toContain("results[0].attempt");
	});
});
