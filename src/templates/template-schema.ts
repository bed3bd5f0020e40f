// The zod schema of a task template as written in YAML (snake_case, strict keys, defaults applied),
// with error messages that name the value and what was expected: template authors read them, not us.
import { valid as semverValid } from "semver";
import { z } from "zod";
import { MAX_DURATION_MINUTES_LIMIT, MAX_STATUS_MINUTES_LIMIT } from "../core/lifecycle";
import {
	DEFAULT_RETRY,
	DEFAULT_STEP_TIMEOUT_SECONDS,
	MAX_ATTEMPTS_LIMIT,
	MAX_BACKOFF_LIMIT_MS,
	MAX_CALLABLE_LENGTH,
	MAX_HANDLER_INITIALIZATION_BYTES,
	MAX_NAME_LENGTH,
	MAX_NAMESPACE_LENGTH,
	MAX_STEP_TIMEOUT_SECONDS,
	MAX_STEPS_PER_TEMPLATE,
	MIN_BACKOFF_BASE_MS,
	MIN_MAX_BACKOFF_MS,
} from "../limits";
import {
	expecting,
	intInRange,
	mapping,
	patternedName,
	strictObject as sharedStrictObject,
} from "../validation/field-schemas";
import { batchConfigSchema, stepTypeSchema } from "./dynamic-step-schema";
import {
	BACKOFF_KINDS,
	DEFAULT_IDENTITY_STRATEGY,
	IDENTITY_STRATEGIES,
	STALENESS_ACTIONS,
} from "./task-template";

const TEMPLATE_NAME_PATTERN = /^[a-z][a-z0-9_]*$/;
const NAMESPACE_PATTERN = /^[a-z0-9_]+$/;
const STEP_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Keys of the reference system's format that this project deliberately does not implement. */
const REFERENCE_ONLY_KEYS: ReadonlySet<string> = new Set([
	"system_dependencies",
	"domain_events",
	"input_schema",
	"environments",
	"auto_fail_on_timeout",
	"auto_dlq_on_timeout",
	"system_dependency",
	"publishes_events",
	"result_schema",
	"composition",
	"method",
	"resolver",
]);

/** A strict object whose unknown-key message also says when the Tasker reference defines the key. */
function strictObject<Shape extends z.core.$ZodLooseShape>(shape: Shape, what: string) {
	return sharedStrictObject(shape, what, (keys) =>
		keys.every((k) => REFERENCE_ONLY_KEYS.has(k))
			? "; the Tasker reference defines it, tasker-edge does not support it"
			: "",
	);
}

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
		max_attempts: intInRange(1, MAX_ATTEMPTS_LIMIT).default(DEFAULT_RETRY.maxAttempts),
		backoff: z
			.enum(BACKOFF_KINDS, { error: expecting(`one of: ${BACKOFF_KINDS.join(", ")}`) })
			.default(DEFAULT_RETRY.backoff),
		backoff_base_ms: intInRange(MIN_BACKOFF_BASE_MS, MAX_BACKOFF_LIMIT_MS).default(
			DEFAULT_RETRY.backoffBaseMs,
		),
		max_backoff_ms: intInRange(MIN_MAX_BACKOFF_MS, MAX_BACKOFF_LIMIT_MS).default(DEFAULT_RETRY.maxBackoffMs),
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
	},
	"a mapping such as {callable: MyHandler}",
);

export const stepSchema = strictObject(
	{
		name: patternedName(STEP_NAME_PATTERN, MAX_NAME_LENGTH, "a step name"),
		description: z.string({ error: expecting("a string") }).optional(),
		handler: handlerSchema,
		dependencies: dependencyList.optional(),
		depends_on: dependencyList.optional(),
		retry: retrySchema.prefault({}),
		timeout_seconds: intInRange(1, MAX_STEP_TIMEOUT_SECONDS).default(DEFAULT_STEP_TIMEOUT_SECONDS),
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
	if (step.dependencies !== undefined && step.depends_on !== undefined) {
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
	},
	"a mapping of lifecycle thresholds, such as {max_duration_minutes: 60, staleness_action: dlq}",
);

export const templateSchema = strictObject(
	{
		name: patternedName(TEMPLATE_NAME_PATTERN, MAX_NAME_LENGTH, "a template name"),
		namespace_name: patternedName(NAMESPACE_PATTERN, MAX_NAMESPACE_LENGTH, "a namespace"),
		version: versionSchema,
		description: z.string({ error: expecting("a string") }).optional(),
		/** Documentation only: never read by the engine. */
		metadata: mapping("a mapping (documentation only)").optional(),
		identity_strategy: z
			.enum(IDENTITY_STRATEGIES, { error: expecting(`one of: ${IDENTITY_STRATEGIES.join(", ")}`) })
			.default(DEFAULT_IDENTITY_STRATEGY),
		lifecycle: lifecycleSchema.optional(),
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
