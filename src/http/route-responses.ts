// The responses a route declares in the OpenAPI spec: a JSON body, and the error envelope
// {"error": {"code", "message"}} for each error status it can answer, with the code that goes with it.
import { z } from "zod";

const ERROR_CODES = {
	400: "BAD_REQUEST",
	404: "NOT_FOUND",
	409: "CONFLICT",
	413: "PAYLOAD_TOO_LARGE",
	500: "INTERNAL_ERROR",
} as const;
type ErrorStatus = keyof typeof ERROR_CODES;

export const errorEnvelopeSchema = z
	.object({
		error: z.object({
			code: z.enum(Object.values(ERROR_CODES)).meta({ description: "Stable, one per status." }),
			message: z.string().meta({ description: "Names the field, the value given and what was expected." }),
		}),
	})
	.meta({
		id: "Error",
		example: {
			error: { code: "BAD_REQUEST", message: "priority: expected an integer from -100 to 100, got 101" },
		},
	});

const INTERNAL = "an internal error; the message names the request id (never a stack trace)";

type ErrorResponse = {
	description: string;
	content: { "application/json": { schema: typeof errorEnvelopeSchema } };
};

/** The responses of each error status a route can answer, `when` saying when; every route may also answer 500. */
export function errorResponses<const S extends Exclude<ErrorStatus, 500>>(when: Record<S, string>) {
	const responses: Partial<Record<ErrorStatus, ErrorResponse>> = {};
	const described = [...Object.entries(when), ["500", INTERNAL]] as Array<[`${ErrorStatus}`, string]>;
	for (const [key, text] of described) {
		const status = Number(key) as ErrorStatus;
		responses[status] = {
			description: `${ERROR_CODES[status]}: ${text}`,
			content: { "application/json": { schema: errorEnvelopeSchema } },
		};
	}
	return responses as Record<S | 500, ErrorResponse>;
}

/** A response whose body is `schema` as JSON. */
export function jsonResponse<Schema extends z.ZodType>(schema: Schema, description: string) {
	return { description, content: { "application/json": { schema } } };
}
