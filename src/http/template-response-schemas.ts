// The template catalogue, one template in full and a validation's answer as zod schemas, for the OpenAPI
// spec and the client's types; the checks at the end fail to compile if template-views.ts drifts from them.

import { z } from "zod";
import { FAILURE_STRATEGIES, STEP_TYPES } from "../templates/step-types";
import {
	BACKOFF_KINDS,
	EVENT_CONDITIONS,
	EVENT_DELIVERY_MODES,
	HANDLER_RESOLVERS,
} from "../templates/task-template";
import type { TemplateProblem } from "../templates/validate-template";
import type { Assert, Same } from "../validation/same-type";
import { scheduleTimingFields } from "./schedule-schemas";
import type { templateCatalogueView, templateView } from "./template-views";

export const templateCatalogueSchema = z
	.object({
		namespaces: z.array(
			z.object({
				name: z.string(),
				description: z.null().meta({ description: "Templates carry no namespace description yet." }),
				template_count: z.number().int().positive(),
			}),
		),
		templates: z.array(
			z.object({
				name: z.string(),
				namespace: z.string(),
				version: z.string(),
				description: z.string().nullable(),
				step_count: z.number().int().positive(),
			}),
		),
		total_count: z.number().int().nonnegative(),
	})
	.meta({ id: "TemplateCatalogue" });

const retryViewSchema = z.object({
	retryable: z.boolean(),
	max_attempts: z.number().int().positive(),
	backoff: z.enum(BACKOFF_KINDS),
	backoff_base_ms: z.number().int(),
	max_backoff_ms: z.number().int(),
});

const jsonSchemaField = (description: string) => z.unknown().meta({ description });

export const templateViewSchema = z
	.object({
		name: z.string(),
		namespace: z.string(),
		version: z.string(),
		description: z.string().nullable(),
		environment: z.string().nullable().meta({
			description: "The TASKER_ENV whose `environments` overrides `steps` carry (null: none applied).",
		}),
		metadata: z.record(z.string(), z.unknown()).nullable().meta({
			description:
				"Documentation only (author, tags, documentation_url, created_at, updated_at, and free-form keys), as written.",
		}),
		system_dependencies: z
			.object({ primary: z.string(), secondary: z.array(z.string()) })
			.nullable()
			.meta({ description: "Informational." }),
		domain_events: z.array(
			z.object({
				name: z.string(),
				description: z.string().nullable(),
				schema: jsonSchemaField("JSON Schema, or null."),
			}),
		),
		input_schema: jsonSchemaField(
			"JSON Schema the task context must match at POST /v1/tasks (null: any object).",
		),
		schedules: z.array(z.object({ name: z.string(), ...scheduleTimingFields })).meta({
			description:
				"The crons this template runs on once deployed (POST /v1/schedules/sync creates, updates and pauses them).",
		}),
		steps: z.array(
			z.object({
				name: z.string(),
				description: z.string().nullable(),
				handler: z.object({
					callable: z.string().meta({ description: "The handlerName that runs the step." }),
					initialization: z.record(z.string(), z.unknown()).meta({
						description: "The handler's configuration, with the environment's overrides merged in.",
					}),
					method: z
						.string()
						.nullable()
						.meta({ description: "The handler method called instead of `call` (null: `call`)." }),
					resolver: z
						.enum(HANDLER_RESOLVERS)
						.nullable()
						.meta({ description: "The resolver hint (null: the default)." }),
				}),
				dependencies: z.array(z.string()),
				retry: retryViewSchema,
				timeout_seconds: z.number().int().positive(),
				system_dependency: z.string().nullable(),
				result_schema: jsonSchemaField("JSON Schema a successful result must match (null: any)."),
				publishes_events: z.array(
					z.object({
						name: z.string(),
						description: z.string().nullable(),
						condition: z.enum(EVENT_CONDITIONS),
						schema: jsonSchemaField("JSON Schema of the payload (the step's result), or null."),
						delivery_mode: z.enum(EVENT_DELIVERY_MODES),
						publisher: z.string().nullable(),
					}),
				),
				composition: z.unknown().meta({ description: "Kept as written; not executed by tasker-edge." }),
				type: z.enum(STEP_TYPES).meta({
					description:
						"standard, or a dynamic step: decision (chooses branches), batchable (creates batch workers), batch_worker (their template), deferred_convergence (waits for whichever of its dependencies exist).",
				}),
				batch_config: z
					.object({
						batch_size: z.number().int().positive(),
						parallelism: z.number().int().positive(),
						cursor_field: z.string(),
						worker_template: z.string(),
						failure_strategy: z.enum(FAILURE_STRATEGIES),
					})
					.optional(),
			}),
		),
		environments: z
			.record(
				z.string(),
				z.object({
					steps: z.array(
						z.object({
							name: z.string(),
							handler: z.object({ initialization: z.record(z.string(), z.unknown()) }).nullable(),
							timeout_seconds: z.number().int().positive().nullable(),
							retry: retryViewSchema.nullable(),
						}),
					),
				}),
			)
			.nullable()
			.meta({ description: "Per-environment step overrides, as written (`name: ALL`: every step)." }),
	})
	.meta({ id: "Template" });

export const templateProblemSchema = z
	.object({
		path: z
			.string()
			.meta({ description: 'Where, e.g. steps[2].dependencies[0]; "" for the whole template.' }),
		message: z.string(),
	})
	.meta({ id: "TemplateProblem" });

/** A template with problems is still a 200: the request was fine, and its answer is the problems. */
export const templateValidationSchema = z
	.discriminatedUnion("valid", [
		z.object({ valid: z.literal(true), template: templateViewSchema }),
		z.object({ valid: z.literal(false), problems: z.array(templateProblemSchema) }),
	])
	.meta({ id: "TemplateValidation" });

export type _CatalogueMatches = Assert<
	Same<z.output<typeof templateCatalogueSchema>, ReturnType<typeof templateCatalogueView>>
>;
export type _TemplateMatches = Assert<
	Same<z.output<typeof templateViewSchema>, ReturnType<typeof templateView>>
>;
export type _ProblemMatches = Assert<Same<z.output<typeof templateProblemSchema>, TemplateProblem>>;
