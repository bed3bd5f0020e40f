// The normalised, validated shape of a task template: what the engine works with once the YAML
// (snake_case, with aliases and defaults) has passed `validateTemplate`.

import type { BatchConfig, StepType } from "./step-types";

export const BACKOFF_KINDS = ["none", "linear", "exponential", "fibonacci"] as const;
export type BackoffKind = (typeof BACKOFF_KINDS)[number];

/**
 * How a submission's identity is derived, so that a duplicate is refused (tasker-core §8): `strict`
 * hashes the template and its context, `caller_provided` needs the request's `idempotency_key`, and
 * `always_unique` never deduplicates. A request's `idempotency_key` wins over any of them.
 */
export const IDENTITY_STRATEGIES = ["strict", "caller_provided", "always_unique"] as const;
export type IdentityStrategy = (typeof IDENTITY_STRATEGIES)[number];
export const DEFAULT_IDENTITY_STRATEGY: IdentityStrategy = "strict";

export const STALENESS_ACTIONS = ["dlq", "error", "none"] as const;
/** `dlq`: a stale task goes to `error` and gets a DLQ entry; `error`: only the former; `none`: no detection. */
export type StalenessAction = (typeof STALENESS_ACTIONS)[number];

/** The template's `lifecycle` block, normalised; a threshold left out is null (the default applies). */
export interface LifecycleSettings {
	maxDurationMinutes: number | null;
	maxWaitingForDependenciesMinutes: number | null;
	maxWaitingForRetryMinutes: number | null;
	maxStepsInProcessMinutes: number | null;
	stalenessAction: StalenessAction;
}

export interface RetryPolicy {
	/** Whether a failure may be retried at all (the handler's own `retryable` must agree). */
	retryable: boolean;
	/** Total runs, counting the first. */
	maxAttempts: number;
	backoff: BackoffKind;
	backoffBaseMs: number;
	maxBackoffMs: number;
}

export interface StepDefinition {
	name: string;
	description: string | null;
	/** The `StepHandler.handlerName` that runs this step. */
	callable: string;
	/** `handler.initialization`: the handler's configuration (`context.getConfig(key)`). */
	initialization: Record<string, unknown>;
	/** Names of the steps this one waits for (the YAML's `dependencies` or its alias `depends_on`). */
	dependencies: string[];
	retry: RetryPolicy;
	timeoutSeconds: number;
	/** The reference's step `type` (alias `step_type`); absent means `standard`. */
	type?: StepType;
	/** The reference's `batch_config` (batchable and batch_worker steps only); absent or null: none. */
	batchConfig?: BatchConfig | null;
}

export interface TaskTemplate {
	name: string;
	namespace: string;
	version: string;
	description: string | null;
	/**
	 * The YAML's `identity_strategy`; validation always sets it (default `strict`). Optional only so
	 * that templates built in code (tests) need not spell it: absent means `strict` too.
	 */
	identityStrategy?: IdentityStrategy;
	/** The YAML's `lifecycle` block; absent or null: every threshold has its default (src/core/lifecycle.ts). */
	lifecycle?: LifecycleSettings | null;
	steps: StepDefinition[];
}
