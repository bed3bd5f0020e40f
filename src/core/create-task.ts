// Creates a task from a validated template: every step and edge in one transaction, and the root
// steps saved as owed to the queue. The caller sends them at once; the alarm, armed for when the
// grace runs out, sends them again only if that send is lost.
import type { StepDefinition, TaskTemplate } from "../templates/task-template";
import { createDynamicSteps } from "./create-dynamic-steps";
import { inDependencyOrder } from "./decision-outcome";
import type { DynamicState } from "./dynamic-records";
import { stalenessPolicy } from "./lifecycle";
import { StepState, TaskState } from "./states";
import type { EngineEffects, StepMessage } from "./step-message";
import { earliest, settleTask } from "./task-mutations";
import type { StepExtras, StepRecord, TaskRecord } from "./task-records";
import { emptyStepCounts } from "./task-status";
import type { TaskStore } from "./task-store";
import { startStep } from "./wait-start";
import { planOf, type WorkflowPlan } from "./workflow-plan";

export interface CreateTaskInput {
	taskUuid: string;
	template: TaskTemplate;
	context: Record<string, unknown>;
	initiator: string;
	sourceSystem: string;
	reason: string;
	tags: string[];
	priority: number;
	correlationId: string;
	parentCorrelationId: string | null;
}

export interface CreateTaskOutcome {
	task: TaskRecord;
	/** false when the task already existed: creation is idempotent per task uuid (a retried RPC). */
	created: boolean;
	effects: EngineEffects;
}

export function createTask(
	store: TaskStore,
	input: CreateTaskInput,
	now: number,
	newStepUuid: () => string,
	sendGraceMs: number,
): CreateTaskOutcome {
	const existing = store.loadTask();
	if (existing) return { task: existing, created: false, effects: { dispatches: [], wakeAt: null } };

	const { template } = input;
	const task: TaskRecord = {
		taskUuid: input.taskUuid,
		name: template.name,
		namespace: template.namespace,
		version: template.version,
		status: TaskState.pending,
		context: input.context,
		initiator: input.initiator,
		sourceSystem: input.sourceSystem,
		reason: input.reason,
		tags: input.tags,
		priority: input.priority,
		correlationId: input.correlationId,
		parentCorrelationId: input.parentCorrelationId,
		createdAt: now,
		updatedAt: now,
		completedAt: null,
		progressAt: now,
		staleness: { ...stalenessPolicy(template), lifetimeFrom: now },
		totalSteps: template.steps.length,
		counts: { ...emptyStepCounts(), [StepState.pending]: template.steps.length },
		pendingSends: 0,
		transitionSeq: 0,
		stats: {
			sendBatches: 0,
			messagesSent: 0,
			sendFailures: 0,
			resultsApplied: 0,
			resultsDropped: 0,
			timeouts: 0,
			unclaimedResends: 0,
			claims: 0,
			claimsDropped: 0,
			deadLetters: 0,
			deadLettersDropped: 0,
			requests: 0,
			rowsRead: 0,
			rowsWritten: 0,
		},
	};
	store.appendTransition({
		seq: ++task.transitionSeq,
		stepIdx: null,
		stepUuid: null,
		stepName: null,
		fromState: null,
		toState: TaskState.pending,
		attempt: null,
		at: now,
		metadata: { template: `${template.namespace}/${template.name}@${template.version}` },
	});

	const plan = planOf(template);
	const steps =
		plan === null
			? staticSteps(store, template, now, newStepUuid)
			: initialSteps(store, task, plan, template, now, newStepUuid);

	// The roots are owed to the queue, to be sent in one batch right after this transaction; a root that
	// waits (an event, a time) starts waiting instead, with its deadline on the alarm.
	const dispatches: StepMessage[] = [];
	const waits: number[] = [];
	for (const step of steps) {
		if (step.unmetParents !== 0) continue;
		const started = startStep(store, task, step, now, now + sendGraceMs);
		if (started.message) dispatches.push(started.message);
		if (started.wakeAt !== null) waits.push(started.wakeAt);
	}
	settleTask(store, task, now);
	return { task, created: true, effects: { dispatches, wakeAt: earliest([now + sendGraceMs, ...waits]) } };
}

function staticSteps(
	store: TaskStore,
	template: TaskTemplate,
	now: number,
	newStepUuid: () => string,
): StepRecord[] {
	const indexByName = new Map(template.steps.map((step, idx) => [step.name, idx]));
	const steps: StepRecord[] = template.steps.map((def, idx) => ({
		idx,
		stepUuid: newStepUuid(),
		name: def.name,
		description: def.description,
		callable: def.callable,
		initialization: def.initialization,
		dependencies: def.dependencies,
		retry: def.retry,
		timeoutSeconds: def.timeoutSeconds,
		extras: stepExtras(def),
		state: StepState.pending,
		attempt: 0,
		retryBase: 0,
		unmetParents: def.dependencies.length,
		totalParents: def.dependencies.length,
		dispatchDueAt: null,
		nextRetryAt: null,
		deadlineAt: null,
		result: null,
		lastError: null,
		createdAt: now,
		updatedAt: now,
		lastAttemptedAt: null,
		lastFailureAt: null,
		completedAt: null,
	}));
	const edges = template.steps.flatMap((def, child) =>
		def.dependencies.map((name) => [requireIndex(indexByName, name), child] as const),
	);
	store.insertSteps(steps, edges);
	return steps;
}

/**
 * A template with dynamic steps starts with its initial segment only (and any convergence step one of
 * whose dependencies is in it); its plan is kept with the task for the passes that create the rest.
 */
function initialSteps(
	store: TaskStore,
	task: TaskRecord,
	plan: WorkflowPlan,
	template: TaskTemplate,
	now: number,
	newStepUuid: () => string,
): StepRecord[] {
	const blueprint = { plan, definitions: template.steps };
	store.saveBlueprint(blueprint);
	const state: DynamicState = { nextIdx: template.steps.length, created: {}, instances: {} };
	task.totalSteps = 0;
	task.counts[StepState.pending] = 0;
	const initial = inDependencyOrder(
		plan,
		new Set(plan.steps.filter((s) => s.origin === "initial").map((s) => s.name)),
	);
	const pass = createDynamicSteps(
		store,
		task,
		blueprint,
		state,
		initial.map((name) => ({ template: name })),
		{
			now,
			newStepUuid,
			creator: null,
		},
	);
	return pass.created;
}

/** What a step of the wider format keeps beyond the plain fields; null for a plain step. */
function stepExtras(def: StepDefinition): StepExtras | null {
	const extras: StepExtras = {};
	if (def.method !== undefined) extras.method = def.method;
	if (def.resultSchema !== undefined && def.resultSchema !== null) extras.resultSchema = def.resultSchema;
	if (def.publishesEvents !== undefined && def.publishesEvents.length > 0) {
		extras.publishesEvents = def.publishesEvents;
	}
	return Object.keys(extras).length === 0 ? null : extras;
}

function requireIndex(indexByName: ReadonlyMap<string, number>, name: string): number {
	const idx = indexByName.get(name);
	// Templates are validated before they are served; reaching this is a bug, not a client error.
	if (idx === undefined) throw new Error(`template invariant broken: unknown dependency "${name}"`);
	return idx;
}
