// The billing example is opt-in: the default config routes no namespace away, and the opted-in
// orchestrator config is wrangler.toml plus exactly the billing route, its producer and its entry.
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { experimental_readRawConfig } from "wrangler";
import {
	BILLING_EXAMPLE,
	billingOrchestratorConfig,
	type RawWranglerConfig,
} from "../../scripts/lib/billing-example";
import { generateRegistry } from "../../scripts/lib/generate-registry";
import { PROJECT_ROOT } from "../../scripts/lib/load-project";
import { parseNamespaceRoutes } from "../../src/core/namespace-routes";

const readConfig = (file: string) =>
	experimental_readRawConfig({ config: path.join(PROJECT_ROOT, file) }).rawConfig as RawWranglerConfig;

const producerBindings = (config: RawWranglerConfig) =>
	(config.queues?.producers ?? []).map((p) => String(p.binding));

const outDir = path.join(PROJECT_ROOT, "test", `.tmp-billing-${randomBytes(4).toString("hex")}`);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe("the default config (wrangler.toml)", () => {
	it("routes no namespace to another Worker and has no billing queue", () => {
		const config = readConfig("wrangler.toml");
		expect(config.vars?.NAMESPACE_QUEUES).toBeUndefined();
		expect(producerBindings(config)).not.toContain(BILLING_EXAMPLE.producerBinding);
	});
});

describe("the billing example's orchestrator config", { timeout: 30_000 }, () => {
	const base = readConfig("wrangler.toml");
	const opted = billingOrchestratorConfig(base);

	it("routes billing to a producer it declares, on the queue the billing Worker consumes", () => {
		const billingWorker = readConfig(BILLING_EXAMPLE.handlerWorkerConfig);
		const consumers = (billingWorker.queues?.consumers ?? []) as Array<{ queue: string }>;
		const consumed = consumers.map((c) => c.queue);
		expect(consumed).toEqual([BILLING_EXAMPLE.queue]);
		expect(opted.queues?.producers).toContainEqual({
			binding: BILLING_EXAMPLE.producerBinding,
			queue: BILLING_EXAMPLE.queue,
		});
		const routes = parseNamespaceRoutes(opted.vars?.NAMESPACE_QUEUES, producerBindings(opted));
		expect(routes.ok && [...routes.routes]).toEqual([["billing", BILLING_EXAMPLE.producerBinding]]);
	});

	it("is wrangler.toml otherwise: same Worker name, objects, migrations, D1, consumers and vars", () => {
		const { main, build, vars, queues, ...rest } = opted;
		const { main: baseMain, build: baseBuild, vars: baseVars, queues: baseQueues, ...baseRest } = base;
		expect(rest).toEqual(baseRest);
		expect(rest.name).toBe("tasker-edge");
		expect(main).toBe(BILLING_EXAMPLE.orchestratorEntry);
		expect(build?.command?.startsWith(`${baseBuild?.command} && `)).toBe(true);
		expect(build?.watch_dir).toEqual(expect.arrayContaining([BILLING_EXAMPLE.templatesDir]));
		expect({ ...vars, NAMESPACE_QUEUES: undefined }).toEqual({ ...baseVars, NAMESPACE_QUEUES: undefined });
		expect({ ...queues, producers: undefined }).toEqual({ ...baseQueues, producers: undefined });
		expect(producerBindings(opted)).toEqual([...producerBindings(base), BILLING_EXAMPLE.producerBinding]);
		expect(baseMain).toBe("worker.ts");
	});

	it("is the same when derived again from itself (no second producer)", () => {
		expect(billingOrchestratorConfig({ ...opted, main: base.main })).toMatchObject({
			queues: { producers: opted.queues?.producers },
		});
	});

	it("bundles the billing templates, checked against the billing handlers, without the handlers", async () => {
		const outFile = path.join(outDir, "registry.ts");
		const result = await generateRegistry({
			templatesDir: BILLING_EXAMPLE.templatesDir,
			handlersDir: BILLING_EXAMPLE.handlersDir,
			outFile,
			templatesOnly: true,
		});
		expect(result).toMatchObject({ ok: true, templateCount: 1, handlerCount: 4 });
		const text = readFileSync(outFile, "utf8");
		expect(text).toContain('"namespace": "billing"');
		expect(text).not.toMatch(/import \* as handlers/);
		expect(text).toContain("export const handlerModules: ReadonlyArray<");
	});

	it("refuses billing templates whose handler the billing Worker lacks", async () => {
		const result = await generateRegistry({
			templatesDir: BILLING_EXAMPLE.templatesDir,
			handlersDir: "src/handlers",
			outFile: path.join(outDir, "never.ts"),
			templatesOnly: true,
		});
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.problems[0]?.message).toMatch(/no registered handler "PriceLinesHandler"/);
	});
});
