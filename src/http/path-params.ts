// Path parameters are checked before any object is reached: a malformed id is a 400, not a lookup.
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
