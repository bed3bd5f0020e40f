// Tiny DOM helpers: text is always escaped; markup is built as strings and set once per render.

export function esc(value: unknown): string {
	return String(value ?? "")
		.replaceAll("&", "&amp;")
		.replaceAll("<", "&lt;")
		.replaceAll(">", "&gt;")
		.replaceAll('"', "&quot;");
}

export function $(selector: string, root: ParentNode = document): HTMLElement {
	const found = root.querySelector<HTMLElement>(selector);
	if (!found) throw new Error(`no element ${selector}`);
	return found;
}

export function json(value: unknown): string {
	return `<pre class="json">${esc(JSON.stringify(value, null, 2))}</pre>`;
}

export function ago(iso: string | null, now = Date.now()): string {
	if (!iso) return "";
	return duration(now - Date.parse(iso));
}

export function duration(ms: number | null): string {
	if (ms === null || !Number.isFinite(ms)) return "";
	if (ms < 1000) return `${Math.round(ms)} ms`;
	if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
	if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
	return `${Math.floor(ms / 3_600_000)} h ${Math.round((ms % 3_600_000) / 60_000)} min`;
}

export function errorBox(error: unknown): string {
	return `<p class="error" role="alert">${esc(error instanceof Error ? error.message : String(error))}</p>`;
}
