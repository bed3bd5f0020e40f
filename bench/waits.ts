// `npm run bench:waits`: what does waiting cost? N tasks wait for payment_confirmed at once on the bench's
// own wrangler dev: by default bench/templates/wait_first.yaml (the wait is its first step, so creating
// 10,000 waiting tasks needs no queue hop each), or with --orders the seed's order that validates first
// (templates/waits/order_awaiting_payment.yaml; its validate_order goes through the local queue). Counted from the engine's own
// counters, never guessed:
// - consumer invocations while they wait: the bench worker's consumer counter (/bench/consumer);
// - task-object requests per waiting task while they wait: each task's `stats.requests` (the storage
//   shell counts every billed invocation that did engine work: create, claim, report, alarm, event).
// The counters are read once every order waits and its leftover fallback alarm has run (the alarm
// armed when validate_order was sent, which finds nothing due and moves to the wait's deadline), then
// again after an idle period; the difference is what waiting cost. Then events complete a sample of
// the waits, one at a time, timed on both clocks:
// - the server's, from each task's transition log: the event's `received_at` (when the Worker got the
//   request, kept on the waiting step's `complete` transition) → that transition, against one queue hop
//   in the same run, enqueued → in_progress (sent → claimed) of the dependent the event released
//   (after_payment, or with --orders reserve_inventory), on an otherwise idle system;
// - the client's: POST → answer of the event; of an event to a task that only waits (nothing released,
//   so no dependent's hop runs beside its answer on the single local runtime); of the same event sent
//   again (a duplicate: the route and the object's call, no change); and a GET of the task (the floor of
//   a round trip through wrangler dev's local proxy).
// Usage: tsx bench/waits.ts [--tasks 10000] [--concurrency 32] [--idle-seconds 10] [--events 100]
import { parseArgs } from "node:util";
import { getJson, postJson } from "../scripts/lib/tasker-http";
import type { StepView, TaskView } from "../src/core/task-views";
import { withBenchServer } from "./lib/bench-server";
import { countWorkerdProcesses, describeMachine, machineLine } from "./lib/machine";
import { mapPool } from "./lib/pool";
import { summarize } from "./lib/stats";
import { prepareWorker } from "./prepare/prepare-worker";

/** The fallback alarm is armed a send grace after the dispatch; a few seconds more cover a busy machine. */
const SETTLE_MS = 8_000;

/** After an event's dependent is claimed: its hop is over before the next request is timed. */
const HOP_SETTLE_MS = 50;

interface Transition {
	to_state: string;
	metadata: Record<string, unknown> | null;
	recorded_at: string;
}

