// The zod schema of a task template as written in YAML (snake_case, strict keys, defaults applied),
// with error messages that name the value and what was expected: template authors read them, not us.

import { valid as semverValid } from "semver";
import { z } from "zod";
import {
	DEFAULT_RETRY,
	DEFAULT_STEP_TIMEOUT_SECONDS,
	MAX_ATTEMPTS_LIMIT,
	MAX_ATTEMPTS_REASON,
	MAX_BACKOFF_LIMIT_MS,
	MAX_BACKOFF_REASON,
	MAX_CALLABLE_LENGTH,
	MAX_DURATION_MINUTES_LIMIT,
	MAX_HANDLER_INITIALIZATION_BYTES,
	MAX_NAME_LENGTH,
	MAX_NAMESPACE_LENGTH,
	MAX_STATUS_MINUTES_LIMIT,
	MAX_STEP_TIMEOUT_REASON,
	MAX_STEP_TIMEOUT_SECONDS,
	MAX_STEPS_PER_TEMPLATE,
	MAX_TEMPLATE_SCHEMA_BYTES,
} from "../limits";
import { expecting, intInRange, mapping, patternedName, strictObject } from "../validation/field-schemas";
import { batchConfigSchema, stepTypeSchema } from "./dynamic-step-schema";
import {
	BACKOFF_KINDS,
	DEFAULT_IDENTITY_STRATEGY,
	EVENT_CONDITIONS,
	EVENT_DELIVERY_MODES,
	HANDLER_RESOLVERS,
	IDENTITY_STRATEGIES,
	STALENESS_ACTIONS,
} from "./task-template";
import { templateSchedulesSchema } from "./template-schedules";

const METHOD_NAME_PATTERN = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const EVENT_NAME_PATTERN = /^[a-z0-9_]+(\.[a-z0-9_]+)+$/;
const PUBLISHER_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]*((::|\.)[a-zA-Z_][a-zA-Z0-9_]*)*$/;

/**
 * An integer in [min, max] whose error past `max` says which limit of tasker-edge it is and why:
 * the reference accepts any unsigned integer there, so a narrower range must explain itself.
 */
function limitedInt(min: number, max: number, reason: string) {
	const base = expecting(`an integer from ${min} to ${max}`);
	const error = (issue: { input?: unknown }) => {
		const past = typeof issue.input === "number" && Number.isInteger(issue.input) && issue.input > max;
		return past ? `${base(issue)}: ${reason}` : base(issue);
	};
	return z
		.number({ error })
		.refine((n) => Number.isInteger(n) && n >= min && n <= max, { error })
		.meta({ type: "integer", minimum: min, maximum: max });
}

/**
 * A JSON Schema as written (a mapping, or true/false), checked in depth by json-schema-check.ts once
 * the template's shape is right; the size cap keeps one template's schema from bloating every task.
 */
function jsonSchemaValue(what: string) {
	return z
		.union([z.record(z.string(), z.unknown()), z.boolean()], {
			error: expecting(`${what} (a JSON Schema: a mapping such as {type: object}, or true/false)`),
		})
		.superRefine((schema, ctx) => {
			const bytes = new TextEncoder().encode(JSON.stringify(schema)).byteLength;
			if (bytes > MAX_TEMPLATE_SCHEMA_BYTES) {
				ctx.addIssue({
					code: "custom",
					message: `${bytes} bytes as JSON; the limit is ${MAX_TEMPLATE_SCHEMA_BYTES} bytes (MAX_TEMPLATE_SCHEMA_BYTES): it travels with the template to every task and step that uses it`,
				});
			}
		});
}

const optionalString = () => z.string({ error: expecting("a string") }).nullish();

const TEMPLATE_NAME_PATTERN = /^[a-z][a-z0-9_]*$/;
const NAMESPACE_PATTERN = /^[a-z0-9_]+$/;
const STEP_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

