// The normalised, validated shape of a task template: what the engine works with once the YAML
// (snake_case, with aliases and defaults) has passed `validateTemplate`.

import type { BatchConfig, StepType } from "./step-types";
import type { TemplateSchedule } from "./template-schedules";

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

/** When a declared event is published, by the outcome of the step's attempt (the reference's `PublicationCondition`). */
export const EVENT_CONDITIONS = [
	"success",
	"failure",
	"retryable_failure",
	"permanent_failure",
	"always",
] as const;
export type EventCondition = (typeof EVENT_CONDITIONS)[number];
/** The reference's `EventDeliveryMode`; here every mode goes through the task's outbox to the DOMAIN_EVENTS queue (docs/templates.md). */
export const EVENT_DELIVERY_MODES = ["durable", "fast", "broadcast"] as const;
export type EventDeliveryMode = (typeof EVENT_DELIVERY_MODES)[number];

/** A step's `publishes_events` entry (the reference's `EventDeclaration`). */
export interface EventDeclaration {
	name: string;
	description: string | null;
	condition: EventCondition;
	/** JSON Schema of the payload (the step's result); a payload that does not match is not published. */
	schema: unknown;
	deliveryMode: EventDeliveryMode;
	/** A custom publisher's name: kept and shown; tasker-edge has only the default publisher. */
	publisher: string | null;
}

/** The template's `domain_events` catalogue entry (the reference's `DomainEventDefinition`). */
export interface DomainEventDefinition {
	name: string;
	description: string | null;
	schema: unknown;
}

/** The reference's `system_dependencies`: informational. */
export interface SystemDependencies {
	primary: string;
	secondary: string[];
}

/** One entry of `environments.<env>.steps` (the reference's `StepOverride`); `name: ALL` applies to every step. */
export interface StepOverride {
	name: string;
	/** `handler.initialization`: merged key by key over the step's own. */
	initialization: Record<string, unknown> | null;
	timeoutSeconds: number | null;
	/** Replaces the step's whole retry policy (keys left out take their defaults, as in the reference). */
	retry: RetryPolicy | null;
}

/** The reference's `handler.resolver` hints: which resolver finds the handler (see docs/templates.md). */
export const HANDLER_RESOLVERS = ["explicit_mapping", "class_lookup"] as const;
export type HandlerResolver = (typeof HANDLER_RESOLVERS)[number];

/** The environment a template is resolved for when TASKER_ENV is not set (the reference's default). */
export const DEFAULT_TASKER_ENV = "development";

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
	/** `handler.method`: the handler's method to call instead of `call` (absent: `call`). */
	method?: string;
	/** `handler.resolver`: the resolver hint (absent: the default chain). */
	resolver?: HandlerResolver;
	/** JSON Schema a successful result must match (absent: any result). */
	resultSchema?: unknown;
	/** Informational. */
	systemDependency?: string | null;
	/** Events published when an attempt of this step ends (absent or empty: none). */
	publishesEvents?: EventDeclaration[];
	/** Opaque, experimental in the reference (a grammar-defined virtual handler): kept and shown, not executed. */
	composition?: unknown;
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
	/** JSON Schema the task `context` must match at `POST /v1/tasks` (absent: any object). */
	inputSchema?: unknown;
	/** Documentation only, as written (the reference's known keys and any free-form ones such as `notes`). */
	metadata?: Record<string, unknown> | null;
	systemDependencies?: SystemDependencies;
	domainEvents?: DomainEventDefinition[];
	/** The per-environment step overrides as written; `steps` is already resolved for `environment`. */
	environments?: Record<string, StepOverride[]>;
	/** The environment `steps` is resolved for (TASKER_ENV); absent: not resolved (no overrides applied). */
	environment?: string;
	/** The YAML's `schedules:` (tasker-edge's own): synced to schedule objects on deploy; absent: none. */
	schedules?: TemplateSchedule[];
}
