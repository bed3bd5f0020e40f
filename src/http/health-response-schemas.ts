// The bodies of /health and its family as zod schemas: the routes answer these types, the OpenAPI spec
// describes them and the client's types are inferred from them, so none of the three can drift.
import { z } from "zod";

const timestamp = () => z.string().meta({ format: "date-time" });

export const healthSchema = z
	.object({ status: z.literal("healthy"), timestamp: timestamp() })
	.meta({ id: "Health" });

export const livenessSchema = z
	.object({ status: z.literal("alive"), timestamp: timestamp() })
	.meta({ id: "Liveness" });

export const healthCheckSchema = z
	.object({
		status: z.enum(["healthy", "unhealthy"]),
		count: z.number().int().nonnegative(),
		message: z.string().optional().meta({ description: "What is wrong, when unhealthy." }),
	})
	.meta({ id: "HealthCheck" });

export const namespaceQueuesCheckSchema = z
	.object({
		status: z.enum(["healthy", "unhealthy"]),
		routes: z.record(z.string(), z.string()).meta({
			description:
				"Namespace → queue producer binding, from NAMESPACE_QUEUES; other namespaces use STEP_QUEUE.",
		}),
		message: z
			.string()
			.optional()
			.meta({ description: "What is wrong with NAMESPACE_QUEUES, when unhealthy." }),
	})
	.meta({ id: "NamespaceQueuesCheck" });

/** Also the body of the 503, where `status` is `not_ready`. */
export const readinessSchema = z
	.object({
		status: z.enum(["ready", "not_ready"]),
		checks: z.object({
			templates: healthCheckSchema,
			handlers: healthCheckSchema,
			namespace_queues: namespaceQueuesCheckSchema,
		}),
	})
	.meta({ id: "Readiness" });

/** Also the body of the 503, where `status` is `unhealthy`. */
export const detailedHealthSchema = z
	.object({
		status: z.enum(["healthy", "unhealthy"]),
		timestamp: timestamp(),
		version: z.string().meta({ description: "This Worker's package version." }),
		templates: z.object({ count: z.number().int().nonnegative(), namespaces: z.array(z.string()) }),
		handlers: z.object({ count: z.number().int().nonnegative() }),
		bindings: z.object({ tasks: z.boolean(), step_queue: z.boolean() }),
	})
	.meta({ id: "DetailedHealth" });

export type HealthCheck = z.output<typeof healthCheckSchema>;
export type NamespaceQueuesCheck = z.output<typeof namespaceQueuesCheckSchema>;
