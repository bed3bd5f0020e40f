// The task store contract: cases that every RuntimeStore must pass, run against the memory store in
// Node (test/unit/store-contract.test.ts) and the SQLite store inside a real Durable Object
// (test/integration/store-contract.test.ts). The engine's tests and the chaos suite run on the memory
// store; these cases keep it honest about what the shipped store does.
import { expect } from "vitest";
import { createTask } from "../../src/core/create-task";
import type { DomainEventMessage } from "../../src/core/domain-events";
import type { StepRecord, TransitionRecord } from "../../src/core/task-records";
import type { RuntimeStore } from "../../src/runtime/runtime-store";
import { chainShape, createInput, dagTemplate, numberedIds } from "./template-builders";

export interface ContractSubject {
	store: RuntimeStore;
	/** One storage transaction, as the runtime runs each operation (the SQLite store flushes at its end). */
	transact<T>(operation: () => T): T;
	/** The store as a new object lifetime sees it: nothing held in memory, only what storage has. */
	reopen(): RuntimeStore;
}

export interface StoreContractCase {
	name: string;
	run(subject: ContractSubject): void;
}

const NOW = 1_700_000_000_000;
const RESULT_META = { execution_time_ms: 1, attempt: 1, custom: {} };

/** A diamond a → (b, c) → d, created by the engine itself, with step uuids s-a, s-b, ... */
function createDiamond({ store, transact }: ContractSubject) {
	return transact(() =>
		createTask(
			store,
			{
				taskUuid: "00000000-0000-4000-8000-000000000001",
				template: dagTemplate({ a: [], b: ["a"], c: ["a"], d: ["b", "c"] }),
				context: { order: 7 },
				initiator: "contract",
				sourceSystem: "contract",
				reason: "contract",
				tags: ["x"],
				priority: 0,
				correlationId: "corr",
				parentCorrelationId: null,
			},
			NOW,
			(() => {
				const names = ["a", "b", "c", "d"];
				let i = 0;
				return () => `s-${names[i++] ?? i}`;
			})(),
			5_000,
		),
	);
}

function step(store: RuntimeStore, uuid: string): StepRecord {
	const found = store.getStep(uuid);
	if (!found) throw new Error(`no step ${uuid}`);
	return found;
}

function domainEvent(id: string): DomainEventMessage {
	return {
		event_id: id,
		event_name: "order.done",
		event_version: "1.0.0",
		delivery_mode: "durable",
		payload: {
			payload: { id },
			execution_result: {
				success: true,
				step_state: "complete",
				attempt: 1,
				execution_time_ms: 1,
				result: { id },
				error: null,
			},
		},
		metadata: {
			task_uuid: "t",
			step_uuid: "s",
			step_name: "a",
			namespace: "testing",
			task_name: "test_dag",
			task_version: "1.0.0",
			correlation_id: "corr",
			fired_at: new Date(NOW).toISOString(),
		},
	} as DomainEventMessage;
}

