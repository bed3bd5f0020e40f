// Template lookups: exact and newest versions, and misses that say what exists instead.
import { describe, expect, it } from "vitest";
import { TemplateRegistry } from "../../src/registry/template-registry";
import type { TaskTemplate } from "../../src/templates/task-template";

function template(namespace: string, name: string, version: string): TaskTemplate {
	return { name, namespace, version, description: null, steps: [] };
}

const registry = new TemplateRegistry([
	template("default", "order_processing", "1.1.0"),
	template("default", "order_processing", "1.0.0"),
	template("default", "order_processing", "1.10.0"),
	template("default", "order_processing", "2.0.0-beta.1"),
	template("default", "refund", "0.1.0-alpha.1"),
	template("default", "refund", "0.1.0-alpha.2"),
	template("billing", "invoice", "1.0.0"),
]);

function versionOf(lookup: ReturnType<TemplateRegistry["find"]>): string {
	if (!lookup.ok) throw new Error(lookup.message);
	return lookup.template.version;
}

describe("TemplateRegistry.find", () => {
	it("finds an exact version", () => {
		expect(versionOf(registry.find("default", "order_processing", "1.1.0"))).toBe("1.1.0");
		expect(versionOf(registry.find("default", "order_processing", "2.0.0-beta.1"))).toBe("2.0.0-beta.1");
	});

	it("without a version, returns the newest release by semver (1.10.0 > 1.2.0), ignoring prereleases", () => {
		expect(versionOf(registry.find("default", "order_processing"))).toBe("1.10.0");
	});

	it("without a version and with only prereleases, returns the newest prerelease", () => {
		expect(versionOf(registry.find("default", "refund"))).toBe("0.1.0-alpha.2");
	});

	it("names the templates of the namespace when the name is unknown", () => {
		expect(registry.find("default", "order_processin")).toEqual({
			ok: false,
			message:
				'no task template "order_processin" in namespace "default" (templates there: order_processing, refund)',
		});
	});

	it("names the versions when the version is unknown", () => {
		expect(registry.find("default", "order_processing", "2.0.0")).toEqual({
			ok: false,
			message:
				"task template default/order_processing has no version 2.0.0 (versions: 1.0.0, 1.1.0, 1.10.0, 2.0.0-beta.1)",
		});
	});

	it("names the namespaces when the namespace is unknown", () => {
		expect(registry.find("shop", "order_processing")).toEqual({
			ok: false,
			message: 'no namespace "shop" (namespaces: billing, default)',
		});
	});

	it("says so when there is no template at all", () => {
		expect(new TemplateRegistry([]).find("default", "x")).toEqual({
			ok: false,
			message: 'no namespace "default" (namespaces: none)',
		});
	});
});

describe("TemplateRegistry", () => {
	it("rejects two templates with the same namespace, name and version", () => {
		expect(
			() =>
				new TemplateRegistry([
					template("default", "order_processing", "1.0.0"),
					template("default", "order_processing", "1.0.0"),
				]),
		).toThrow("duplicate task template default/order_processing version 1.0.0");
	});

	it("allows the same name and version in two namespaces", () => {
		const twoNamespaces = new TemplateRegistry([template("a", "x", "1.0.0"), template("b", "x", "1.0.0")]);
		expect(twoNamespaces.list()).toHaveLength(2);
	});

	it("lists by namespace, then name, then ascending version", () => {
		expect(registry.list().map((t) => `${t.namespace}/${t.name}@${t.version}`)).toEqual([
			"billing/invoice@1.0.0",
			"default/order_processing@1.0.0",
			"default/order_processing@1.1.0",
			"default/order_processing@1.10.0",
			"default/order_processing@2.0.0-beta.1",
			"default/refund@0.1.0-alpha.1",
			"default/refund@0.1.0-alpha.2",
		]);
	});

	it("lists namespaces sorted", () => {
		expect(registry.namespaces()).toEqual(["billing", "default"]);
	});
});
