// The task object's side of GET /v1/tasks/{uuid}/stream: the Worker has already checked the path, the
// credentials and the query; here the upgrade is accepted, or refused when the object holds no task.
import type { StreamView, TaskStream } from "./task-stream";

export function streamRequest(request: Request, stream: TaskStream): Response {
	if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
		return new Response("expected a WebSocket upgrade", { status: 426 });
	}
	const asked = new URL(request.url).searchParams.get("view");
	const view: StreamView = asked === "task" || asked === "graph" ? asked : "full";
	return stream.accept(view) ?? new Response("no task", { status: 404 });
}
