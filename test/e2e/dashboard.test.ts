// The dashboard in a real browser: headless Chromium (the binary inside the @sparticuz/chromium
// package, driven by playwright-core; nothing is downloaded) over a real `wrangler dev` of its own,
// serving the dashboard's assets and the fixture templates, with the seed order's handlers slowed
// (test/e2e/dashboard/). With DASHBOARD_SCREENSHOTS=1 it also writes the docs' screenshots.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import chromium from "@sparticuz/chromium";
import { type Browser, type Page, chromium as playwright } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type DevServer, startDevServer } from "../../scripts/lib/dev-server";
import { PROJECT_ROOT } from "../../scripts/lib/load-project";

const CONFIG = "test/e2e/dashboard/wrangler.dashboard.toml";
const SCREENSHOTS = process.env.DASHBOARD_SCREENSHOTS === "1";
const IMAGES = join(PROJECT_ROOT, "docs", "images");
/** Its own local state, fresh each run: the task index here is never the other e2e session's. */
const STATE = join(PROJECT_ROOT, "test", ".tmp-dashboard-state");

let server: DevServer;
let browser: Browser;

async function submit(
	name: string,
	context: Record<string, unknown>,
	namespace = "testing",
): Promise<string> {
	const response = await fetch(`${server.url}/v1/tasks`, {
		method: "POST",
		headers: { "content-type": "application/json" },
		body: JSON.stringify({
			name,
			namespace,
			context,
			initiator: "dashboard-test",
			source_system: "e2e",
			reason: "browser test",
		}),
	});
	const body = (await response.json()) as { task_uuid?: string };
	expect(response.status, JSON.stringify(body)).toBe(201);
	return body.task_uuid as string;
}

async function openPage(): Promise<Page> {
	const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
	page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
	return page;
}