/** The server-clock figures of one task, from its steps' transition logs (NaN where one is missing). */
function serverClock(waitAudit: readonly Transition[], hopAudit: readonly Transition[]) {
	const at = (t: Transition | undefined) => Date.parse(t?.recorded_at ?? "");
	const done = waitAudit.find((t) => t.to_state === "complete");
	const received = Date.parse(String(done?.metadata?.received_at ?? ""));
	const hop = (state: string) => at(hopAudit.find((t) => t.to_state === state));
	return {
		eventToComplete: at(done) - received,
		hop: hop("in_progress") - hop("enqueued"),
		eventToClaimed: hop("in_progress") - received,
	};
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function orderContext(i: number) {
	return {
		order_id: `ORD-WAIT-${i}`,
		customer_email: "bench@example.com",
		items: [{ sku: "WIDGET-A", price: 29.99, quantity: 1 }],
	};
}

async function stepsOf(baseUrl: string, taskUuid: string): Promise<StepView[]> {
	return getJson<StepView[]>(`${baseUrl}/v1/tasks/${taskUuid}/workflow_steps`);
}

async function untilWaiting(baseUrl: string, taskUuid: string): Promise<StepView[]> {
	const deadline = Date.now() + 120_000;
	for (;;) {
		const steps = await stepsOf(baseUrl, taskUuid);
		if (steps.find((s) => s.name === "await_payment")?.current_state === "waiting_for_event") return steps;
		if (Date.now() > deadline) throw new Error(`task ${taskUuid} never waited`);
		await sleep(200);
	}
}

/** The step once it has been claimed (its hop is complete), read back from the task's steps. */
async function untilClaimed(baseUrl: string, taskUuid: string, name: string): Promise<StepView> {
	const deadline = Date.now() + 120_000;
	for (;;) {
		const step = (await stepsOf(baseUrl, taskUuid)).find((s) => s.name === name);
		if (step && step.current_state !== "pending" && step.current_state !== "enqueued") return step;
		if (Date.now() > deadline) throw new Error(`task ${taskUuid}: ${name} was never claimed`);
		await sleep(100);
	}
}

async function requestsOf(baseUrl: string, taskUuid: string): Promise<number> {
	return (await getJson<{ requests: number }>(`${baseUrl}/bench/tasks/${taskUuid}/stats`)).requests;
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			tasks: { type: "string", default: "10000" },
			concurrency: { type: "string", default: "32" },
			"idle-seconds": { type: "string", default: "10" },
			events: { type: "string", default: "100" },
			orders: { type: "boolean", default: false },
		},
		strict: true,
	});
	const tasks = Number(values.tasks);
	const concurrency = Number(values.concurrency);
	const idleMs = Number(values["idle-seconds"]) * 1_000;
	const events = Math.min(Number(values.events), tasks);
	const task = values.orders
		? { name: "order_awaiting_payment", namespace: "default", hopStep: "reserve_inventory" }
		: { name: "wait_first", namespace: "bench", hopStep: "after_payment" };
	console.log(`machine: ${machineLine(await describeMachine())}`);
	const others = await countWorkerdProcesses();
	if (others > 0) console.log(`note: ${others} other workerd process(es) running: figures will be noisier`);
	await prepareWorker();
	await withBenchServer(async (server) => {
		const base = server.url;
		const started = performance.now();
		const create = (of: { name: string; namespace: string }, count: number) =>
			mapPool(
				Array.from({ length: count }, (_, i) => i),
				concurrency,
				async (i) =>
					(
						await postJson<TaskView>(`${base}/v1/tasks`, {
							name: of.name,
							namespace: of.namespace,
							context: orderContext(i),
							initiator: "bench",
							source_system: "tasker-edge-bench",
							reason: "waits benchmark",
						})
					).task_uuid,
			);
		const uuids = await create(task, tasks);
		await mapPool(uuids, concurrency, (uuid) => untilWaiting(base, uuid));
		const allWaitingS = (performance.now() - started) / 1_000;
		console.log(`${tasks} ${task.name} tasks created and waiting in ${allWaitingS.toFixed(1)} s`);

		await sleep(SETTLE_MS);
		const consumerBefore = await getJson<{ invocations: number }>(`${base}/bench/consumer`);
		const requestsBefore = await mapPool(uuids, concurrency, (uuid) => requestsOf(base, uuid));
		await sleep(idleMs);
		const consumerAfter = await getJson<{ invocations: number }>(`${base}/bench/consumer`);
		const requestsAfter = await mapPool(uuids, concurrency, (uuid) => requestsOf(base, uuid));
		const stillWaiting = (
			await mapPool(uuids, concurrency, async (uuid) =>
				(await stepsOf(base, uuid)).find((s) => s.name === "await_payment"),
			)
		).filter((s) => s?.current_state === "waiting_for_event").length;
		const objectRequests = requestsAfter.reduce((sum, n, i) => sum + n - (requestsBefore[i] ?? 0), 0);
		const consumerInvocations = consumerAfter.invocations - consumerBefore.invocations;

		// Events, one at a time, each on an idle system: POST → answered (the step complete inside it),
		// then, once its dependent's hop is over, the same POST again (a duplicate: the route, the body and
		// the object's call, no change and no send) and a GET of the task (the HTTP round trip's floor).
		// Between them, an event to a task that only waits (bench/templates/wait_alone.yaml): nothing to
		// send, no hop beside it, the event's own path alone.
		const alone = await create({ name: "wait_alone", namespace: "bench" }, events);
		await mapPool(alone, concurrency, (uuid) => untilWaiting(base, uuid));
		await sleep(SETTLE_MS);
		const client = {
			event: [] as number[],
			alone: [] as number[],
			duplicate: [] as number[],
			get: [] as number[],
		};
		const timed = async <T>(sample: number[], request: () => Promise<T>): Promise<T> => {
			const start = performance.now();
			const answer = await request();
			sample.push(performance.now() - start);
			return answer;
		};
		for (let i = 0; i < events; i++) {
			const uuid = uuids[i] as string;
			const event = {
				name: "payment_confirmed",
				payload: { order_id: `ORD-WAIT-${i}`, amount: 29.99 },
				event_id: `bench-${i}`,
			};
			const url = `${base}/v1/tasks/${uuid}/events`;
			const reply = await timed(client.event, () => postJson<{ status: string }>(url, event));
			if (reply.status !== "delivered") throw new Error(`event for ${uuid}: ${reply.status}`);
			await untilClaimed(base, uuid, task.hopStep);
			await sleep(HOP_SETTLE_MS);
			const again = await timed(client.duplicate, () => postJson<{ status: string }>(url, event));
			if (again.status !== "duplicate") throw new Error(`event sent again to ${uuid}: ${again.status}`);
			await timed(client.get, () => getJson<TaskView>(`${base}/v1/tasks/${uuid}`));
			const lone = `${base}/v1/tasks/${alone[i]}/events`;
			const loneReply = await timed(client.alone, () => postJson<{ status: string }>(lone, event));
			if (loneReply.status !== "delivered") throw new Error(`event for ${alone[i]}: ${loneReply.status}`);
		}
		// The server's clock, from each task's own records: the event's received_at (when the Worker got
		// the request) → the waiting step's `complete` transition; and one queue hop, enqueued → in_progress
		// (sent → claimed) of the dependent the event released (its `enqueued` is in the event's own
		// transaction: the wait's end → the dependent claimed).
		const serverTimes = await mapPool(uuids.slice(0, events), concurrency, async (uuid) => {
			const hopStep = await untilClaimed(base, uuid, task.hopStep);
			const wait = (await stepsOf(base, uuid)).find((s) => s.name === "await_payment");
			const auditOf = (step: StepView | undefined) =>
				getJson<Transition[]>(`${base}/v1/tasks/${uuid}/workflow_steps/${step?.step_uuid}/audit`);
			return serverClock(await auditOf(wait), await auditOf(hopStep));
		});
		const steps = await stepsOf(base, uuids[0] as string);
		if (steps.find((s) => s.name === "await_payment")?.current_state !== "complete") {
			throw new Error("the first order's wait did not complete with its event");
		}

		const ms = (sample: readonly number[]) => {
			const s = summarize(sample.filter((v) => Number.isFinite(v)));
			return `median ${s.median.toFixed(1)} ms, p90 ${s.p90.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms (n ${s.n})`;
		};
		console.log(`\nwhile ${stillWaiting} of ${tasks} orders waited for ${idleMs / 1_000} s:`);
		console.log(`  consumer invocations: ${consumerInvocations}`);
		console.log(
			`  task-object requests: ${objectRequests} (${(objectRequests / tasks).toFixed(3)} per waiting task)`,
		);
		console.log(`\nserver clock (each task's transition log), ${events} events, one at a time:`);
		console.log(`  event received → waiting step complete: ${ms(serverTimes.map((t) => t.eventToComplete))}`);
		console.log(
			`  one queue hop, ${task.hopStep} enqueued → in_progress: ${ms(serverTimes.map((t) => t.hop))}`,
		);
		console.log(
			`  event received → ${task.hopStep} in_progress: ${ms(serverTimes.map((t) => t.eventToClaimed))}`,
		);
		console.log("client clock (POST or GET → answer, through wrangler dev's local proxy):");
		console.log(`  event, the step complete when answered: ${ms(client.event)}`);
		console.log(`  event to a task that only waits (nothing released, no hop): ${ms(client.alone)}`);
		console.log(`  the same event again (duplicate, nothing changes): ${ms(client.duplicate)}`);
		console.log(`  GET the task: ${ms(client.get)}`);
	});
}

await main();
