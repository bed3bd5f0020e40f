// The dashboard at /ui: one HTML shell for every page (the script picks the page from the path), its
// script and styles served as static assets (public/ui/assets, built from ui/ by scripts/build-ui.ts).
// The shell holds no data, so it is public; the script reads the API with the caller's credentials.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { handleNotFound } from "../error-handler";
import type { AppEnv } from "../openapi-router";

export const DASHBOARD_ASSETS = "/ui/assets";

const SHELL = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>tasker-edge</title><link rel="stylesheet" href="${DASHBOARD_ASSETS}/dashboard.css">
<script type="module" src="${DASHBOARD_ASSETS}/dashboard.js"></script></head>
<body><header id="top"></header><main id="app"><noscript>The dashboard needs JavaScript.</noscript></main></body></html>`;

export function mountDashboard(app: OpenAPIHono<AppEnv>) {
	app.get("/ui", (c) => c.html(SHELL));
	// An asset that is missing reaches the Worker: a 404, not the shell.
	app.get(`${DASHBOARD_ASSETS}/*`, handleNotFound);
	app.get("/ui/*", (c) => c.html(SHELL));
}
