// The dashboard's entry: the navigation, the credentials box (shown when the API asks for them), and
// the page for the current path. Every page reads the public API with the caller's credentials.
import { credential, lacking, probePermissions, setCredential } from "./api";
import { esc } from "./dom";
import { analyticsPage, stalenessPage } from "./pages/analytics";
import { dlqPage } from "./pages/dlq";
import { taskListPage } from "./pages/task-list";
import { taskPage } from "./pages/task-page";
import { templatesPage } from "./pages/templates";

const NAV = [
	["/ui", "Tasks"],
	["/ui/templates", "Templates"],
	["/ui/dlq", "DLQ"],
	["/ui/staleness", "Staleness"],
	["/ui/analytics", "Analytics"],
	["/api-docs/ui", "API docs"],
] as const;

async function main(): Promise<void> {
	const header = document.querySelector("#top") as HTMLElement;
	const root = document.querySelector("#app") as HTMLElement;
	const path = location.pathname.replace(/\/+$/, "") || "/ui";
	// The page starts at once; the header (auth mode, what the caller may not do) fills in beside it.
	await Promise.all([showPage(root, path), showHeader(header, path)]);
}

async function showHeader(header: HTMLElement, path: string): Promise<void> {
	header.innerHTML = nav(path);
	const config = await fetch("/config", { headers: authHeaders() })
		.then((r) => (r.ok ? r.json() : null))
		.catch(() => null);
	// /config is itself behind auth when auth is on: a 401 there means credentials are needed.
	const authOn = config === null || (config as { auth?: { enabled?: boolean } }).auth?.enabled === true;
	if (authOn && credential()) await probePermissions();
	header.innerHTML = `${nav(path)}${authOn ? credentialBox() : `<span class="muted">auth off</span>`}`;
	header.querySelector("#credential-form")?.addEventListener("submit", (event) => {
		event.preventDefault();
		const data = new FormData(event.target as HTMLFormElement);
		const value = String(data.get("value") ?? "").trim();
		setCredential(value ? { kind: data.get("kind") === "token" ? "token" : "api_key", value } : null);
		location.reload();
	});
}

function nav(path: string): string {
	return `<nav>${NAV.map(([href, label]) => `<a href="${href}" ${path === href ? 'aria-current="page"' : ""}>${label}</a>`).join("")}</nav>`;
}

function showPage(root: HTMLElement, path: string): Promise<void> {
	const task = /^\/ui\/tasks\/([0-9a-fA-F-]{36})$/.exec(path);
	if (task?.[1]) return taskPage(root, task[1].toLowerCase());
	if (path === "/ui/templates") return templatesPage(root);
	if (path === "/ui/dlq") return dlqPage(root);
	if (path === "/ui/staleness") return stalenessPage(root);
	if (path === "/ui/analytics") return analyticsPage(root);
	if (path === "/ui" || path === "/ui/tasks") return taskListPage(root);
	root.innerHTML = `<h1>Not found</h1><p>No page at ${esc(path)}.</p>`;
	return Promise.resolve();
}

function authHeaders(): HeadersInit {
	const c = credential();
	if (!c) return {};
	return c.kind === "api_key" ? { "X-API-Key": c.value } : { Authorization: `Bearer ${c.value}` };
}

function credentialBox(): string {
	const c = credential();
	const denied = [...lacking].sort();
	return `<form id="credential-form" class="credential" data-testid="credential-form">
<select name="kind"><option value="api_key" ${c?.kind === "api_key" ? "selected" : ""}>API key</option><option value="token" ${c?.kind === "token" ? "selected" : ""}>Bearer token</option></select>
<input name="value" type="password" placeholder="${c ? "signed in: paste another to switch, empty to sign out" : "auth is on: paste an API key or token"}" size="40">
<button type="submit">${c ? "Switch" : "Sign in"}</button>
${denied.length > 0 ? `<span class="denied" data-testid="denied">not allowed: ${denied.map(esc).join(", ")}</span>` : ""}</form>`;
}

void main();
