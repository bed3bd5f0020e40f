// A template's identity in a path or query, checked by the template schema's own rules: a malformed namespace,
// name or version is a 400 that says what is expected, not a lookup that merely misses.
import { z } from "zod";
import { templateSchema } from "../templates/template-schema";
import { oneValue, strictQuery } from "./query-params";

/** The version segment that means the newest, as a task request without a version does. */
export const LATEST_VERSION = "latest";

const namespace = () =>
	templateSchema.shape.namespace_name.meta({ description: "A namespace.", example: "default" });

/** A semver version, or undefined for `latest`; the version schema's message, with `latest` named too. */
const versionOrLatest = z
	.string()
	.transform((value, ctx): string | undefined => {
		if (value === LATEST_VERSION) return undefined;
		const parsed = templateSchema.shape.version.safeParse(value);
		if (parsed.success) return parsed.data;
		const message = parsed.error.issues[0]?.message ?? "invalid";
		ctx.issues.push({
			code: "custom",
			message: message.replace(/^expected /, `expected "${LATEST_VERSION}" or `),
			input: value,
		});
		return z.NEVER;
	})
	.meta({
		description: `A semver version, or "${LATEST_VERSION}" for the newest release.`,
		example: "1.0.0",
	});

export const templatePathParams = z.object({
	namespace: namespace(),
	name: templateSchema.shape.name.meta({ description: "A template name.", example: "order_processing" }),
	version: versionOrLatest,
});

export const templateListQuery = strictQuery({
	namespace: oneValue()
		.pipe(namespace())
		.optional()
		.meta({ description: "Only this namespace's templates." }),
});
