// Query parameters, strictly: an unknown parameter or one given twice is a 400, so that a misspelt
// filter never silently answers as if there were none. Declared as zod schemas in the routes.
import { z } from "zod";
import { describeValue } from "../validation/field-schemas";

/** A query whose unknown parameters are refused, naming the ones it allows. */
export function strictQuery<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
	const allowed = Object.keys(shape).join(", ");
	return z.strictObject(shape, {
		error: (issue) => {
			if (issue.code !== "unrecognized_keys") return undefined;
			const label = issue.keys.length === 1 ? "unknown query parameter" : "unknown query parameters";
			return `${label} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")} (expected: ${allowed})`;
		},
	});
}

/** One value of a parameter: given twice, the query validator hands over the list of its values. */
export function oneValue() {
	return z.string({
		error: (issue) =>
			Array.isArray(issue.input) ? `expected one value, got ${issue.input.length}` : undefined,
	});
}

/** The value parsed by `parse`, or an issue saying `expected ${expected}, got <the value>`. */
export function parsedValue<Out>(expected: string, parse: (value: string) => Out | undefined) {
	return oneValue().transform((value, ctx): Out => {
		const parsed = parse(value);
		if (parsed !== undefined) return parsed;
		ctx.issues.push({
			code: "custom",
			message: `expected ${expected}, got ${describeValue(value)}`,
			input: value,
		});
		return z.NEVER;
	});
}

/** A whole number in range, digits only (no sign, exponent or fraction). */
export function integerValue(min: number, max: number) {
	const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
	return parsedValue(`an integer ${range}`, (value) => {
		const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
		return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
	}).meta({ type: "integer", minimum: min, ...(max === Number.MAX_SAFE_INTEGER ? {} : { maximum: max }) });
}

/** Any number in range written in decimal, fractions included (not `0x10`, `1e1` or ` 5`, which Number() reads). */
export function numberValue(min: number, max: number) {
	return parsedValue(`a number from ${min} to ${max}`, (value) => {
		const n = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
		return Number.isFinite(n) && n >= min && n <= max ? n : undefined;
	}).meta({ type: "number", minimum: min, maximum: max });
}

export function textValue(maxLength: number) {
	return parsedValue(`1 to ${maxLength} characters`, (value) =>
		value.length >= 1 && value.length <= maxLength ? value : undefined,
	).meta({ type: "string", minLength: 1, maxLength });
}

export function oneOfValue<const Values extends readonly string[]>(values: Values) {
	return parsedValue(`one of ${values.join(", ")}`, (value) =>
		values.includes(value) ? (value as Values[number]) : undefined,
	).meta({ type: "string", enum: [...values] });
}
