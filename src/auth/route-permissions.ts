// Which permission each route needs, in one table, checked before a request's body is read. A test
// holds every route of the app to an entry here, so no route is left open by omission.
import type { Permission } from "./permissions";

export const PUBLIC = "public";
export type RouteAccess = Permission | typeof PUBLIC;

/** `METHOD path`, with `:name` for one path segment and a trailing `*` for any rest. */
export const ROUTE_PERMISSIONS: Readonly<Record<string, RouteAccess>> = {
	"POST /v1/tasks": "tasks:create",
	"GET /v1/tasks": "tasks:list",
	"GET /v1/tasks/:task_uuid": "tasks:read",
	"DELETE /v1/tasks/:task_uuid": "tasks:cancel",
	"POST /v1/tasks/:task_uuid/events": "tasks:signal",
	"GET /v1/tasks/:task_uuid/audit": "tasks:read",
	"GET /v1/tasks/:task_uuid/events": "tasks:read",
	"GET /v1/tasks/:task_uuid/stream": "tasks:read",
	"GET /v1/tasks/:task_uuid/workflow_steps": "steps:read",
	"GET /v1/tasks/:task_uuid/workflow_steps/:step_uuid": "steps:read",
	"GET /v1/tasks/:task_uuid/workflow_steps/:step_uuid/audit": "steps:read",
	"PATCH /v1/tasks/:task_uuid/workflow_steps/:step_uuid": "steps:resolve",
	"GET /v1/templates": "templates:read",
	"GET /v1/templates/:namespace/:name/:version": "templates:read",
	"POST /v1/templates/validate": "templates:validate",
	"GET /v1/dlq": "dlq:read",
	"GET /v1/dlq/stats": "dlq:stats",
	"GET /v1/dlq/task/:task_uuid": "dlq:read",
	"PATCH /v1/dlq/entry/:dlq_entry_uuid": "dlq:update",
	"POST /v1/workers/poll": "worker:execute",
	"POST /v1/workers/results": "worker:execute",
	"POST /v1/workers/heartbeat": "worker:execute",
	"POST /v1/workers/release": "worker:execute",
	"POST /v1/workers/leave": "worker:execute",
	"GET /v1/dlq/investigation-queue": "dlq:read",
	"GET /v1/dlq/staleness": "dlq:read",
	"GET /v1/analytics/performance": "system:analytics_read",
	"GET /v1/analytics/bottlenecks": "system:analytics_read",
	"GET /config": "system:config_read",
	"POST /v1/schedules": "schedules:create",
	"GET /v1/schedules": "schedules:list",
	"GET /v1/schedules/:schedule_id": "schedules:read",
	"PATCH /v1/schedules/:schedule_id": "schedules:update",
	"DELETE /v1/schedules/:schedule_id": "schedules:delete",
	"POST /v1/schedules/:schedule_id/trigger": "schedules:trigger",
	"POST /v1/schedules/sync": "schedules:sync",
	// Public, as in the reference: probes, scrapers and the API's own description.
	"GET /health": PUBLIC,
	"GET /health/*": PUBLIC,
	"GET /metrics": PUBLIC,
	"GET /api-docs/*": PUBLIC,
	// The dashboard's pages and assets hold no data: their scripts read the API with the caller's credentials.
	"GET /ui": PUBLIC,
	"GET /ui/*": PUBLIC,
};

interface CompiledRoute {
	method: string;
	segments: string[];
	rest: boolean;
	access: RouteAccess;
}

const COMPILED: CompiledRoute[] = Object.entries(ROUTE_PERMISSIONS).map(([key, access]) => {
	const [method = "", path = ""] = key.split(" ");
	const rest = path.endsWith("/*");
	return { method, segments: split(rest ? path.slice(0, -2) : path), rest, access };
});

/** The access a request needs, or null for a path no route serves (it will be a 404). */
export function accessFor(method: string, path: string): RouteAccess | null {
	const segments = split(path);
	// HEAD is answered by the GET route.
	const asked = method === "HEAD" ? "GET" : method;
	for (const route of COMPILED) {
		if (route.method !== asked) continue;
		if (route.rest ? segments.length <= route.segments.length : segments.length !== route.segments.length) {
			continue;
		}
		if (route.segments.every((part, i) => part.startsWith(":") || part === segments[i])) return route.access;
	}
	return null;
}

function split(path: string): string[] {
	return path.split("/").filter((part) => part !== "");
}
