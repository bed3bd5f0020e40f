// Decision points (the reference's DecisionMixin and DecisionHandler): a handler that chooses which branch
// steps run next. Results carry `decision_point_outcome` in the reference's wire shape
// (`{type: "create_steps", step_names}` or `{type: "no_branches"}`); acting on it is the engine's job.
import { StepHandler } from "./step-handler";
import { StepHandlerResult } from "./step-handler-result";

export const DecisionType = {
	CREATE_STEPS: "create_steps",
	NO_BRANCHES: "no_branches",
} as const;

export type DecisionType = (typeof DecisionType)[keyof typeof DecisionType];

/** A decision, camelCase, before it is written as `decision_point_outcome`. */
export interface DecisionPointOutcome {
	decisionType: DecisionType;
	nextStepNames: string[];
	dynamicSteps?: Array<Record<string, unknown>>;
	reason?: string;
	routingContext: Record<string, unknown>;
}

export interface DecisionCapable {
	name: string;
	version: string;
	decisionSuccess(
		steps: string[],
		routingContext?: Record<string, unknown>,
		metadata?: Record<string, unknown>,
	): StepHandlerResult;
	decisionSuccessWithOutcome(
		outcome: DecisionPointOutcome,
		metadata?: Record<string, unknown>,
	): StepHandlerResult;
	decisionNoBranches(outcome: DecisionPointOutcome, metadata?: Record<string, unknown>): StepHandlerResult;
	skipBranches(
		reason: string,
		routingContext?: Record<string, unknown>,
		metadata?: Record<string, unknown>,
	): StepHandlerResult;
	decisionFailure(
		message: string,
		errorType?: string,
		retryable?: boolean,
		metadata?: Record<string, unknown>,
	): StepHandlerResult;
}

interface Named {
	readonly name: string;
	readonly version: string;
}

function withDecisionMetadata(handler: Named, metadata?: Record<string, unknown>): Record<string, unknown> {
	return { ...(metadata ?? {}), decision_handler: handler.name, decision_version: handler.version };
}

function outcomeSuccess(handler: Named, outcome: DecisionPointOutcome, metadata?: Record<string, unknown>) {
	const result: Record<string, unknown> = {
		decision_point_outcome: { type: outcome.decisionType, step_names: outcome.nextStepNames },
	};
	if (outcome.dynamicSteps) result.dynamic_steps = outcome.dynamicSteps;
	if (Object.keys(outcome.routingContext ?? {}).length > 0) result.routing_context = outcome.routingContext;
	return StepHandlerResult.success(result, withDecisionMetadata(handler, metadata));
}

function noBranchesSuccess(
	handler: Named,
	outcome: DecisionPointOutcome,
	metadata?: Record<string, unknown>,
) {
	const result: Record<string, unknown> = { decision_point_outcome: { type: outcome.decisionType } };
	if (outcome.reason) result.reason = outcome.reason;
	if (Object.keys(outcome.routingContext ?? {}).length > 0) result.routing_context = outcome.routingContext;
	return StepHandlerResult.success(result, withDecisionMetadata(handler, metadata));
}

/** The decision helpers; `this` supplies `name`/`version` (a handler, or the mixin's own class statics). */
export class DecisionMixin implements DecisionCapable {
	get name(): string {
		const ctor = this.constructor as { handlerName?: string; name: string };
		return ctor.handlerName || ctor.name;
	}

	get version(): string {
		return (this.constructor as { handlerVersion?: string }).handlerVersion || "1.0.0";
	}

	/** Run `steps` next (names of the decision's branch steps). */
	decisionSuccess(
		steps: string[],
		routingContext?: Record<string, unknown>,
		metadata?: Record<string, unknown>,
	): StepHandlerResult {
		return this.decisionSuccessWithOutcome(
			{ decisionType: DecisionType.CREATE_STEPS, nextStepNames: steps, routingContext: routingContext ?? {} },
			metadata,
		);
	}

	decisionSuccessWithOutcome(
		outcome: DecisionPointOutcome,
		metadata?: Record<string, unknown>,
	): StepHandlerResult {
		return outcomeSuccess(this, outcome, metadata);
	}

	decisionNoBranches(outcome: DecisionPointOutcome, metadata?: Record<string, unknown>): StepHandlerResult {
		return noBranchesSuccess(this, outcome, metadata);
	}

	/** Run no branch: still a success. */
	skipBranches(
		reason: string,
		routingContext?: Record<string, unknown>,
		metadata?: Record<string, unknown>,
	): StepHandlerResult {
		return this.decisionNoBranches(
			{
				decisionType: DecisionType.NO_BRANCHES,
				nextStepNames: [],
				reason,
				routingContext: routingContext ?? {},
			},
			metadata,
		);
	}

	/** No decision could be made: `decision_error`, not retryable, unless said otherwise. */
	decisionFailure(
		message: string,
		errorType = "decision_error",
		retryable = false,
		metadata?: Record<string, unknown>,
	): StepHandlerResult {
		return StepHandlerResult.failure(message, errorType, retryable, withDecisionMetadata(this, metadata));
	}
}

/** Gives `target` (a handler instance, in its constructor) the decision helpers, named after it. */
export function applyDecision<T extends Named>(target: T): T & DecisionCapable {
	const mixin = new DecisionMixin();
	const bag = target as unknown as Record<string, unknown>;
	bag.decisionSuccess = mixin.decisionSuccess.bind(target);
	bag.decisionSuccessWithOutcome = mixin.decisionSuccessWithOutcome.bind(target);
	bag.decisionNoBranches = mixin.decisionNoBranches.bind(target);
	bag.skipBranches = mixin.skipBranches.bind(target);
	bag.decisionFailure = mixin.decisionFailure.bind(target);
	return target as T & DecisionCapable;
}

/** A handler of a decision step. */
export abstract class DecisionHandler extends StepHandler {
	override get capabilities(): string[] {
		return ["process", "decision", "routing"];
	}

	protected decisionSuccess(
		steps: string[],
		routingContext?: Record<string, unknown>,
		metadata?: Record<string, unknown>,
	): StepHandlerResult {
		return this.decisionSuccessWithOutcome(
			{ decisionType: DecisionType.CREATE_STEPS, nextStepNames: steps, routingContext: routingContext ?? {} },
			metadata,
		);
	}

	protected decisionSuccessWithOutcome(
		outcome: DecisionPointOutcome,
		metadata?: Record<string, unknown>,
	): StepHandlerResult {
		return outcomeSuccess(this, outcome, metadata);
	}

	protected decisionNoBranches(
		outcome: DecisionPointOutcome,
		metadata?: Record<string, unknown>,
	): StepHandlerResult {
		return noBranchesSuccess(this, outcome, metadata);
	}

	protected skipBranches(
		reason: string,
		routingContext?: Record<string, unknown>,
		metadata?: Record<string, unknown>,
	): StepHandlerResult {
		return this.decisionNoBranches(
			{
				decisionType: DecisionType.NO_BRANCHES,
				nextStepNames: [],
				reason,
				routingContext: routingContext ?? {},
			},
			metadata,
		);
	}

	protected decisionFailure(
		message: string,
		errorType = "decision_error",
		retryable = false,
		metadata?: Record<string, unknown>,
	): StepHandlerResult {
		return StepHandlerResult.failure(message, errorType, retryable, withDecisionMetadata(this, metadata));
	}
}

/** The reference's older name. */
export { DecisionHandler as DecisionStepHandler };