export const STORE_CONTRACT: StoreContractCase[] = [
	{
		name: "inside a transaction, reads see the steps, transitions and marks it saved; after it, storage has them",
		run: (subject) => {
			const { store, transact } = subject;
			createDiamond(subject);
			const seq = store.loadTask()?.transitionSeq ?? 0;
			const moved: TransitionRecord = {
				seq: seq + 1,
				stepIdx: 1,
				stepUuid: "s-b",
				stepName: "b",
				fromState: "pending",
				toState: "enqueued",
				attempt: 2,
				at: NOW + 1,
				metadata: { why: "contract" },
			};
			transact(() => {
				const a = step(store, "s-a");
				store.saveStep({ ...a, state: "complete", result: { result: 1, metadata: RESULT_META } });
				const b = step(store, "s-b");
				store.saveStep({ ...b, state: "enqueued", attempt: 1, dispatchDueAt: NOW + 5 });
				// Saved twice in one transaction: the second save is the one kept.
				store.saveStep({ ...step(store, "s-b"), attempt: 2 });
				store.appendTransition(moved);
				store.setMeta("label", "inside");
				expect(step(store, "s-a")).toMatchObject({ state: "complete", result: { result: 1 } });
				expect(store.childrenOf(0).find((s) => s.name === "b")).toMatchObject({
					state: "enqueued",
					attempt: 2,
				});
				expect(store.listSteps()[1]).toMatchObject({ state: "enqueued", attempt: 2 });
				expect(store.listStepsIn(["enqueued"]).map((s) => s.name)).toEqual(["b"]);
				expect(store.listStepsIn(["complete"]).map((s) => s.name)).toEqual(["a"]);
				expect(store.listTransitions("s-b").map((t) => t.toState)).toEqual(["enqueued"]);
				expect(store.getMeta("label")).toBe("inside");
				expect(store.dispatchesDue(NOW + 5, 10).map((s) => s.name)).toContain("b");
			});
			const fresh = subject.reopen();
			expect(step(fresh, "s-a")).toMatchObject({ state: "complete", result: { result: 1 } });
			expect(step(fresh, "s-b")).toMatchObject({ state: "enqueued", attempt: 2, dispatchDueAt: NOW + 5 });
			expect(fresh.listTransitions("s-b")).toEqual([moved]);
			expect(fresh.getMeta("label")).toBe("inside");
			expect(fresh.ancestorResults(1)).toEqual({ a: 1 });
		},
	},
	{
		name: "has no task, and no schema, until the first write",
		run: ({ store }) => {
			expect(store.hasSchema()).toBe(false);
			expect(store.loadTask()).toBeNull();
		},
	},
	{
		name: "keeps the task the engine created, its steps in order, and their edges both ways",
		run: (subject) => {
			const { store } = subject;
			const created = createDiamond(subject);
			expect(created.created).toBe(true);
			expect(store.hasSchema()).toBe(true);
			const task = store.loadTask();
			expect(task).toMatchObject({ taskUuid: created.task.taskUuid, context: { order: 7 }, tags: ["x"] });
			expect(store.listSteps().map((s) => [s.idx, s.name])).toEqual([
				[0, "a"],
				[1, "b"],
				[2, "c"],
				[3, "d"],
			]);
			expect(
				store
					.childrenOf(0)
					.map((s) => s.name)
					.sort(),
			).toEqual(["b", "c"]);
			expect(store.childrenOf(3)).toEqual([]);
			expect(store.listStepsIn(["enqueued"]).map((s) => s.name)).toEqual(["a"]);
			expect(store.listStepsIn(["pending"]).map((s) => s.name)).toEqual(["b", "c", "d"]);
		},
	},
	{
		name: "a branch added to a step that exists joins its children, also after a reopen; an edge given twice is refused",
		run: (subject) => {
			const { store, transact } = subject;
			createDiamond(subject);
			const d = step(store, "s-d");
			transact(() => store.insertSteps([{ ...d, idx: 4, stepUuid: "s-e", name: "e" }], [[1, 4]]));
			for (const reader of [store, subject.reopen()]) {
				expect(reader.childrenOf(1).map((s) => s.name)).toEqual(["d", "e"]);
				expect(reader.childrenOf(2).map((s) => s.name)).toEqual(["d"]);
			}
			const f = { ...d, idx: 5, stepUuid: "s-f", name: "f" };
			expect(() => transact(() => store.insertSteps([f], [[1, 4]]))).toThrow("duplicate edge 1 -> 4");
		},
	},
	{
		name: "a saved step reads back as saved; a task saved in a transaction reads back after it",
		run: (subject) => {
			const { store, transact } = subject;
			createDiamond(subject);
			const a = step(store, "s-a");
			transact(() => {
				store.saveStep({
					...a,
					state: "complete",
					result: { result: { total: 3 }, metadata: RESULT_META },
					completedAt: NOW + 1,
				});
				const task = store.loadTask();
				if (task) store.saveTask({ ...task, status: "steps_in_process", updatedAt: NOW + 1 });
			});
			expect(step(store, "s-a")).toMatchObject({ state: "complete", result: { result: { total: 3 } } });
			expect(store.loadTask()).toMatchObject({ status: "steps_in_process", updatedAt: NOW + 1 });
			expect(store.getStep("no-such-step")).toBeNull();
		},
	},
	{
		name: "ancestorResults gives every ancestor's result by name, and nothing of steps without one",
		run: (subject) => {
			const { store, transact } = subject;
			createDiamond(subject);
			transact(() => {
				for (const [uuid, result] of [
					["s-a", 1],
					["s-b", 2],
				] as const) {
					store.saveStep({
						...step(store, uuid),
						state: "complete",
						result: { result, metadata: RESULT_META },
					});
				}
			});
			expect(store.ancestorResults(3)).toEqual({ a: 1, b: 2 });
			expect(store.ancestorResults(1)).toEqual({ a: 1 });
			expect(store.ancestorResults(0)).toEqual({});
		},
	},
	{
		name: "due work comes earliest first, ties in step order, up to the limit",
		run: (subject) => {
			const { store, transact } = subject;
			createDiamond(subject);
			transact(() => {
				const due = { "s-a": NOW + 30, "s-b": NOW + 10, "s-c": NOW + 10, "s-d": NOW + 99 } as const;
				for (const [uuid, at] of Object.entries(due)) {
					store.saveStep({ ...step(store, uuid), state: "enqueued", dispatchDueAt: at, deadlineAt: at + 1 });
				}
			});
			expect(store.dispatchesDue(NOW + 50, 10).map((s) => s.name)).toEqual(["b", "c", "a"]);
			expect(store.dispatchesDue(NOW + 50, 2).map((s) => s.name)).toEqual(["b", "c"]);
			expect(store.deadlinesDue(NOW + 50, 10).map((s) => s.name)).toEqual(["b", "c", "a"]);
			expect(store.nextDueAt(false)).toBe(NOW + 10);
		},
	},
	{
		name: "retries are due by their retry time, and count toward the next wake only when asked",
		run: (subject) => {
			const { store, transact } = subject;
			createDiamond(subject);
			transact(() => {
				store.saveStep({
					...step(store, "s-a"),
					state: "waiting_for_retry",
					nextRetryAt: NOW + 20,
					dispatchDueAt: null,
					deadlineAt: null,
				});
			});
			expect(store.retriesDue(NOW + 19, 10)).toEqual([]);
			expect(store.retriesDue(NOW + 20, 10).map((s) => s.name)).toEqual(["a"]);
			expect(store.nextDueAt(false)).toBeNull();
			expect(store.nextDueAt(true)).toBe(NOW + 20);
		},
	},
	{
		name: "the transition log lists a step's entries, or the task's own, oldest first",
		run: (subject) => {
			const { store } = subject;
			createDiamond(subject);
			const a = store.listTransitions("s-a");
			expect(a.map((t) => [t.fromState, t.toState])).toEqual([["pending", "enqueued"]]);
			expect(store.listTransitions(null).every((t) => t.stepUuid === null)).toBe(true);
			const seqs = [...a, ...store.listTransitions(null)].map((t) => t.seq);
			expect(new Set(seqs).size).toBe(seqs.length);
		},
	},
	{
		name: "meta values read back; an unknown key reads as absent",
		run: ({ store, transact }) => {
			transact(() => {
				store.setMeta("alarm_at", NOW);
				store.setMeta("label", "x");
			});
			expect(Number(store.getMeta("alarm_at"))).toBe(NOW);
			expect(store.getMeta("label")).toBe("x");
			transact(() => store.setMeta("alarm_at", null));
			expect(store.getMeta("alarm_at") ?? null).toBeNull();
			expect(store.getMeta("never-set") ?? null).toBeNull();
		},
	},
	{
		name: "the domain-event outbox: owed from their due time, confirmed once sent, re-owed after a failed send",
		run: (subject) => {
			const { store, transact } = subject;
			createDiamond(subject);
			transact(() => store.recordDomainEvents([domainEvent("e1"), domainEvent("e2")], NOW + 10));
			expect(store.domainEventsDue(NOW + 9, 10)).toEqual([]);
			expect(store.domainEventsDue(NOW + 10, 10).map((e) => e.event_id)).toEqual(["e1", "e2"]);
			expect(store.domainEventsDue(NOW + 10, 1).map((e) => e.event_id)).toEqual(["e1"]);
			transact(() => store.confirmDomainEvents(["e1"], NOW + 11));
			transact(() => store.domainEventsSendFailed(["e2"], NOW + 50));
			expect(store.domainEventsDue(NOW + 49, 10)).toEqual([]);
			expect(store.domainEventsDue(NOW + 50, 10).map((e) => e.event_id)).toEqual(["e2"]);
			// A confirmed event stays confirmed even if a late failure report comes for it.
			transact(() => store.domainEventsSendFailed(["e1"], NOW + 60));
			expect(store.domainEventsDue(NOW + 100, 10).map((e) => e.event_id)).toEqual(["e2"]);
		},
	},
	{
		name: "the event inbox keeps an event once by id, finds it, and hands out only unconsumed ones",
		run: ({ store, transact }) => {
			transact(() => store.setMeta("created", 1));
			transact(() => {
				store.events.add({
					eventId: "ev-1",
					name: "paid",
					payload: { n: 1 },
					receivedAt: NOW,
					consumedBy: null,
				});
				store.events.add({
					eventId: "ev-2",
					name: "paid",
					payload: { n: 2 },
					receivedAt: NOW + 1,
					consumedBy: null,
				});
			});
			expect(store.events.find("ev-1")).toMatchObject({ name: "paid", payload: { n: 1 } });
			expect(store.events.find("ev-9")).toBeNull();
			expect(store.events.kept("paid").map((e) => e.eventId)).toEqual(["ev-1", "ev-2"]);
			transact(() => store.events.markConsumed("ev-1", "s-a"));
			expect(store.events.kept("paid").map((e) => e.eventId)).toEqual(["ev-2"]);
			expect(store.events.keptCount()).toBe(1);
			expect(store.events.find("ev-1")?.consumedBy).toBe("s-a");
		},
	},
	{
		name: "a long chain's steps and ancestry read back whole",
		run: ({ store, transact }) => {
			transact(() =>
				createTask(
					store,
					createInput("00000000-0000-4000-8000-000000000002", dagTemplate(chainShape(30)), "contract"),
					NOW,
					numberedIds("c-"),
					5_000,
				),
			);
			transact(() => {
				for (let i = 0; i < 29; i++)
					store.saveStep({
						...step(store, `c-${i}`),
						state: "complete",
						result: { result: i, metadata: RESULT_META },
					});
			});
			expect(Object.keys(store.ancestorResults(29))).toHaveLength(29);
			expect(store.ancestorResults(29).s0).toBe(0);
			expect(store.childrenOf(28).map((s) => s.name)).toEqual(["s29"]);
		},
	},
];
