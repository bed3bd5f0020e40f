// An in-memory store for the pure-core tests, the task runtime's tests and the chaos suite (the
// runtime's RuntimeStore, like the SQLite store of the Durable Object; the store contract suite runs
// the same cases on both). Every read and write copies, like real storage: a change the engine makes
// to a record but forgets to save is lost here too, and the tests see it.
import { deepFreeze } from "../../durable-objects/task-record-copy";
import { ancestorsInOrder } from "../../durable-objects/task-result-graph";
import type { DlqEntry } from "../../src/core/dlq-entry";
import type { DomainEventMessage } from "../../src/core/domain-events";
import type { DynamicBlueprint, DynamicState } from "../../src/core/dynamic-records";
import type { StepState } from "../../src/core/states";
import type { StepRecord, TaskRecord, TransitionRecord } from "../../src/core/task-records";
import type { MetaValue, RuntimeStore } from "../../src/runtime/runtime-store";
import { MemoryEventInbox } from "./memory-event-inbox";

const DEADLINE_STATES: ReadonlySet<string> = new Set([
	"in_progress",
	"enqueued",
	"waiting_for_event",
	"sleeping",
]);

export class MemoryTaskStore implements RuntimeStore {
	readonly events = new MemoryEventInbox();
	task: TaskRecord | null = null;
	readonly steps = new Map<string, StepRecord>();
	readonly byIdx = new Map<number, string>();
	readonly children = new Map<number, number[]>();
	readonly parents = new Map<number, number[]>();
	readonly transitions: TransitionRecord[] = [];
	/** DLQ entries staged for D1, in order. */
	readonly dlqEntries: DlqEntry[] = [];
	/** Domain events recorded (the outbox): when each is owed from (null once the queue has it). */
	readonly domainEvents: Array<{
		event: DomainEventMessage;
		dueAt: number | null;
		sentAt: number | null;
		sendAttempts: number;
	}> = [];
	readonly meta = new Map<string, MetaValue>();
	/** Engine requests noted (the SQLite store folds them into the task's stats). */
	requests = 0;
	/** Writes per kind, to assert that work per step stays constant. */
	readonly writes = { task: 0, step: 0, transition: 0, dynamic: 0, domainEvent: 0 };
	blueprint: DynamicBlueprint | null = null;
	private readonly edgeKeys = new Set<string>();
	private readonly transitionKeys = new Map<string, number>();
	dynamicState: DynamicState | null = null;
	/** The inputs token (see TaskStore.inputsToken): a new id after a rollback, a count of result and edge changes. */
	private inputsId: string = crypto.randomUUID();
	private inputsChanges = 0;

	noteRequest(): void {
		this.requests += 1;
	}
	hasSchema(): boolean {
		return this.task !== null || this.meta.size > 0;
	}
	/** Writes go straight to the maps here: nothing is kept back for the end of a transaction. */
	begin(): void {}
	flush(): void {}
	discard(): void {}
	getMeta(key: string): MetaValue | undefined {
		return this.meta.get(key);
	}
	setMeta(key: string, value: MetaValue): void {
		this.meta.set(key, value);
	}
	domainEventsDue(now: number, limit: number): DomainEventMessage[] {
		return this.domainEvents
			.filter((e) => e.dueAt !== null && e.dueAt <= now)
			.slice(0, limit)
			.map((e) => structuredClone(e.event));
	}
	confirmDomainEvents(eventIds: readonly string[], now: number): void {
		for (const e of this.domainEvents) {
			if (!eventIds.includes(e.event.event_id)) continue;
			e.dueAt = null;
			e.sentAt = now;
			e.sendAttempts += 1;
		}
	}
	domainEventsSendFailed(eventIds: readonly string[], dueAt: number): void {
		for (const e of this.domainEvents) {
			if (!eventIds.includes(e.event.event_id) || e.dueAt === null) continue;
			e.dueAt = dueAt;
			e.sendAttempts += 1;
		}
	}

