// The reference's `resource:action` permissions. A grant is a permission or a resource wildcard
// (`tasks:*`); a global `*` is not allowed, so no single grant can do everything by accident.

export const PERMISSIONS = [
	"tasks:create",
	"tasks:read",
	"tasks:list",
	"tasks:cancel",
	"tasks:signal",
	"steps:read",
	"steps:resolve",
	"templates:read",
	"templates:validate",
	"dlq:read",
	"dlq:update",
	"dlq:stats",
	// Remote pull workers: lease steps, report their outcomes (docs/pull-workers.md).
	"worker:execute",
	"system:analytics_read",
	"system:config_read",
	"schedules:create",
	"schedules:read",
	"schedules:list",
	"schedules:update",
	"schedules:delete",
	"schedules:trigger",
	"schedules:sync",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const RESOURCES = new Set(PERMISSIONS.map((permission) => permission.split(":")[0]));
const KNOWN: ReadonlySet<string> = new Set(PERMISSIONS);

/** A grant names a known permission or `resource:*` of a known resource. */
export function isValidGrant(grant: string): boolean {
	if (KNOWN.has(grant)) return true;
	const [resource, action, ...rest] = grant.split(":");
	return rest.length === 0 && action === "*" && RESOURCES.has(resource ?? "");
}

export function grants(granted: readonly string[], needed: Permission): boolean {
	const resource = needed.split(":")[0];
	return granted.some((grant) => grant === needed || grant === `${resource}:*`);
}