const versionError = (issue: { input?: unknown }): string => {
	const base = expecting("a semver version such as 1.0.0")(issue);
	if (typeof issue.input === "number") return `${base} (a YAML number: write the full x.y.z version)`;
	if (typeof issue.input === "string") {
		const canonical = semverValid(issue.input);
		if (canonical !== null && canonical !== issue.input) return `${base} (did you mean "${canonical}"?)`;
	}
	return base;
};

// Only the canonical form is accepted ("v1.0.0" and build metadata are not): lookups compare version strings.
const versionSchema = z
	.string({ error: versionError })
	.refine((v) => semverValid(v) === v, { error: versionError });

const dependencyList = z.array(z.string({ error: expecting("a step name") }), {
	error: expecting("a list of step names"),
});

export const retrySchema = strictObject(
	{
		retryable: z.boolean({ error: expecting("true or false") }).default(DEFAULT_RETRY.retryable),
		max_attempts: limitedInt(0, MAX_ATTEMPTS_LIMIT, MAX_ATTEMPTS_REASON).default(DEFAULT_RETRY.maxAttempts),
		backoff: z
			.enum(BACKOFF_KINDS, { error: expecting(`one of: ${BACKOFF_KINDS.join(", ")}`) })
			.default(DEFAULT_RETRY.backoff),
		backoff_base_ms: limitedInt(0, MAX_BACKOFF_LIMIT_MS, MAX_BACKOFF_REASON).default(
			DEFAULT_RETRY.backoffBaseMs,
		),
		max_backoff_ms: limitedInt(0, MAX_BACKOFF_LIMIT_MS, MAX_BACKOFF_REASON).default(
			DEFAULT_RETRY.maxBackoffMs,
		),
	},
	"a mapping of retry settings",
);

export const handlerSchema = strictObject(
	{
		callable: z
			.string({ error: expecting(`a handler name of 1 to ${MAX_CALLABLE_LENGTH} characters`) })
			.refine((s) => s.length >= 1 && s.length <= MAX_CALLABLE_LENGTH, {
				error: expecting(`a handler name of 1 to ${MAX_CALLABLE_LENGTH} characters`),
			}),
		initialization: mapping("a mapping of handler settings")
			.superRefine((settings, ctx) => {
				const bytes = new TextEncoder().encode(JSON.stringify(settings)).byteLength;
				if (bytes > MAX_HANDLER_INITIALIZATION_BYTES) {
					ctx.addIssue({
						code: "custom",
						message: `${bytes} bytes as JSON; the limit is ${MAX_HANDLER_INITIALIZATION_BYTES} bytes (MAX_HANDLER_INITIALIZATION_BYTES): keep large data elsewhere and put a reference here`,
					});
				}
			})
			.default(() => ({})),
		method: z
			.string({ error: expecting(`a method name matching ${METHOD_NAME_PATTERN.source}`) })
			.refine((m) => METHOD_NAME_PATTERN.test(m), {
				error: expecting(`a method name matching ${METHOD_NAME_PATTERN.source}`),
			})
			.nullish(),
		resolver: z.string({ error: expecting(`one of: ${HANDLER_RESOLVERS.join(", ")}`) }).nullish(),
	},
	"a mapping such as {callable: MyHandler}",
);

function stepTimeout() {
	return limitedInt(1, MAX_STEP_TIMEOUT_SECONDS, MAX_STEP_TIMEOUT_REASON);
}

/** A step's `publishes_events` entry: the reference's `EventDeclaration`. */
export const eventDeclarationSchema = strictObject(
	{
		name: z
			.string({ error: expecting(`an event name such as payment.processed (${EVENT_NAME_PATTERN.source})`) })
			.refine((n) => n.length <= MAX_NAME_LENGTH && EVENT_NAME_PATTERN.test(n), {
				error: expecting(
					`an event name such as payment.processed: lowercase letters, digits and _, in two or more parts joined by single dots (at most ${MAX_NAME_LENGTH} characters)`,
				),
			}),
		description: optionalString(),
		condition: z
			.enum(EVENT_CONDITIONS, { error: expecting(`one of: ${EVENT_CONDITIONS.join(", ")}`) })
			.default("success"),
		schema: jsonSchemaValue("the payload's schema").nullish(),
		delivery_mode: z
			.enum(EVENT_DELIVERY_MODES, { error: expecting(`one of: ${EVENT_DELIVERY_MODES.join(", ")}`) })
			.default("durable"),
		publisher: z
			.string({ error: expecting("a publisher name such as PaymentEventPublisher") })
			.refine((p) => PUBLISHER_PATTERN.test(p), {
				error: expecting(
					"a publisher name such as PaymentEventPublisher, my_module::Publisher or package.Publisher",
				),
			})
			.nullish(),
	},
	"an event declaration such as {name: payment.processed, condition: success}",
);

