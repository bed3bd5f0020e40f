// The dashboard at /ui: one HTML shell for every page (the script picks the page from the path), its
// script and styles served as static assets (public/ui/assets, built from ui/ by scripts/build-ui.ts).
// The shell holds no data, so it is public; the script reads the API with the caller's credentials.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { handleNotFound } from "../error-handler";
import type { AppEnv } from "../openapi-router";

export const DASHBOARD_ASSETS = "/ui/assets";

/**
 * On a task's page, the stream is asked for by the HTML itself, before the dashboard's script has
 * loaded: the upgrade waits its turn at a busy task object (a 1,000-step fan-out dispatching its
 * leaves) while the script downloads, instead of after it. The messages that arrive first are kept
 * for the page (ui/pages/task-page.ts adopts the socket). The URL is built as ui/api.ts's streamUrl
 * builds it, with the credentials it keeps under the same storage key.
 */
const EARLY_STREAM = `<script>(function () {
var m = /^\\/ui\\/tasks\\/([0-9a-fA-F-]{36})\\/?$/.exec(location.pathname);
if (!m || typeof WebSocket === "undefined") return;
try {
	var uuid = m[1].toLowerCase();
	var url = new URL("/v1/tasks/" + uuid + "/stream", location.href);
	url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
	url.searchParams.set("view", "graph");
	var c = JSON.parse(localStorage.getItem("tasker.credential") || "null");
	if (c && c.value) url.searchParams.set(c.kind === "api_key" ? "api_key" : "access_token", c.value);
	document.documentElement.dataset.streamAskedAtMs = String(Math.round(performance.now()));
	var early = { uuid: uuid, socket: new WebSocket(url), messages: [], opened: false, closed: false };
	early.socket.onmessage = function (e) { early.messages.push(e.data); };
	early.socket.onopen = function () { early.opened = true; };
	early.socket.onclose = function () { early.closed = true; };
	window.taskerEarlyStream = early;
} catch (e) {}
})();</script>`;

const SHELL = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>tasker-edge</title>${EARLY_STREAM}<link rel="stylesheet" href="${DASHBOARD_ASSETS}/dashboard.css">
<script type="module" src="${DASHBOARD_ASSETS}/dashboard.js"></script></head>
<body><header id="top"></header><main id="app"><noscript>The dashboard needs JavaScript.</noscript></main></body></html>`;

export function mountDashboard(app: OpenAPIHono<AppEnv>) {
	app.get("/ui", (c) => c.html(SHELL));
	// An asset that is missing reaches the Worker: a 404, not the shell.
	app.get(`${DASHBOARD_ASSETS}/*`, handleNotFound);
	app.get("/ui/*", (c) => c.html(SHELL));
}
