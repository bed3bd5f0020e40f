// An in-memory TaskStore for the pure-core tests. Every read and write copies, like real storage:
// a change the engine makes to a record but forgets to save is lost here too, and the tests see it.
import type { DlqEntry } from "../../src/core/dlq-entry";
import type { DomainEventMessage } from "../../src/core/domain-events";
import type { DynamicBlueprint, DynamicState } from "../../src/core/dynamic-records";
import type { StepState } from "../../src/core/states";
import type { StepRecord, TaskRecord, TransitionRecord } from "../../src/core/task-records";
import type { TaskStore } from "../../src/core/task-store";
import { MemoryEventInbox } from "./memory-event-inbox";

const DEADLINE_STATES: ReadonlySet<string> = new Set([
	"in_progress",
	"enqueued",
	"waiting_for_event",
	"sleeping",
]);

export class MemoryTaskStore implements TaskStore {
	readonly events = new MemoryEventInbox();
	task: TaskRecord | null = null;
	readonly steps = new Map<string, StepRecord>();
	readonly byIdx = new Map<number, string>();
	readonly children = new Map<number, number[]>();
	readonly parents = new Map<number, number[]>();
	readonly transitions: TransitionRecord[] = [];
	/** DLQ entries staged for D1, in order. */
	readonly dlqEntries: DlqEntry[] = [];
	/** Domain events recorded (the outbox), with when each is owed from. */
	readonly domainEvents: Array<{ event: DomainEventMessage; dueAt: number }> = [];
	/** Writes per kind, to assert that work per step stays constant. */
	readonly writes = { task: 0, step: 0, transition: 0, dynamic: 0, domainEvent: 0 };
	blueprint: DynamicBlueprint | null = null;
	private readonly edgeKeys = new Set<string>();
	private readonly transitionKeys = new Map<string, number>();
	dynamicState: DynamicState | null = null;

	loadTask(): TaskRecord | null {
		return this.task ? structuredClone(this.task) : null;
	}
	saveTask(task: TaskRecord): void {
		this.writes.task += 1;
		this.task = structuredClone(task);
	}
	insertSteps(steps: readonly StepRecord[], edges: ReadonlyArray<readonly [number, number]>): void {
		for (const step of steps) {
			this.steps.set(step.stepUuid, structuredClone(step));
			this.byIdx.set(step.idx, step.stepUuid);
		}
		for (const [parent, child] of edges) {
			const key = `${parent}>${child}`;
			if (this.edgeKeys.has(key)) throw new Error(`duplicate edge ${parent} -> ${child}`);
			this.edgeKeys.add(key);
			this.children.set(parent, [...(this.children.get(parent) ?? []), child]);
			this.parents.set(child, [...(this.parents.get(child) ?? []), parent]);
		}
	}
	recordDomainEvents(events: readonly DomainEventMessage[], dueAt: number): void {
		for (const event of events) {
			this.writes.domainEvent += 1;
			this.domainEvents.push({ event: structuredClone(event), dueAt });
		}
	}
	getStep(stepUuid: string): StepRecord | null {
		const step = this.steps.get(stepUuid);
		return step ? structuredClone(step) : null;
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
		return structuredClone(step);
	}
	listSteps(): StepRecord[] {
		return [...this.steps.values()].sort((a, b) => a.idx - b.idx).map((s) => structuredClone(s));
	}
	listStepsIn(states: readonly StepState[]): StepRecord[] {
		return this.listSteps().filter((s) => states.includes(s.state));
	}
	childrenOf(idx: number): StepRecord[] {
		return (this.children.get(idx) ?? []).map((child) => structuredClone(this.stepAt(child)));
	}
	saveStep(step: StepRecord): void {
		this.writes.step += 1;
		this.steps.set(step.stepUuid, structuredClone(step));
	}
	ancestorResults(idx: number): Record<string, unknown> {
		const seen = new Set<number>();
		const stack = [...(this.parents.get(idx) ?? [])];
		const results: Record<string, unknown> = {};
		while (stack.length > 0) {
			const next = stack.pop() as number;
			if (seen.has(next)) continue;
			seen.add(next);
			const step = this.stepAt(next);
			if (step.result) results[step.name] = structuredClone(step.result.result);
			stack.push(...(this.parents.get(next) ?? []));
		}
		return results;
	}
	dispatchesDue(now: number, limit: number): StepRecord[] {
		return this.listSteps()
			.filter((s) => s.dispatchDueAt !== null && s.dispatchDueAt <= now)
			.slice(0, limit);
	}
	retriesDue(now: number, limit: number): StepRecord[] {
		return this.listSteps()
			.filter((s) => s.state === "waiting_for_retry" && s.nextRetryAt !== null && s.nextRetryAt <= now)
			.slice(0, limit);
	}
	deadlinesDue(now: number, limit: number): StepRecord[] {
		return this.listSteps()
			.filter((s) => DEADLINE_STATES.has(s.state) && s.deadlineAt !== null && s.deadlineAt <= now)
			.slice(0, limit);
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