const eventList = z.array(eventDeclarationSchema, { error: expecting("a list of event declarations") });

export const stepSchema = strictObject(
	{
		name: patternedName(STEP_NAME_PATTERN, MAX_NAME_LENGTH, "a step name"),
		description: optionalString(),
		handler: handlerSchema,
		dependencies: dependencyList.nullish(),
		depends_on: dependencyList.nullish(),
		retry: retrySchema.prefault({}),
		timeout_seconds: stepTimeout().default(DEFAULT_STEP_TIMEOUT_SECONDS),
		system_dependency: optionalString(),
		publishes_events: eventList.nullish(),
		result_schema: jsonSchemaValue("the result's schema").nullish(),
		composition: z.unknown().optional(),
		/**
		 * Not a step key in the reference (its loader drops it silently) but written on batch workers in its
		 * fixtures: accepted as a mapping and ignored, as there; the template's `lifecycle` governs.
		 */
		lifecycle: mapping("a mapping (kept for reference; the template's lifecycle block applies)").nullish(),
		type: stepTypeSchema.optional(),
		step_type: stepTypeSchema.optional(),
		batch_config: batchConfigSchema.optional(),
	},
	"a step mapping with name and handler",
).superRefine((step, ctx) => {
	if (step.type !== undefined && step.step_type !== undefined) {
		ctx.addIssue({
			code: "custom",
			message: `both "type" and its alias "step_type" are given: keep only one`,
			input: step,
		});
	}
	if (step.dependencies != null && step.depends_on != null) {
		ctx.addIssue({
			code: "custom",
			message: `both "dependencies" and its alias "depends_on" are given: keep only one`,
			input: step,
		});
	}
});

const minutes = (max: number) => intInRange(1, max).optional();

/** The reference's `lifecycle` block: thresholds in minutes (left out: the default, see src/core/lifecycle.ts). */
export const lifecycleSchema = strictObject(
	{
		max_duration_minutes: minutes(MAX_DURATION_MINUTES_LIMIT),
		max_waiting_for_dependencies_minutes: minutes(MAX_STATUS_MINUTES_LIMIT),
		max_waiting_for_retry_minutes: minutes(MAX_STATUS_MINUTES_LIMIT),
		max_steps_in_process_minutes: minutes(MAX_STATUS_MINUTES_LIMIT),
		staleness_action: z
			.enum(STALENESS_ACTIONS, { error: expecting(`one of: ${STALENESS_ACTIONS.join(", ")}`) })
			.default("dlq"),
		/** The reference's flags, superseded there by staleness_action: accepted, and staleness_action decides. */
		auto_fail_on_timeout: z.boolean({ error: expecting("true or false") }).nullish(),
		auto_dlq_on_timeout: z.boolean({ error: expecting("true or false") }).nullish(),
	},
	"a mapping of lifecycle thresholds, such as {max_duration_minutes: 60, staleness_action: dlq}",
);

/**
 * The reference's `TemplateMetadata` (author, tags, documentation_url, created_at, updated_at) plus any
 * free-form key its fixtures carry (`notes`): documentation only, kept as written.
 */
const metadataSchema = z
	.looseObject(
		{
			author: optionalString(),
			tags: z
				.array(z.string({ error: expecting("a tag") }), { error: expecting("a list of tags") })
				.nullish(),
			documentation_url: optionalString(),
			created_at: z.union([z.string(), z.date()], { error: expecting("a date-time") }).nullish(),
			updated_at: z.union([z.string(), z.date()], { error: expecting("a date-time") }).nullish(),
		},
		{ error: expecting("a mapping (documentation only)") },
	)
	.transform((m) => JSON.parse(JSON.stringify(m)) as Record<string, unknown>);