	/**
	 * The whole store as it is now; calling the result puts it back. A transaction that throws in the
	 * chaos suite's storage is rolled back with it, as SQLite rolls back a failed `transactionSync`.
	 */
	snapshot(): () => void {
		const copy = structuredClone({
			task: this.task,
			steps: [...this.steps],
			byIdx: [...this.byIdx],
			children: [...this.children],
			parents: [...this.parents],
			transitions: this.transitions,
			dlqEntries: this.dlqEntries,
			domainEvents: this.domainEvents,
			meta: [...this.meta],
			blueprint: this.blueprint,
			dynamicState: this.dynamicState,
			edgeKeys: [...this.edgeKeys],
			transitionKeys: [...this.transitionKeys],
			inbox: this.events.events,
		});
		const refill = <K, V>(map: Map<K, V>, entries: Array<[K, V]>) => {
			map.clear();
			for (const [k, v] of entries) map.set(k, v);
		};
		const refillList = <T>(list: T[], items: T[]) => list.splice(0, list.length, ...items);
		return () => {
			const c = structuredClone(copy);
			this.task = c.task;
			refill(
				this.steps,
				c.steps.map(([uuid, step]) => [uuid, heldStep(step)]),
			);
			refill(this.byIdx, c.byIdx);
			refill(this.children, c.children);
			refill(this.parents, c.parents);
			refillList(this.transitions, c.transitions);
			refillList(this.dlqEntries, c.dlqEntries);
			refillList(this.domainEvents, c.domainEvents);
			refill(this.meta, c.meta);
			this.blueprint = c.blueprint;
			this.dynamicState = c.dynamicState;
			this.edgeKeys.clear();
			for (const key of c.edgeKeys) this.edgeKeys.add(key);
			refill(this.transitionKeys, c.transitionKeys);
			refillList(this.events.events, c.inbox);
			this.inputsId = crypto.randomUUID();
		};
	}

