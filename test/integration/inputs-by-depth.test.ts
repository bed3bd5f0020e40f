// What a step costs as a task gets deeper, counted by the engine's own row counters on the real SQLite
// store: a step's inputs are every ancestor's result (as in Tasker), but gathering them must not read rows
// in proportion to the ancestors, or a chain's rows read grow with the square of its length; nor may the
// alarm's look-ups and the metrics pushes, which come every few seconds, read every step or transition.
// The operations run in-process on the store, one transaction each as the task object runs them, with the
// alarm's and the push's reads every few steps, so the counts are deterministic (no queue, no timing).
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SqliteTaskStore } from "../../durable-objects/sqlite-task-store";
import { claimStep } from "../../src/core/claim-step";
import { createTask } from "../../src/core/create-task";
import { recordResults } from "../../src/core/record-results";
import type { StepMessage } from "../../src/core/step-message";
import type { StepRunInput } from "../../src/core/step-outcome";
import type { TaskTemplate } from "../../src/templates/task-template";
import { validateTemplate } from "../../src/templates/validate-template";

const SEND_GRACE_MS = 5_000;
/** Every this many steps, the store answers an alarm pass's and a metrics push's questions. */
const ALARM_EVERY = 5;

function chainTemplate(length: number): TaskTemplate {
	const name = (i: number) => `c${String(i).padStart(4, "0")}`;
	const checked = validateTemplate({
		name: `chain_${length}`,
		namespace_name: "testing",
		version: "1.0.0",
		steps: Array.from({ length }, (_, i) => ({
			name: name(i),
			handler: { callable: "Chain.Step" },
			dependencies: i === 0 ? [] : [name(i - 1)],
		})),
	});
	if (!checked.ok) throw new Error(checked.problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
	return checked.template;
}

interface ChainRun {
	rowsReadPerStep: number;
	/** The inputs each step was handed, in the order the steps ran. */
	inputs: StepRunInput[];
	status: string;
}

/**
 * Runs a chain to its end in a fresh object: claim, then report a result that names the step. With
 * `evictAt`, the store is replaced by a new one (as after the object was evicted) before that step's claim.
 */
async function runChain(length: number, evictAt: number | null = null): Promise<ChainRun> {
	const stub = env.TASKS.get(env.TASKS.idFromName(`inputs-by-depth-${crypto.randomUUID()}`));
	return runInDurableObject(stub, (_instance, state) => {
		let store = new SqliteTaskStore(state.storage.sql);
		let now = 1_700_000_000_000;
		let seq = 0;
		const newUuid = () => `0190a000-0000-7000-8000-${String(++seq).padStart(12, "0")}`;
		const transact = <T>(operation: () => T): T =>
			state.storage.transactionSync(() => {
				const result = operation();
				store.flush();
				return result;
			});
		const created = transact(() =>
			createTask(
				store,
				{
					taskUuid: crypto.randomUUID(),
					template: chainTemplate(length),
					context: { seed: 1 },
					initiator: "test",
					sourceSystem: "vitest",
					reason: "rows read by depth",
					tags: [],
					priority: 0,
					correlationId: crypto.randomUUID(),
					parentCorrelationId: null,
				},
				now,
				newUuid,
				SEND_GRACE_MS,
			),
		);
		let owed: StepMessage[] = created.effects.dispatches;
		const inputs: StepRunInput[] = [];
		let pushedUpto = 0;
		while (owed.length > 0) {
			const message = owed.shift() as StepMessage;
			if (inputs.length === evictAt) store = new SqliteTaskStore(state.storage.sql);
			if (inputs.length % ALARM_EVERY === ALARM_EVERY - 1) {
				// What an alarm pass asks, and a metrics push of the log since the last one.
				transact(() => {
					store.dispatchesDue(now, 100);
					store.retriesDue(now, 100);
					store.deadlinesDue(now, 100);
					store.nextDueAt(true);
					const upto = store.loadTask()?.transitionSeq ?? 0;
					store.transitionsBetween(pushedUpto, upto);
					pushedUpto = upto;
				});
			}
			now += 10;
			const claim = transact(() => claimStep(store, message.step_uuid, message.attempt, now));
			if (claim.kind !== "run") throw new Error(`claim of ${message.step_name} dropped: ${claim.reason}`);
			inputs.push(claim.input);
			now += 10;
			const batch = transact(() =>
				recordResults(
					store,
					[
						{
							stepUuid: message.step_uuid,
							attempt: message.attempt,
							outcome: {
								success: true,
								result: { step: message.step_name },
								metadata: {},
								execution_time_ms: 1,
							},
						},
					],
					{ now, random: () => 0.5, sendGraceMs: SEND_GRACE_MS },
				),
			);
			owed = [...owed, ...batch.effects.dispatches];
		}
		const task = store.loadTask();
		if (!task) throw new Error("no task");
		return { rowsReadPerStep: task.stats.rowsRead / length, inputs, status: task.status };
	});
}

describe("a step's inputs, by depth", () => {
	it("hand every ancestor's result, as Tasker does", async () => {
		const run = await runChain(10);
		expect(run.status).toBe("complete");
		expect(run.inputs).toHaveLength(10);
		expect(run.inputs[0]?.dependency_results).toEqual({});
		// The last step sees all nine before it, the direct parent and every transitive one.
		const last = run.inputs[9]?.dependency_results ?? {};
		expect(Object.keys(last).sort()).toEqual(Array.from({ length: 9 }, (_, i) => `c000${i}`));
		expect(last.c0000).toEqual({ step: "c0000" });
		expect(last.c0008).toEqual({ step: "c0008" });
	});

	it("read as many rows per step on a 200-step chain as on a 10-step one (within 1.5×)", async () => {
		const short = await runChain(10);
		const long = await runChain(200);
		expect(long.status).toBe("complete");
		console.log(
			`rows read per step: chain 10 ${short.rowsReadPerStep.toFixed(1)}, chain 200 ${long.rowsReadPerStep.toFixed(1)}`,
		);
		expect(long.rowsReadPerStep).toBeLessThanOrEqual(short.rowsReadPerStep * 1.5);
		// And the inputs themselves still hold every ancestor.
		expect(Object.keys(long.inputs[199]?.dependency_results ?? {})).toHaveLength(199);
	});

	it("are the same after the object was evicted mid-task (rebuilt from storage)", async () => {
		const whole = await runChain(12);
		const evicted = await runChain(12, 6);
		expect(evicted.status).toBe("complete");
		expect(evicted.inputs.map((i) => i.dependency_results)).toEqual(
			whole.inputs.map((i) => i.dependency_results),
		);
	});

	it("forget a result whose transaction rolled back", async () => {
		const stub = env.TASKS.get(env.TASKS.idFromName(`inputs-rollback-${crypto.randomUUID()}`));
		await runInDurableObject(stub, (_instance, state) => {
			const store = new SqliteTaskStore(state.storage.sql);
			const now = 1_700_000_000_000;
			let seq = 0;
			const newUuid = () => `0190b000-0000-7000-8000-${String(++seq).padStart(12, "0")}`;
			const created = state.storage.transactionSync(() => {
				const outcome = createTask(
					store,
					{
						taskUuid: crypto.randomUUID(),
						template: chainTemplate(2),
						context: {},
						initiator: "test",
						sourceSystem: "vitest",
						reason: "rollback",
						tags: [],
						priority: 0,
						correlationId: crypto.randomUUID(),
						parentCorrelationId: null,
					},
					now,
					newUuid,
					SEND_GRACE_MS,
				);
				store.flush();
				return outcome;
			});
			const first = created.effects.dispatches[0];
			if (!first) throw new Error("nothing dispatched");
			state.storage.transactionSync(() => {
				claimStep(store, first.step_uuid, first.attempt, now + 1);
				store.flush();
			});
			const second = store.listSteps()[1];
			if (!second) throw new Error("no second step");
			// The result is saved, then the operation fails: the transaction rolls back, the shell discards.
			expect(() =>
				state.storage.transactionSync(() => {
					recordResults(
						store,
						[
							{
								stepUuid: first.step_uuid,
								attempt: first.attempt,
								outcome: { success: true, result: "rolled back", metadata: {}, execution_time_ms: 1 },
							},
						],
						{ now: now + 2, random: () => 0.5, sendGraceMs: SEND_GRACE_MS },
					);
					expect(store.ancestorResults(second.idx)).toEqual({ c0000: "rolled back" });
					throw new Error("the operation failed after saving");
				}),
			).toThrow("the operation failed after saving");
			store.discard();
			expect(store.ancestorResults(second.idx)).toEqual({});
		});
	});
});

describe("a task object's schema", () => {
	it("keeps no index or table that no query needs (edges, by uuid on the steps): each entry was a row written", async () => {
		const stub = env.TASKS.get(env.TASKS.idFromName(`schema-indexes-${crypto.randomUUID()}`));
		const { indexes, rowsWritten } = await runInDurableObject(stub, (_instance, state) => {
			const store = new SqliteTaskStore(state.storage.sql);
			let seq = 0;
			const newUuid = () => `0190b000-0000-7000-8000-${String(++seq).padStart(12, "0")}`;
			const write = (length: number) =>
				state.storage.transactionSync(() => {
					const before = store.loadTask()?.stats.rowsWritten ?? 0;
					createTask(
						store,
						{
							taskUuid: crypto.randomUUID(),
							template: chainTemplate(length),
							context: {},
							initiator: "test",
							sourceSystem: "vitest",
							reason: "schema",
							tags: [],
							priority: 0,
							correlationId: crypto.randomUUID(),
							parentCorrelationId: null,
						},
						1_700_000_000_000,
						newUuid,
						SEND_GRACE_MS,
					);
					store.flush();
					return (store.loadTask()?.stats.rowsWritten ?? 0) - before;
				});
			const rowsWritten = write(10);
			const indexes = state.storage.sql
				.exec("SELECT name FROM sqlite_master WHERE (type = 'index' AND tbl_name = 'step') OR name = 'edge'")
				.toArray()
				.map((row) => String(row.name));
			return { indexes, rowsWritten };
		});
		expect(indexes).toEqual([]);
		// Deterministic, as the platform bills them: 55 with both indexes (an entry per edge, 9, one per step,
		// 10, and each index's own schema row), 34 with the edge table (its 9 rows and the 2 its creation
		// counted), 23 with the edges in their parents' rows, 20 with the marks in the task row (no meta
		// table: its creation counted 2, the schema version's row 1).
		expect(rowsWritten).toBe(20);
	});
});