const systemDependenciesSchema = strictObject(
	{
		primary: z
			.string({ error: expecting("a system name") })
			.refine((p) => p.length >= 1 && p.length <= 255, {
				error: expecting("a system name of 1 to 255 characters"),
			})
			.default("default"),
		secondary: z
			.array(z.string({ error: expecting("a system name") }), { error: expecting("a list of system names") })
			.nullish(),
	},
	"a mapping such as {primary: payment_gateway, secondary: [fraud_api]}",
);

/** The template's `domain_events` catalogue: the reference's `DomainEventDefinition`. */
const domainEventSchema = strictObject(
	{
		name: z.string({ error: expecting("an event name") }).refine((n) => n.length >= 1 && n.length <= 255, {
			error: expecting("an event name of 1 to 255 characters"),
		}),
		description: optionalString(),
		schema: jsonSchemaValue("the event's schema").nullish(),
	},
	"an event definition such as {name: payment.authorized}",
);

/** The override's retry replaces the step's whole policy, keys left out taking their defaults (as the reference). */
const stepOverrideSchema = strictObject(
	{
		name: z
			.string({ error: expecting("a step name, or ALL for every step") })
			.refine((n) => n.length >= 1 && n.length <= 255, {
				error: expecting("a step name, or ALL for every step"),
			}),
		handler: strictObject(
			{ initialization: mapping("a mapping of handler settings").nullish() },
			"a mapping such as {initialization: {url: ...}}",
		).nullish(),
		timeout_seconds: stepTimeout().nullish(),
		retry: retrySchema.nullish(),
	},
	"a step override such as {name: ALL, timeout_seconds: 10}",
);

const environmentSchema = strictObject(
	{ steps: z.array(stepOverrideSchema, { error: expecting("a list of step overrides") }).nullish() },
	"a mapping such as {steps: [{name: ALL, timeout_seconds: 10}]}",
);

export const templateSchema = strictObject(
	{
		name: patternedName(TEMPLATE_NAME_PATTERN, MAX_NAME_LENGTH, "a template name"),
		namespace_name: patternedName(NAMESPACE_PATTERN, MAX_NAMESPACE_LENGTH, "a namespace"),
		version: versionSchema,
		description: optionalString(),
		/** Documentation only: never read by the engine. */
		metadata: metadataSchema.nullish(),
		system_dependencies: systemDependenciesSchema.nullish(),
		domain_events: z.array(domainEventSchema, { error: expecting("a list of event definitions") }).nullish(),
		input_schema: jsonSchemaValue("the context's schema").nullish(),
		environments: z
			.record(z.string(), environmentSchema.nullish(), {
				error: expecting("a mapping of environment name to {steps: [...]}"),
			})
			.nullish(),
		identity_strategy: z
			.enum(IDENTITY_STRATEGIES, { error: expecting(`one of: ${IDENTITY_STRATEGIES.join(", ")}`) })
			.default(DEFAULT_IDENTITY_STRATEGY),
		lifecycle: lifecycleSchema.optional(),
		/** tasker-edge's own: the crons this template runs on once deployed (template-schedules.ts). */
		schedules: templateSchedulesSchema.nullish(),
		steps: z
			.array(stepSchema, { error: expecting(`a list of 1 to ${MAX_STEPS_PER_TEMPLATE} steps`) })
			.refine((steps) => steps.length >= 1 && steps.length <= MAX_STEPS_PER_TEMPLATE, {
				error: expecting(`a list of 1 to ${MAX_STEPS_PER_TEMPLATE} steps`),
			}),
	},
	"a mapping (the task template)",
);

/** The template as written (before defaults). */
export type TemplateInput = z.input<typeof templateSchema>;
/** The template after the schema: still snake_case, defaults applied, aliases not yet merged. */
export type ParsedTemplate = z.output<typeof templateSchema>;
export type ParsedStep = ParsedTemplate["steps"][number];
