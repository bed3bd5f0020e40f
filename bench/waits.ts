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
// the waits: the time from POST .../events to its answer (the step completes inside that request),
// next to one queue hop in the same run: validate_order's `enqueued` → `in_progress` (sent to claimed,
// the server's clock).
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

interface Transition {
	to_state: string;
	recorded_at: string;
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
		? { name: "order_awaiting_payment", namespace: "default", hopStep: "validate_order" }
		: { name: "wait_first", namespace: "bench", hopStep: "after_payment" };
	console.log(`machine: ${machineLine(await describeMachine())}`);
	const others = await countWorkerdProcesses();
	if (others > 0) console.log(`note: ${others} other workerd process(es) running: figures will be noisier`);
	await prepareWorker();
	await withBenchServer(async (server) => {
		const base = server.url;
		const started = performance.now();
		const uuids = await mapPool(
			Array.from({ length: tasks }, (_, i) => i),
			concurrency,
			async (i) =>
				(
					await postJson<TaskView>(`${base}/v1/tasks`, {
						name: task.name,
						namespace: task.namespace,
						context: orderContext(i),
						initiator: "bench",
						source_system: "tasker-edge-bench",
						reason: "waits benchmark",
					})
				).task_uuid,
		);
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

		// Events, one at a time (nothing else in flight): POST → answered, the step complete inside it.
		const eventMs: number[] = [];
		for (let i = 0; i < events; i++) {
			const uuid = uuids[i] as string;
			const start = performance.now();
			const reply = await postJson<{ status: string }>(`${base}/v1/tasks/${uuid}/events`, {
				name: "payment_confirmed",
				payload: { order_id: `ORD-WAIT-${i}`, amount: 29.99 },
				event_id: `bench-${i}`,
			});
			eventMs.push(performance.now() - start);
			if (reply.status !== "delivered") throw new Error(`event for ${uuid}: ${reply.status}`);
		}
		// One queue hop, this run (server clock, sent → claimed): validate_order's, sent at creation (--orders),
		// or after_payment's, sent by each event on an otherwise idle system (the default).
		const hops = await mapPool(uuids.slice(0, events), concurrency, async (uuid) => {
			const hopStep = await untilClaimed(base, uuid, task.hopStep);
			const audit = await getJson<Transition[]>(
				`${base}/v1/tasks/${uuid}/workflow_steps/${hopStep.step_uuid}/audit`,
			);
			const at = (state: string) => Date.parse(audit.find((t) => t.to_state === state)?.recorded_at ?? "");
			return at("in_progress") - at("enqueued");
		});
		const steps = await stepsOf(base, uuids[0] as string);
		if (steps.find((s) => s.name === "await_payment")?.current_state !== "complete") {
			throw new Error("the first order's wait did not complete with its event");
		}

		const hop = summarize(hops.filter((ms) => Number.isFinite(ms)));
		const event = summarize(eventMs);
		console.log(`\nwhile ${stillWaiting} of ${tasks} orders waited for ${idleMs / 1_000} s:`);
		console.log(`  consumer invocations: ${consumerInvocations}`);
		console.log(
			`  task-object requests: ${objectRequests} (${(objectRequests / tasks).toFixed(3)} per waiting task)`,
		);
		console.log(`event → step complete (POST answered, client clock), ${events} events, one at a time:`);
		console.log(`  median ${event.median.toFixed(1)} ms, p95 ${event.p95.toFixed(1)} ms`);
		console.log(`one queue hop (${task.hopStep} sent → claimed, server clock), ${hop.n} tasks:`);
		console.log(`  median ${hop.median.toFixed(1)} ms, p95 ${hop.p95.toFixed(1)} ms`);
	});
}

await main();