describe("the dashboard in a real browser", () => {
	beforeAll(async () => {
		await rm(STATE, { recursive: true, force: true });
		[server, browser] = await Promise.all([
			startDevServer({ config: CONFIG, persistTo: STATE }),
			chromium.executablePath().then((executablePath) =>
				// Without --single-process (made for one-shot serverless runs): with it, closing a page ends the browser.
				playwright.launch({
					executablePath,
					args: chromium.args.filter((arg) => arg !== "--single-process"),
					headless: true,
				}),
			),
		]);
	}, 120_000);

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		await rm(STATE, { recursive: true, force: true });
	});

	test("the seed's order: its four steps turn complete on the page, pushed live, with no reload", async () => {
		const page = await openPage();
		// Every state each step row shows, in order, recorded in the page as the DOM changes.
		// (Scripts run in the page are strings here: this file is typed for Node, not the DOM.)
		await page.addInitScript(`
			window.seen = {};
			new MutationObserver(() => {
				for (const row of document.querySelectorAll("tr[data-step-name]")) {
					const list = (window.seen[row.dataset.stepName] ||= []);
					if (list.at(-1) !== row.dataset.state) list.push(row.dataset.state);
				}
			}).observe(document, { subtree: true, childList: true, attributes: true });
		`);
		let navigations = 0;
		page.on("framenavigated", (frame) => {
			if (frame === page.mainFrame()) navigations += 1;
		});
		const uuid = await submit(
			"order_processing",
			{
				order_id: `ORD-UI-${Date.now()}`,
				customer_email: "customer@example.com",
				items: [
					{ sku: "WIDGET-A", price: 29.99, quantity: 2 },
					{ sku: "GADGET-B", price: 49.99, quantity: 1 },
				],
			},
			"default",
		);
		await page.goto(`${server.url}/ui/tasks/${uuid}`);
		await page.waitForFunction(
			`document.querySelectorAll('svg.dag [data-node][data-state="complete"]').length === 4`,
			null,
			{ timeout: 20_000 },
		);
		await expect.poll(() => page.textContent("[data-testid=task-status]")).toBe("complete");
		const seen = (await page.evaluate("window.seen")) as Record<string, string[]>;
		// The last step was seen waiting before it was seen complete: the page changed under the stream.
		expect(seen.charge_payment?.at(-1)).toBe("complete");
		expect(seen.charge_payment?.length ?? 0).toBeGreaterThan(1);
		expect(Object.keys(seen).sort()).toEqual([
			"charge_payment",
			"notify_customer",
			"reserve_inventory",
			"validate_order",
		]);
		expect(navigations).toBe(1);
		await page.click('tr[data-step-name="charge_payment"]');
		await expect.poll(() => page.textContent("[data-testid=step-panel]")).toContain("109.97");
		if (SCREENSHOTS) await page.screenshot({ path: join(IMAGES, "task-page.png") });
		await page.close();
	});

	test("a failed step: clicking it shows its error", async () => {
		const page = await openPage();
		const uuid = await submit("buggy_handler", { run: Date.now() });
		await page.goto(`${server.url}/ui/tasks/${uuid}`);
		await page.waitForSelector('svg.dag [data-node][data-state="error"]', { timeout: 20_000 });
		await page.click('svg.dag [data-node][data-state="error"]');
		const error = await page.waitForSelector("[data-testid=step-error]");
		expect(await error.textContent()).toContain("Cannot read properties of undefined (reading 'total')");
		if (SCREENSHOTS) await page.screenshot({ path: join(IMAGES, "failed-step.png") });
		await page.close();
	});

	test("/api-docs/ui renders with no network beyond the Worker", async () => {
		const page = await openPage();
		const elsewhere: string[] = [];
		await page.route("**/*", (route) => {
			if (route.request().url().startsWith(server.url)) return route.continue();
			elsewhere.push(route.request().url());
			return route.abort();
		});
		await page.goto(`${server.url}/api-docs/ui`);
		await page.waitForSelector(".swagger-ui .opblock", { timeout: 20_000 });
		expect(await page.locator(".swagger-ui .opblock").count()).toBeGreaterThan(20);
		expect(elsewhere).toEqual([]);
		await page.close();
	});

	test("the task page of a 1,000-step fan-out renders in under 2 s", async () => {
		const page = await openPage();
		const uuid = await submit("fan_out_1000", {});
		await page.goto(`${server.url}/ui/tasks/${uuid}`);
		await page.waitForSelector('[data-testid=step-table][data-count="1002"]', { timeout: 20_000 });
		await page.waitForFunction("document.body.dataset.firstRenderMs !== undefined");
		// The table is paged: its first 100 rows.
		expect(await page.locator("tr[data-step]").count()).toBe(100);
		expect(await page.textContent("[data-testid=step-pager]")).toContain("of 1002");
		const rendered = Number(await page.evaluate("document.body.dataset.firstRenderMs"));
		const snapshot = Number(await page.evaluate("document.body.dataset.snapshotAtMs"));
		// From navigation start (the page's own load, the stream's upgrade while the task object is busy
		// with its 1,000 leaves, the graph view's snapshot, the drawing) to every step on the page.
		const asked = await page.evaluate("document.body.dataset.streamAskedAtMs");
		const opened = await page.evaluate("document.body.dataset.streamOpenAtMs");
		process.stdout.write(
			`\n1,002-step task page: drawn ${rendered} ms after navigation start (stream asked at ${asked} ms, open at ${opened} ms, snapshot in at ${snapshot} ms)\n`,
		);
		expect(snapshot).toBeGreaterThan(0);
		expect(rendered).toBeGreaterThanOrEqual(snapshot);
		expect(rendered).toBeLessThan(2_000);
		// The leaves are one group node: three nodes in all.
		expect(await page.locator("svg.dag [data-node]").count()).toBe(3);
		if (SCREENSHOTS) {
			await page.waitForTimeout(1_500);
			await page.screenshot({ path: join(IMAGES, "fan-out-1000.png") });
		}
		await fetch(`${server.url}/v1/tasks/${uuid}`, { method: "DELETE" });
		await page.close();
	});

	test("a step waiting for an event: shown as such, with its event and deadline, and sent its event from the page", async () => {
		const page = await openPage();
		const orderId = `ORD-WAIT-${Date.now()}`;
		const uuid = await submit(
			"order_awaiting_payment",
			{
				order_id: orderId,
				customer_email: "customer@example.com",
				items: [{ sku: "WIDGET-A", price: 29.99, quantity: 1 }],
			},
			"default",
		);
		await page.goto(`${server.url}/ui/tasks/${uuid}`);
		await page.waitForSelector('tr[data-step-name="await_payment"][data-state="waiting_for_event"]', {
			timeout: 20_000,
		});
		// The table of an active task is redrawn as time passes: a dispatched click waits for no still row.
		await page.dispatchEvent('tr[data-step-name="await_payment"]', "click");
		await expect
			.poll(() => page.textContent("[data-testid=step-wait]", { timeout: 5_000 }))
			.toMatch(/Waiting for event payment_confirmed until \d{4}-\d\d-\d\dT/);
		await page.fill(
			"form.send-event textarea[name=payload]",
			JSON.stringify({ order_id: orderId, amount: 29.99 }),
		);
		await page.click("button[data-action=send-event]");
		// Delivered: the step completes at once and the panel redraws it (the form goes with the wait).
		await page.waitForSelector('tr[data-step-name="await_payment"][data-state="complete"]', {
			timeout: 10_000,
		});
		await expect
			.poll(() => page.textContent("[data-testid=task-status]"), { timeout: 20_000 })
			.toBe("complete");
		const steps = (await (await fetch(`${server.url}/v1/tasks/${uuid}/workflow_steps`)).json()) as Array<{
			name: string;
			results: { result: unknown } | null;
		}>;
		expect(steps.find((s) => s.name === "await_payment")?.results?.result).toEqual({
			order_id: orderId,
			amount: 29.99,
		});
		await page.close();
	});

	test("cancelling a running task from the page", async () => {
		const page = await openPage();
		const uuid = await submit("slow_single", {});
		await page.goto(`${server.url}/ui/tasks/${uuid}`);
		await page.waitForSelector('tr[data-step-name="linger"][data-state="in_progress"]', { timeout: 20_000 });
		await page.click("button[data-action=cancel-task]");
		await page.click("button[data-action=confirm-cancel]");
		await expect
			.poll(() => page.textContent("[data-testid=task-status]"), { timeout: 10_000 })
			.toBe("cancelled");
		const task = (await (await fetch(`${server.url}/v1/tasks/${uuid}`)).json()) as { status: string };
		expect(task.status).toBe("cancelled");
		await page.close();
	});
});