	loadTask(): TaskRecord | null {
		return this.task ? structuredClone(this.task) : null;
	}
	saveTask(task: TaskRecord): void {
		this.writes.task += 1;
		this.task = structuredClone(task);
	}
	insertSteps(steps: readonly StepRecord[], edges: ReadonlyArray<readonly [number, number]>): void {
		for (const step of steps) {
			this.steps.set(step.stepUuid, heldStep(step));
			this.byIdx.set(step.idx, step.stepUuid);
		}
		for (const [parent, child] of edges) {
			const key = `${parent}>${child}`;
			if (this.edgeKeys.has(key)) throw new Error(`duplicate edge ${parent} -> ${child}`);
			this.edgeKeys.add(key);
			this.children.set(parent, [...(this.children.get(parent) ?? []), child]);
			this.parents.set(child, [...(this.parents.get(child) ?? []), parent]);
		}
		if (edges.length > 0) this.inputsChanges += 1;
	}
	recordDomainEvents(events: readonly DomainEventMessage[], dueAt: number): void {
		for (const event of events) {
			this.writes.domainEvent += 1;
			this.domainEvents.push({ event: structuredClone(event), dueAt, sentAt: null, sendAttempts: 0 });
		}
	}
	getStep(stepUuid: string): StepRecord | null {
		const step = this.steps.get(stepUuid);
		return step ? { ...step } : null;
	}
	stepAt(idx: number): StepRecord {
		const uuid = this.byIdx.get(idx);
		const step = uuid === undefined ? undefined : this.steps.get(uuid);
		if (!step) throw new Error(`no step ${idx}`);
		return step;
	}
	stepNamed(name: string): StepRecord {
		const step = [...this.steps.values()].find((s) => s.name === name);
		if (!step) throw new Error(`no step ${name}`);
		return { ...step };
	}
	listSteps(): StepRecord[] {
		return [...this.steps.values()].sort((a, b) => a.idx - b.idx).map((s) => ({ ...s }));
	}
	listStepsIn(states: readonly StepState[]): StepRecord[] {
		return this.listSteps().filter((s) => states.includes(s.state));
	}
	childrenOf(idx: number): StepRecord[] {
		return (this.children.get(idx) ?? []).map((child) => ({ ...this.stepAt(child) }));
	}
	saveStep(step: StepRecord): void {
		this.writes.step += 1;
		const before = this.steps.get(step.stepUuid)?.result ?? null;
		if (
			JSON.stringify(before?.result) !== JSON.stringify(step.result?.result) ||
			(before === null) !== (step.result === null)
		)
			this.inputsChanges += 1;
		this.steps.set(step.stepUuid, heldStep(step));
	}
	/** In the order the SQLite store's graph gives them (each after its own ancestors, parents by idx). */
	ancestorResults(idx: number): Record<string, unknown> {
		const nodes = new Map(
			[...this.byIdx.keys()].map((i) => [
				i,
				{ idx: i, parents: [...(this.parents.get(i) ?? [])].sort((a, b) => a - b) },
			]),
		);
		const results: Record<string, unknown> = {};
		for (const node of ancestorsInOrder(nodes, idx)) {
			const step = this.stepAt(node.idx);
			if (step.result) results[step.name] = structuredClone(step.result.result);
		}
		return results;
	}
	inputsToken(): string {
		return `${this.inputsId}:${this.inputsChanges}`;
	}
	resultAsInput(idx: number): { value: unknown } | null {
		const uuid = this.byIdx.get(idx);
		const result = uuid === undefined ? null : (this.steps.get(uuid)?.result ?? null);
		return result ? { value: structuredClone(result.result) } : null;
	}
	// Due work comes earliest first, ties in step order: the order the SQLite store's queries give.
	dispatchesDue(now: number, limit: number): StepRecord[] {
		return byDueTime(
			this.listSteps().filter((s) => s.dispatchDueAt !== null && s.dispatchDueAt <= now),
			(s) => s.dispatchDueAt,
		).slice(0, limit);
	}
	retriesDue(now: number, limit: number): StepRecord[] {
		return byDueTime(
			this.listSteps().filter(
				(s) => s.state === "waiting_for_retry" && s.nextRetryAt !== null && s.nextRetryAt <= now,
			),
			(s) => s.nextRetryAt,
		).slice(0, limit);
	}
	deadlinesDue(now: number, limit: number): StepRecord[] {
		return byDueTime(
			this.listSteps().filter(
				(s) => DEADLINE_STATES.has(s.state) && s.deadlineAt !== null && s.deadlineAt <= now,
			),
			(s) => s.deadlineAt,
		).slice(0, limit);
	}
	nextDueAt(includeRetries: boolean): number | null {
		const times = this.listSteps().flatMap((s) => [
			...(s.dispatchDueAt !== null ? [s.dispatchDueAt] : []),
			...(DEADLINE_STATES.has(s.state) && s.deadlineAt !== null ? [s.deadlineAt] : []),
			...(includeRetries && s.state === "waiting_for_retry" && s.nextRetryAt !== null ? [s.nextRetryAt] : []),
		]);
		return times.length === 0 ? null : Math.min(...times);
	}
	appendTransition(transition: TransitionRecord): void {
		this.writes.transition += 1;
		// By position, so that a test which truncates the log (a rolled-back transaction) is still checked.
		const key = `${transition.stepIdx}:${transition.seq}`;
		const at = this.transitionKeys.get(key);
		const earlier = at === undefined ? undefined : this.transitions[at];
		if (earlier && `${earlier.stepIdx}:${earlier.seq}` === key) {
			throw new Error(`duplicate transition key (${transition.stepIdx}, ${transition.seq})`);
		}
		this.transitionKeys.set(key, this.transitions.length);
		this.transitions.push(structuredClone(transition));
	}
	listTransitions(stepUuid: string | null): TransitionRecord[] {
		return this.transitions.filter((t) => t.stepUuid === stepUuid).map((t) => structuredClone(t));
	}
	loadBlueprint(): DynamicBlueprint | null {
		return this.blueprint ? structuredClone(this.blueprint) : null;
	}
	saveBlueprint(blueprint: DynamicBlueprint): void {
		this.writes.dynamic += 1;
		this.blueprint = structuredClone(blueprint);
	}
	loadDynamicState(): DynamicState | null {
		return this.dynamicState ? structuredClone(this.dynamicState) : null;
	}
	saveDynamicState(state: DynamicState): void {
		this.writes.dynamic += 1;
		this.dynamicState = structuredClone(state);
	}
	stageDlqEntry(entry: DlqEntry): void {
		this.dlqEntries.push(structuredClone(entry));
	}
}

/** Sorted by a due time, earliest first; steps due at the same time keep their order (by idx). */
function byDueTime(steps: StepRecord[], dueAt: (step: StepRecord) => number | null): StepRecord[] {
	return steps.sort((a, b) => (dueAt(a) ?? 0) - (dueAt(b) ?? 0) || a.idx - b.idx);
}

/**
 * A step as the SQLite store holds steps in memory (durable-objects/step-record-copy.ts): its nested
 * parts frozen and shared by every copy handed out, so an engine change to one in place throws here too.
 */
function heldStep(step: StepRecord): StepRecord {
	const copy = structuredClone(step);
	for (const value of Object.values(copy)) deepFreeze(value);
	return copy;
}
