// Path and query parameters are checked before any object is reached: a malformed one is a 400, not a lookup.
import { describeValue } from "../validation/field-schemas";
import { badRequest } from "./api-error";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function requireUuid(name: string, value: string | undefined): string {
	if (value === undefined || !UUID_PATTERN.test(value)) {
		throw badRequest(
			`${name}: expected a UUID such as 019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b, got ${describeValue(value)}`,
		);
	}
	return value.toLowerCase();
}

/** An optional numeric query parameter: absent → undefined; anything but a number in range → 400. */
export function optionalNumberInRange(name: string, value: string | undefined, min: number, max: number) {
	if (value === undefined) return undefined;
	const n = value.trim() === "" ? Number.NaN : Number(value);
	if (!Number.isFinite(n) || n < min || n > max) {
		throw badRequest(`${name}: expected a number from ${min} to ${max}, got ${describeValue(value)}`);
	}
	return n;
}
